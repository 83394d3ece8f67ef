/**
 * The command end to end through its bundle (`node dist/cli/index.js`), as GitLab, Jenkins, a
 * GitHub `run:` step and a laptop run it, pushing to a real Pushgateway.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, PYTHON } from '../helpers/example-suite.js';
import { runCli, samples } from '../helpers/run-cli.js';
import { freePort, startPushgateway, type Service } from '../helpers/services.js';

const SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const PYTEST = [PYTHON, '-m', 'pytest', '--junitxml=report.xml', 'tests'];

/** Flags that run the example suite in <workspace>/python-suite. */
function suiteFlags(gateway: string, suite: string): string[] {
  return [
    'run',
    '--pushgateway-url',
    gateway,
    '--suite',
    suite,
    '--working-directory',
    'python-suite',
    '--report-paths',
    'report.xml',
    '--sample-interval',
    '0.2',
    '--gateway-wait-seconds',
    '5',
  ];
}

async function gatewayText(gateway: Service): Promise<string> {
  return (await fetch(`${gateway.url}/metrics`)).text();
}

/** The run_info labels the gateway holds for `suite`. */
async function runInfo(gateway: Service, suite: string): Promise<Record<string, string>> {
  const info = samples(await gatewayText(gateway), 'reliability_run_info').find(
    (sample) => sample.labels.suite === suite,
  );
  expect(info, `no run_info for suite ${suite}`).toBeDefined();
  return info?.labels ?? {};
}

/** A workspace whose suite has one failing test (pytest exits 1). */
async function failingWorkspace(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'rma-cli-fail-'));
  await mkdir(join(workspace, 'python-suite', 'tests'), { recursive: true });
  await writeFile(
    join(workspace, 'python-suite', 'tests', 'test_checkout.py'),
    'def test_passes():\n    assert True\n\n\ndef test_fails():\n    assert 1 + 1 == 3, "arithmetic broke"\n',
  );
  return workspace;
}

describe('the command against a real Pushgateway', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('in a GitLab merge-request pipeline: MR labels, run_info, metrics file, summary file', async () => {
    const workspace = await exampleWorkspace();
    const run = await runCli(
      [
        ...suiteFlags(gateway.url, 'gitlab'),
        '--grouping-label',
        'python=3',
        '--metrics-file',
        'out/metrics.prom',
        '--summary-file',
        'summary.md',
        '--',
        ...PYTEST,
      ],
      {
        cwd: workspace,
        env: {
          CI: 'true',
          GITLAB_CI: 'true',
          CI_PROJECT_PATH: 'acme/platform/widgets',
          CI_PROJECT_DIR: workspace,
          CI_COMMIT_REF_NAME: 'feature/mr-branch',
          CI_COMMIT_SHA: SHA,
          CI_PIPELINE_ID: '987654',
          CI_PIPELINE_IID: '77',
          CI_PIPELINE_SOURCE: 'merge_request_event',
          CI_PIPELINE_URL: 'https://gitlab.example.com/acme/platform/widgets/-/pipelines/987654',
          CI_JOB_NAME: 'reliability',
          CI_CONFIG_PATH: '.gitlab-ci.yml',
          CI_MERGE_REQUEST_IID: '42',
          CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/mr-branch',
          GITLAB_USER_LOGIN: 'alice',
        },
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const labels = await runInfo(gateway, 'gitlab');
    expect(labels).toMatchObject({
      job: 'reliability_tests',
      repository: 'acme/platform/widgets',
      branch: 'feature/mr-branch',
      // A merge request's runs are their own group, as a pull request's are on GitHub.
      pull_request: '42',
      workflow: '.gitlab-ci.yml',
      workflow_job: 'reliability',
      python: '3',
      commit: SHA,
      run_id: '987654',
      run_number: '77',
      event: 'merge_request_event',
      ref: 'refs/merge-requests/42/head',
      actor: 'alice',
    });
    const passed = samples(await gatewayText(gateway), 'reliability_tests').find(
      (s) => s.labels.suite === 'gitlab' && s.labels.status === 'passed',
    );
    expect(passed?.value).toBe(8);
    // The metrics file sits where GitLab's artifacts:reports:metrics can take it.
    const file = await readFile(join(workspace, 'python-suite', 'out', 'metrics.prom'), 'utf8');
    expect(samples(file, 'reliability_run_info')[0]?.labels.run_id).toBe('987654');
    const summary = await readFile(join(workspace, 'summary.md'), 'utf8');
    expect(summary).toContain('## ✅ Reliability tests passed');
    expect(summary).toContain('pipelines/987654');
    // The terminal gets a short plain summary, not Markdown.
    expect(run.stderr).toContain('reliability-metrics: passed');
    expect(run.stderr).toContain('9 total: 8 passed, 1 skipped');
    expect(run.stderr).not.toMatch(/^\|/m);
    expect(run.stderr).not.toContain('\u001b[');
  });

  it('in a Jenkins change-request build: the command’s exit code and its failing test', async () => {
    const workspace = await failingWorkspace();
    const jenkins = {
      JENKINS_URL: 'https://jenkins.example.com/',
      BUILD_NUMBER: '311',
      BUILD_URL: 'https://jenkins.example.com/job/acme/job/widgets/job/PR-12/311/',
      JOB_NAME: 'acme/widgets/PR-12',
      BRANCH_NAME: 'PR-12',
      CHANGE_ID: '12',
      CHANGE_BRANCH: 'feature/jenkins',
      CHANGE_AUTHOR: 'bob',
      GIT_URL: 'https://git.example.com/acme/widgets.git',
      GIT_COMMIT: SHA,
      STAGE_NAME: 'Reliability',
      WORKSPACE: workspace,
    };
    const flags = [...suiteFlags(gateway.url, 'jenkins'), '--summary-file', 'summary.md'];
    const run = await runCli([...flags, '--', ...PYTEST], { cwd: workspace, env: jenkins });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain('failed (exit code 1)');
    expect(run.stderr).toMatch(/✗ tests\.test_checkout\.test_fails .*arithmetic broke/);
    expect(await runInfo(gateway, 'jenkins')).toMatchObject({
      repository: 'acme/widgets',
      branch: 'feature/jenkins',
      pull_request: '12',
      workflow: 'acme/widgets',
      workflow_job: 'Reliability',
      commit: SHA,
      run_id: '311',
      event: 'change_request',
      actor: 'bob',
    });
    expect(await readFile(join(workspace, 'summary.md'), 'utf8')).toContain(
      '❌ Reliability tests failed (exit code 1)',
    );

    const tolerant = await runCli([...flags, '--no-fail-on-test-failure', '--', ...PYTEST], {
      cwd: workspace,
      env: jenkins,
    });
    expect(tolerant.exitCode, tolerant.stderr).toBe(0);
    const other = await runCli(['run', '--', 'bash', '-c', 'exit 7'], {
      cwd: workspace,
      env: jenkins,
    });
    expect(other.exitCode, other.stderr).toBe(7);
  });

  it('on a laptop: branch, commit and repository from git; the seed’s workflow', async () => {
    const workspace = await exampleWorkspace();
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: workspace, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'laptop/try-this');
    git('remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
    git(
      '-c',
      'user.name=dev',
      '-c',
      'user.email=dev@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x',
    );
    const run = await runCli(
      [
        'run',
        '--pushgateway-url',
        gateway.url,
        '--suite',
        'laptop',
        '--working-directory',
        'python-suite',
        '--',
        ...PYTEST,
      ],
      { cwd: workspace },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await runInfo(gateway, 'laptop')).toMatchObject({
      repository: 'acme/widgets',
      branch: 'laptop/try-this',
      workflow: 'local',
      commit: git('rev-parse', 'HEAD'),
      event: 'local',
      ref: 'refs/heads/laptop/try-this',
    });
    // Without a CI temp dir, the metrics file is written where the command ran.
    expect(existsSync(join(workspace, 'python-suite', 'reliability-metrics.prom'))).toBe(true);
    expect(run.stderr).toContain('9 total: 8 passed, 1 skipped');
  });

  it('in a GitHub run: step: writes the step summary and folds the output', async () => {
    const workspace = await exampleWorkspace();
    const stepSummary = join(workspace, 'step-summary.md');
    await writeFile(stepSummary, '');
    const run = await runCli([...suiteFlags(gateway.url, 'github-run-step'), '--', ...PYTEST], {
      cwd: workspace,
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/widgets',
        GITHUB_REF: 'refs/pull/31/merge',
        GITHUB_REF_NAME: '31/merge',
        GITHUB_HEAD_REF: 'feature/pr',
        GITHUB_SHA: SHA,
        GITHUB_WORKFLOW: 'Reliability',
        GITHUB_JOB: 'cli',
        GITHUB_RUN_ID: '5555',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_STEP_SUMMARY: stepSummary,
        RUNNER_TEMP: workspace,
      },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await readFile(stepSummary, 'utf8')).toContain('## ✅ Reliability tests passed');
    expect(run.stderr).toContain('::group::Running:');
    expect(run.stderr).toContain('::endgroup::');
    expect(await runInfo(gateway, 'github-run-step')).toMatchObject({
      branch: 'feature/pr',
      pull_request: '31',
      workflow: 'Reliability',
      run_id: '5555',
    });
    expect(existsSync(join(workspace, 'reliability-metrics.prom'))).toBe(true);
  });

  it('keeps secrets from the environment out of the test command, the output and the summary', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-cli-secret-'));
    const password = 'pa55-w0rd-7781';
    const token = 'tok-ab12-never-shown';
    const run = await runCli(
      [
        'run',
        '--pushgateway-url',
        gateway.url,
        '--pushgateway-username',
        'ci',
        '--suite',
        'secrets',
        '--summary-file',
        'summary.md',
        '--',
        'env',
      ],
      {
        cwd: workspace,
        env: {
          RELIABILITY_PUSHGATEWAY_PASSWORD: password,
          RELIABILITY_PUSHGATEWAY_HEADERS: `X-Scope-OrgID: ${token}`,
        },
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    // `env` printed the command's whole environment.
    expect(run.stdout).toContain('PATH=');
    expect(run.stdout).not.toContain('RELIABILITY_PUSHGATEWAY');
    for (const secret of [password, token]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(await readFile(join(workspace, 'summary.md'), 'utf8')).not.toContain(secret);
    }
    expect(run.stderr).toContain('pushed to');
    await runInfo(gateway, 'secrets');
  });

  it('a gateway that is down: metrics file still written, exit 1 only when asked', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-cli-down-'));
    const down = `http://127.0.0.1:${await freePort()}`;
    const flags = [
      'run',
      '--pushgateway-url',
      down,
      '--gateway-wait-seconds',
      '0',
      '--push-timeout-seconds',
      '1',
    ];
    const lenient = await runCli([...flags, '--', 'true'], { cwd: workspace });
    expect(lenient.exitCode, lenient.stderr).toBe(0);
    expect(lenient.stderr).toContain('NOT pushed');
    expect(existsSync(join(workspace, 'reliability-metrics.prom'))).toBe(true);
    const strict = await runCli([...flags, '--fail-on-push-error', '--', 'true'], {
      cwd: workspace,
    });
    expect(strict.exitCode, strict.stderr).toBe(1);
    expect(strict.stderr).toContain('fail-on-push-error is true');
  });

  it('Ctrl-C: ends the test command’s tree, pushes what it measured, exits with its code', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-cli-int-'));
    const started = join(workspace, 'started');
    const marker = join(workspace, 'still-running');
    const run = await runCli(
      [
        'run',
        '--pushgateway-url',
        gateway.url,
        '--suite',
        'interrupted',
        '--',
        'bash',
        '-c',
        `touch ${started}; sleep 3; touch ${marker}`,
      ],
      {
        cwd: workspace,
        onSpawn: (pid) => {
          // Once the test command runs, as a user's Ctrl-C would: the terminal signals the
          // command's process group, and the test command runs in a group of its own.
          const poll = setInterval(() => {
            if (!existsSync(started)) return;
            clearInterval(poll);
            process.kill(pid, 'SIGINT');
          }, 50);
        },
      },
    );
    expect(run.stderr).toContain('reliability-metrics: cancelled');
    expect(run.exitCode).toBe(143);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(existsSync(marker)).toBe(false);
    expect(await runInfo(gateway, 'interrupted')).toMatchObject({ workflow: 'local' });
  });
});

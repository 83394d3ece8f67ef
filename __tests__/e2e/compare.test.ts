/**
 * The comparison through the bundled action, against a real Prometheus scraping a real
 * Pushgateway filled by real action runs of a base branch with realistic noise, and a stand-in
 * GitHub API on loopback for the pull-request comment.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/compare/types.js';
import { PYTHON } from '../helpers/example-suite.js';
import { startGithubApi, type GithubApi } from '../helpers/github-api.js';
import { runAction, type ActionRun } from '../helpers/run-action.js';
import {
  freePort,
  startPrometheus,
  startPushgateway,
  waitForQuery,
  type Service,
} from '../helpers/services.js';

/** p95 latency (ms) and throughput of the base branch's runs: a few percent of noise, as on CI. */
const BASE = [
  [2.0, 9000],
  [2.06, 9100],
  [1.97, 8950],
  [2.03, 9050],
  [1.99, 8980],
  [2.05, 9070],
  [2.01, 9020],
] as const;

const SUITE = `import os

def test_observe(record_property):
    record_property("latency_ms.observe_decorator.p95", float(os.environ["P95_MS"]))
    record_property("throughput_ops_per_sec.observe_decorator", float(os.environ["OPS"]))

def test_new_feature():
    assert os.environ.get("BREAK") != "1"
`;

let gateway: Service;
let prometheus: Service;
let github: GithubApi;
let workspace: string;
let runNumber = 5000;

async function suiteRun(
  figures: { p95: number; ops: number; broken?: boolean },
  inputs: Record<string, string>,
  env?: Record<string, string>,
): Promise<ActionRun> {
  const runId = String(runNumber++);
  // Every run but the base branch's own is a pull request's, so that none joins the baseline.
  const context = env ?? (await pullRequestEnv(20));
  return runAction({
    workspace,
    inputs: {
      command: `${PYTHON} -m pytest -q -p no:cacheprovider --junitxml=report.xml`,
      'working-directory': 'suite',
      'report-paths': 'report.xml',
      'pushgateway-url': gateway.url,
      'prometheus-url': prometheus.url,
      'gateway-wait-seconds': '5',
      'github-token': 'ghs_standin_token',
      ...inputs,
    },
    env: {
      GITHUB_RUN_ID: runId,
      GITHUB_SHA: runId.padEnd(40, 'a'),
      P95_MS: String(figures.p95),
      OPS: String(figures.ops),
      BREAK: figures.broken === true ? '1' : '0',
      GITHUB_API_URL: github.url,
      ...context,
    },
  });
}

async function pullRequestEnv(number: number): Promise<Record<string, string>> {
  const event = join(workspace, `event-${number}.json`);
  await writeFile(
    event,
    JSON.stringify({ pull_request: { number }, repository: { default_branch: 'main' } }),
  );
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_HEAD_REF: 'feature/faster',
    GITHUB_BASE_REF: 'main',
    GITHUB_REF: `refs/pull/${number}/merge`,
    GITHUB_REF_NAME: `${number}/merge`,
  };
}

async function comparisonOf(run: ActionRun): Promise<{ comparison?: Comparison }> {
  return JSON.parse(await readFile(run.outputs['comparison-file'] ?? '', 'utf8')) as {
    comparison?: Comparison;
  };
}

function p95Verdict(comparison: Comparison | undefined): string | undefined {
  return comparison?.quantities.find(
    (q) => q.metric === 'latency_seconds' && q.labels.stat === 'p95',
  )?.verdict;
}

beforeAll(async () => {
  gateway = await startPushgateway();
  prometheus = await startPrometheus({ gateway: `127.0.0.1:${gateway.port}` });
  github = await startGithubApi();
  workspace = await mkdtemp(join(tmpdir(), 'rma-compare-'));
  await mkdir(join(workspace, 'suite'));
  await writeFile(join(workspace, 'suite', 'test_perf.py'), SUITE);
  await writeFile(join(workspace, 'suite', 'pytest.ini'), '[pytest]\njunit_family = xunit1\n');
  for (const [p95, ops] of BASE) {
    const id = String(runNumber);
    const run = await suiteRun({ p95, ops }, { 'comment-on-pr': 'off' }, {});
    expect(run.exitCode, run.stdout).toBe(0);
    // The next run replaces this one in the gateway: let Prometheus scrape it first, and keep
    // it visible for two scrapes, as a real interval between runs would. A run seen by a single
    // 1 s scrape can fall between two of the history search's 1 s steps (scrape jitter).
    await waitForQuery(prometheus.url, `reliability_run_info{run_id="${id}"}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}, 180_000);

afterAll(async () => {
  await github.close();
  await prometheus.stop();
  await gateway.stop();
});

describe('a pull request compared with its base branch', () => {
  it('flags a real regression, in the summary, the outputs, the JSON and one comment', async () => {
    const run = await suiteRun({ p95: 2.6, ops: 9010 }, {}, await pullRequestEnv(7));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(Number(run.outputs.regressions)).toBeGreaterThanOrEqual(1);
    const { comparison } = await comparisonOf(run);
    expect(comparison?.runs).toBe(BASE.length);
    expect(p95Verdict(comparison)).toBe('regression');
    expect(run.summary).toContain(`Compared with \`main\` (${BASE.length} runs)`);
    expect(run.summary).toMatch(
      /🔴 \| <code>observe\\?_decorator<\/code> p95 latency.*\| 2\.60 ms \| 2\.01 ms ± /,
    );
    const mine = github.comments.filter((c) => c.issue === 7);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toContain('<!-- reliability-metrics-action:comparison:');
    expect(mine[0]?.body).toContain('p95 latency');
    expect(github.requests.every((r) => r.authorization === 'token ghs_standin_token')).toBe(true);
    if (process.env.COMPARE_DUMP_DIR !== undefined) {
      await writeFile(join(process.env.COMPARE_DUMP_DIR, 'summary.md'), run.summary);
      await writeFile(join(process.env.COMPARE_DUMP_DIR, 'comment.md'), mine[0]?.body ?? '');
    }
  }, 60_000);

  it('does not flag a change within the noise, and updates the same comment in place', async () => {
    const before = github.comments.filter((c) => c.issue === 7);
    const run = await suiteRun(
      { p95: 2.12, ops: 9040 },
      { 'comment-on-pr': 'always' },
      { ...(await pullRequestEnv(7)), GITHUB_SHA: 'b'.repeat(40) },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    const { comparison } = await comparisonOf(run);
    expect(p95Verdict(comparison)).toBe('unchanged');
    const figures = comparison?.quantities.filter(
      (q) => q.metric.startsWith('latency') || q.metric.startsWith('throughput'),
    );
    expect(figures?.map((q) => q.verdict)).toEqual(['unchanged', 'unchanged']);
    const after = github.comments.filter((c) => c.issue === 7);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before[0]?.id);
    expect(after[0]?.body).toContain('bbbbbbbbbbbb');
  }, 60_000);

  it('finds its comment on a later page of a long discussion', async () => {
    for (let i = 0; i < 150; i++)
      github.comments.push({ id: 1 + i, issue: 8, body: `chatter ${i}` });
    const first = await suiteRun({ p95: 2.6, ops: 9000 }, {}, await pullRequestEnv(8));
    expect(first.exitCode, first.stdout).toBe(0);
    const second = await suiteRun({ p95: 2.7, ops: 9000 }, {}, await pullRequestEnv(8));
    expect(second.exitCode, second.stdout).toBe(0);
    const ours = github.comments.filter(
      (c) => c.issue === 8 && c.body.includes('reliability-metrics-action:comparison'),
    );
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain('2.70 ms');
    const pages = github.requests.filter(
      (r) => r.method === 'GET' && r.path.includes('/issues/8/comments'),
    );
    expect(pages.some((r) => r.path.includes('page=2'))).toBe(true);
  }, 90_000);

  it('does not fail the step where the token may not comment (a fork), and says what to do', async () => {
    github.readOnly.add(9);
    const run = await suiteRun({ p95: 2.6, ops: 9000 }, {}, await pullRequestEnv(9));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.summary).toContain('could not be posted to the pull request');
    expect(run.summary).toContain('workflow\\_run');
    expect(github.comments.filter((c) => c.issue === 9)).toHaveLength(0);
    // What a workflow_run job posts instead: the comment as Markdown beside the comparison file.
    const markdown = await readFile(
      (run.outputs['comparison-file'] ?? '').replace(/\.json$/, '.md'),
      'utf8',
    );
    expect(markdown).toMatch(
      /^<!-- reliability-metrics-action:comparison:Reliability\/reliability-tests\/default -->/,
    );
    expect(markdown).toContain('p95 latency');
  }, 60_000);

  it('lists a test that fails now but passed in every baseline run as a new failure', async () => {
    const run = await suiteRun(
      { p95: 2.0, ops: 9000, broken: true },
      { 'comment-on-pr': 'off' },
      await pullRequestEnv(7),
    );
    expect(run.exitCode).toBe(1);
    const { comparison } = await comparisonOf(run);
    expect(comparison?.newFailures.map((t) => t.test)).toEqual(['test_perf.test_new_feature']);
    expect(run.summary).toContain('New failures (passed in every baseline run)');
  }, 60_000);

  it('says "not enough history" with fewer runs than baseline-min-runs, and for an empty history', async () => {
    const few = await suiteRun(
      { p95: 5, ops: 100 },
      { 'baseline-min-runs': '10', 'baseline-runs': '10', 'comment-on-pr': 'off' },
    );
    expect(few.exitCode, few.stdout).toBe(0);
    expect(few.summary).toContain(`Not enough history, no verdict: Only ${BASE.length} run(s) of`);
    expect(few.outputs.regressions).toBe('0');
    const none = await suiteRun(
      { p95: 5, ops: 100 },
      { 'baseline-branch': 'release/1.x', 'comment-on-pr': 'off' },
    );
    expect(none.exitCode, none.stdout).toBe(0);
    expect(none.summary).toContain('No run of release/1.x found');
  }, 60_000);

  it('keeps the verdict when the history cannot be reached: a warning, no comparison', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await suiteRun(
      { p95: 2.6, ops: 9000 },
      { 'prometheus-url': closed, 'comment-on-pr': 'off' },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/::warning::No comparison with main: .*connection refused/);
    expect(run.summary).toContain('No comparison:');
    // Credentials in prometheus-url are masked and never written anywhere.
    const secret = 'hunter2-prom-secret';
    const withCredentials = await suiteRun(
      { p95: 2.6, ops: 9000 },
      {
        'prometheus-url': closed.replace('http://', `http://ci:${secret}@`),
        'comment-on-pr': 'off',
      },
    );
    expect(withCredentials.exitCode).toBe(0);
    expect(withCredentials.stdout).toContain(`::add-mask::${secret}`);
    const written = [
      withCredentials.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
      withCredentials.stderr,
      withCredentials.summary,
      await readFile(withCredentials.outputs['comparison-file'] ?? '', 'utf8'),
    ].join('\n');
    expect(written).toContain('No comparison');
    expect(written).not.toContain(secret);
    const broken = await suiteRun(
      { p95: 2.6, ops: 9000, broken: true },
      { 'prometheus-url': closed, 'comment-on-pr': 'off' },
    );
    expect(broken.exitCode).toBe(1);
  }, 60_000);
});

describe('budgets', () => {
  async function budgetsFile(name: string, text: string): Promise<string> {
    await writeFile(join(workspace, 'suite', name), text);
    return name;
  }

  it('fails the step on a fail breach, naming the rule; the tests still passed', async () => {
    const file = await budgetsFile(
      'budgets-fail.yml',
      'budgets:\n  - metric: latency_seconds\n    labels: { operation: observe_decorator, stat: p95 }\n    max: 2.5ms\n',
    );
    const run = await suiteRun({ p95: 2.6, ops: 9000 }, { budgets: file, 'comment-on-pr': 'off' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Budget rule 1 breached: latency_seconds\{.*stat="p95".*\} is 2\.60 ms, over max: 2\.5ms/,
    );
    expect(run.outputs['budget-breaches']).toBe('1');
    expect(run.outputs['tests-failed']).toBe('0');
    expect(run.summary).toContain('❌ breached');
  }, 60_000);

  it('only warns on a warn breach, on max-increase over the baseline, and on a metric the run lacks', async () => {
    const file = await budgetsFile(
      'budgets-warn.yml',
      [
        'budgets:',
        '  - metric: latency_seconds',
        '    labels: { stat: p95 }',
        '    max-increase: 10%',
        '    on-breach: warn',
        '  - metric: throughput_ops_per_second',
        '    min: 8000',
        '  - metric: no_such_metric',
        '    max: 1',
        '',
      ].join('\n'),
    );
    const run = await suiteRun({ p95: 2.6, ops: 9000 }, { budgets: file, 'comment-on-pr': 'off' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::Budget rule 1 breached: latency_seconds.* over max-increase: 10%(25)? of the baseline median 2\.01 ms/,
    );
    expect(run.stdout).toContain('::warning::Budget rule 3: no series no_such_metric in this run');
    expect(run.outputs['budget-breaches']).toBe('1');
    expect(run.summary).toContain('✅ within');
  }, 60_000);

  it('rejects a malformed budgets file before the command runs, naming the file, the rule and the problem', async () => {
    const file = await budgetsFile(
      'budgets-bad.yml',
      'budgets:\n  - metric: latency_seconds\n    max: 2 parsecs\n',
    );
    const report = join(workspace, 'suite', 'report.xml');
    await writeFile(report, 'stale');
    const run = await suiteRun({ p95: 2.0, ops: 9000 }, { budgets: file, 'comment-on-pr': 'off' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Input 'budgets': Budgets file .*budgets-bad\.yml, rule 1 \(latency_seconds\): 'max: 2 parsecs' is not a number with a unit/,
    );
    expect(await readFile(report, 'utf8')).toBe('stale');
    expect(existsSync(report)).toBe(true);
  }, 60_000);
});

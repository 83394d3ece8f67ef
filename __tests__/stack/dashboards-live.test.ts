/**
 * Every query of every dashboard panel, run against a real Prometheus that scrapes a real
 * Pushgateway holding two runs: a passing one on `main` and a failing one on `feature/x`.
 *
 * 1. Synthetic runs: the exposition text of the metric model (docs/architecture.md) pushed with PUT, so the
 *    dashboards and alerts are checked against the metric contract on their own.
 * 2. Real runs: `node dist/index.js` (runAction) on a copy of examples/python-suite, once passing
 *    on main and once failing (EXAMPLE_FAIL=1) on feature/x. Skipped, saying so, only while
 *    dist/index.js has not been built.
 *
 * Each query must be valid and return at least one finite value with the template variables set
 * to the values Prometheus has (as when every value is picked in Grafana).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { DIST, runAction } from '../helpers/run-action.js';
import {
  query,
  startPrometheus,
  startPushgateway,
  waitForQuery,
  type Service,
} from '../helpers/services.js';
import {
  ROOT,
  alertRules,
  readRepoFile,
  allPanels,
  interpolate,
  loadDashboards,
  pushSyntheticRun,
  resolveVariables,
  runTarget,
} from './stack.js';

/**
 * Panels allowed to have no data after one passing and one failing run, and why. Empty: every
 * panel of every dashboard shows data.
 */
const MAY_BE_EMPTY: ReadonlyMap<string, string> = new Map();

interface Stack {
  gateway: Service;
  prometheus: Service;
}

async function startStack(): Promise<Stack> {
  const gateway = await startPushgateway();
  const prometheus = await startPrometheus({
    gateway: `127.0.0.1:${gateway.port}`,
    ruleFiles: [join(ROOT, 'prometheus', 'thresholds.yml'), join(ROOT, 'prometheus', 'alerts.yml')],
  });
  return { gateway, prometheus };
}

async function stopStack(stack: Stack | undefined): Promise<void> {
  await stack?.prometheus.stop();
  await stack?.gateway.stop();
}

/** Waits until Prometheus has scraped both runs, the last_success group of main included. */
async function waitForRuns(prometheusUrl: string): Promise<void> {
  await waitForQuery(
    prometheusUrl,
    'count(reliability_run_success{repository="acme/widgets", branch=~"main|feature/x"})',
    (series) => series[0]?.value[1] === '2',
  );
  await waitForQuery(
    prometheusUrl,
    'reliability_last_success_timestamp_seconds{repository="acme/widgets", branch="main"}',
  );
}

/** Runs every target of every panel; returns one line per problem. */
async function checkAllPanels(
  prometheusUrl: string,
  picked: Readonly<Record<string, string>> = {},
): Promise<{ problems: string[]; checked: number }> {
  const problems: string[] = [];
  let checked = 0;
  for (const { file, dashboard } of loadDashboards()) {
    const { values } = await resolveVariables(dashboard, prometheusUrl, picked);
    for (const panel of allPanels(dashboard)) {
      for (const target of panel.targets ?? []) {
        if (target.hide === true) continue;
        checked++;
        const where = `${file} "${panel.title}" ${target.refId}`;
        const expr = interpolate(target.expr, values);
        if (/\$(\w|\{)/.test(expr)) {
          problems.push(`${where}: unresolved variable in ${expr}`);
          continue;
        }
        try {
          const answer = await runTarget(prometheusUrl, expr, target.instant === true);
          const finite = answer.series.some((s) => s.values.some((v) => Number.isFinite(v)));
          if (!finite && !MAY_BE_EMPTY.has(`${file}:${panel.title}`)) {
            problems.push(`${where}: no data for ${expr}`);
          }
        } catch (error) {
          problems.push(`${where}: ${(error as Error).message}`);
        }
      }
    }
  }
  return { problems, checked };
}

/** The warning-tier failure-rate expression, as written in prometheus/alerts.yml. */
function failureRateExpr(): string {
  const rule = alertRules().find(
    (r) => r.alert === 'ReliabilityTestFailureRate' && r.labels?.severity === 'warning',
  );
  if (rule === undefined) throw new Error('ReliabilityTestFailureRate (warning) not in alerts.yml');
  return rule.expr;
}

/** Asserts the failure-rate alert expression holds for feature/x and not for main. */
async function expectFailureRateOnlyOnFailingBranch(prometheusUrl: string): Promise<void> {
  const firing = await query(prometheusUrl, failureRateExpr());
  const branches = firing.map((s) => s.metric.branch).sort();
  expect(branches).toEqual(['feature/x']);
  // 1 failed of 8 executed tests (the skipped one does not count).
  expect(Number(firing[0]?.value[1])).toBeCloseTo(0.125, 6);
  // The rule itself is loaded and evaluated: pending (for: 1m) for feature/x only.
  const pending = await waitForQuery(
    prometheusUrl,
    'ALERTS{alertname="ReliabilityTestFailureRate", repository="acme/widgets"}',
  );
  expect(pending.map((s) => `${s.metric.branch} ${s.metric.severity}`)).toEqual([
    'feature/x warning',
  ]);
  const e2e = await waitForQuery(
    prometheusUrl,
    'ALERTS{alertname="E2ETestsFailing", repository="acme/widgets"}',
  );
  expect(e2e.map((s) => `${s.metric.branch} ${s.metric.test}`)).toEqual([
    'feature/x tests.test_tracer.test_checkout_flow_e2e',
  ]);
}

describe('dashboards and alerts on synthetic pushes of the metric contract', () => {
  let stack: Stack | undefined;

  beforeAll(async () => {
    stack = await startStack();
    const endedAt = Math.floor(Date.now() / 1000);
    // Pull requests in groups of their own: a failing one from release/1.x (which would page
    // if it counted as the branch) and a passing one. No alert may name them.
    await pushSyntheticRun(
      stack.gateway.url,
      { branch: 'release/1.x', failing: true, endedAt },
      PR_FROM_RELEASE,
    );
    await pushSyntheticRun(
      stack.gateway.url,
      { branch: 'feature/y', failing: false, endedAt },
      { branch: 'feature/y', pull_request: '13' },
    );
    await pushSyntheticRun(stack.gateway.url, { branch: 'main', failing: false, endedAt });
    await pushSyntheticRun(stack.gateway.url, { branch: 'feature/x', failing: true, endedAt });
    await waitForRuns(stack.prometheus.url);
  });

  afterAll(async () => {
    await stopStack(stack);
  });

  it('runs every panel query with data', async () => {
    const { problems, checked } = await checkAllPanels(stack?.prometheus.url ?? '');
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });

  it('evaluates the failure-rate alert true for the failing branch only', async () => {
    await expectFailureRateOnlyOnFailingBranch(stack?.prometheus.url ?? '');
  });

  it('shows the pull requests, apart from their branches, when Runs is "pull requests"', async () => {
    const { problems, checked } = await checkAllPanels(stack?.prometheus.url ?? '', {
      runs: '.+',
    });
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(30);
    // The default (branch runs) never shows a pull request's series.
    const { values } = await resolveVariables(
      loadDashboards()[0]?.dashboard ?? assert.fail('no dashboard'),
      stack?.prometheus.url ?? '',
    );
    expect(values.runs).toBe('^$');
    const series = await query(
      stack?.prometheus.url ?? '',
      interpolate('reliability_run_success{pull_request=~"$runs"}', values),
    );
    expect(series.map((s) => s.metric.branch).sort()).toEqual(['feature/x', 'main']);
  });

  it.skipIf(!hasJq)(
    `deletes the groups of a closed pull request with the script of docs/stack.md${hasJq ? '' : ' [SKIPPED: jq is not installed]'}`,
    async () => {
      const gateway = stack?.gateway.url ?? '';
      const endedAt = 1;
      await pushSyntheticRun(
        gateway,
        { branch: 'feature/z', failing: false, endedAt },
        {
          branch: 'feature/z',
          pull_request: '99',
        },
      );
      const result = spawnSync(
        'bash',
        [
          '-c',
          docsScript('delete-pull-request-groups'),
          'delete-pull-request-groups',
          'acme/widgets',
          '99',
        ],
        { env: { ...process.env, PUSHGATEWAY_URL: gateway }, encoding: 'utf8' },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.match(/^DELETE /gm)).toHaveLength(2); // the run and last_success
      const left = await groups(gateway);
      expect(left.filter((g) => g.pull_request === '99')).toEqual([]);
      expect(left.filter((g) => g.pull_request === '13')).toHaveLength(2);
      expect(left.filter((g) => g.branch === 'main')).toHaveLength(2);
    },
  );

  it.skipIf(!hasJq)(
    `deletes every group of a branch with the cleanup script of docs/stack.md${hasJq ? '' : ' [SKIPPED: jq is not installed]'}`,
    async () => {
      const gateway = stack?.gateway.url ?? '';
      // One more group of feature/x (another suite) and one of another repository's feature/x.
      const other = { repository: 'acme/widgets', branch: 'feature/x', suite: 'slow tests' };
      await pushSyntheticRun(gateway, { branch: 'feature/x', failing: true, endedAt: 1 }, other);
      await pushSyntheticRun(
        gateway,
        { branch: 'feature/x', failing: true, endedAt: 1 },
        { repository: 'acme/gadgets' },
      );
      const before = await groups(gateway);
      expect(
        before.filter((g) => g.repository === 'acme/widgets' && g.branch === 'feature/x'),
      ).toHaveLength(2);
      const result = spawnSync(
        'bash',
        ['-c', cleanupScript(), 'delete-branch-groups', 'acme/widgets', 'feature/x'],
        {
          env: { ...process.env, PUSHGATEWAY_URL: gateway },
          encoding: 'utf8',
        },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('DELETE /metrics/job@base64/');
      const after = await groups(gateway).then((list) =>
        list
          .map(
            (g) =>
              `${g.repository} ${g.branch} ${g.suite}${g.record === undefined ? '' : ` ${g.record}`}`,
          )
          .sort(),
      );
      expect(after).toEqual([
        'acme/gadgets feature/x default',
        'acme/widgets feature/y default',
        'acme/widgets feature/y default last_success',
        'acme/widgets main default',
        'acme/widgets main default last_success',
        'acme/widgets release/1.x default',
      ]);
    },
  );
});

/** A cleanup script of docs/stack.md (the sh block that starts with `# <name>`). */
function docsScript(name: string): string {
  const block = new RegExp(`\`\`\`sh\\n(# ${name}[\\s\\S]*?)\`\`\``).exec(
    readRepoFile('docs', 'stack.md'),
  );
  if (block?.[1] === undefined) throw new Error(`docs/stack.md: no ${name} script`);
  return block[1];
}

/** The branch cleanup script of docs/stack.md. */
function cleanupScript(): string {
  return docsScript('delete-branch-groups');
}

/** Grouping labels of a pull request from release/1.x. */
const PR_FROM_RELEASE = { branch: 'release/1.x', pull_request: '12' };

/** The grouping labels of every group on the gateway. */
async function groups(gatewayUrl: string): Promise<Record<string, string>[]> {
  const response = await fetch(`${gatewayUrl}/api/v1/metrics`);
  const body = (await response.json()) as { data: { labels: Record<string, string> }[] };
  return body.data.map((group) => group.labels);
}

const hasJq = spawnSync('jq', ['--version']).status === 0;

const distMissing = !existsSync(DIST);
const skipNote = distMissing
  ? ' [SKIPPED: dist/index.js is missing; build it with `npm run package`]'
  : '';

describe.skipIf(distMissing)(
  `dashboards and alerts on real action runs of examples/python-suite${skipNote}`,
  () => {
    let stack: Stack | undefined;
    const workspaces: string[] = [];

    async function runExample(branch: string, failing: boolean): Promise<number | null> {
      const workspace = await mkdtemp(join(tmpdir(), 'rma-stack-'));
      workspaces.push(workspace);
      const suite = join(workspace, 'python-suite');
      await cp(join(ROOT, 'examples', 'python-suite'), suite, { recursive: true });
      const result = await runAction({
        workspace,
        inputs: {
          command: '/usr/bin/python3 -m pytest -q --junitxml=report.xml',
          'working-directory': suite,
          'pushgateway-url': stack?.gateway.url ?? '',
          'report-paths': 'report.xml',
          'sample-interval': '0.2',
        },
        env: {
          GITHUB_REF_NAME: branch,
          GITHUB_REF: `refs/heads/${branch}`,
          ...(failing ? { EXAMPLE_FAIL: '1' } : {}),
        },
      });
      if (result.outputs.pushed !== 'true') {
        throw new Error(`run on ${branch} did not push:\n${result.stdout}\n${result.stderr}`);
      }
      return result.exitCode;
    }

    beforeAll(async () => {
      stack = await startStack();
      expect(await runExample('main', false)).toBe(0);
      expect(await runExample('feature/x', true)).not.toBe(0);
      await waitForRuns(stack.prometheus.url);
    }, 180_000);

    afterAll(async () => {
      await stopStack(stack);
      await Promise.all(workspaces.map((dir) => rm(dir, { recursive: true, force: true })));
    });

    it('runs every panel query with data', async () => {
      const { problems, checked } = await checkAllPanels(stack?.prometheus.url ?? '');
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(30);
    });

    it('evaluates the failure-rate alert true for the failing branch only', async () => {
      await expectFailureRateOnlyOnFailingBranch(stack?.prometheus.url ?? '');
    });
  },
);

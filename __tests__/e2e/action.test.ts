/**
 * The action end to end, as the runner runs it: `node dist/index.js` on the real example pytest
 * suite, pushing to a real Pushgateway scraped by a real Prometheus.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleInputs, exampleWorkspace } from '../helpers/example-suite.js';
import { node24Binary } from '../helpers/node24.js';
import { runAction } from '../helpers/run-action.js';
import {
  query,
  startPrometheus,
  startPushgateway,
  waitForQuery,
  type Service,
} from '../helpers/services.js';

const BRANCH = 'feature/ünïcode-x';
const QUOTED = 'tests.test_tracer.test_payload_round_trip[quotes-"hi"]';
const UNICODE = 'tests.test_tracer.test_payload_round_trip[unicode-café-✓]';
const sel = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
const value = (series: { value: [number, string] }[]): number => Number(series[0]?.value[1]);

describe('the action against a real Pushgateway and Prometheus', () => {
  let gateway: Service;
  let prometheus: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
    prometheus = await startPrometheus({ gateway: `127.0.0.1:${gateway.port}` });
  });
  afterAll(async () => {
    await prometheus.stop();
    await gateway.stop();
  });

  it('pushes a passing run with CI metadata, per-test series and recorded figures', async () => {
    const run = await runAction({
      inputs: exampleInputs({ 'pushgateway-url': gateway.url, suite: 'e2e' }),
      workspace: await exampleWorkspace(),
      env: { GITHUB_REF_NAME: BRANCH, GITHUB_RUN_ID: '1001' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({
      'exit-code': '0',
      'tests-total': '9',
      'tests-passed': '8',
      'tests-failed': '0',
      'tests-skipped': '1',
      pushed: 'true',
    });
    expect(Number(run.outputs['peak-memory-bytes'])).toBeGreaterThan(5_000_000);
    expect(existsSync(run.outputs['metrics-file'] ?? '')).toBe(true);
    expect(run.summary).toContain('## ✅ Reliability tests passed');
    expect(run.summary).toContain('✅ Pushed to');

    const group = {
      job: 'reliability_tests',
      repository: 'acme/widgets',
      branch: BRANCH,
      workflow: 'Reliability',
      workflow_job: 'reliability-tests',
      suite: 'e2e',
    };
    const passed = await waitForQuery(
      prometheus.url,
      `reliability_tests${sel({ ...group, status: 'passed' })}`,
    );
    expect(value(passed)).toBe(8);
    const info = await query(prometheus.url, `reliability_run_info${sel(group)}`);
    expect(info[0]?.metric).toMatchObject({
      commit: '0123456789abcdef0123456789abcdef01234567',
      run_id: '1001',
      run_attempt: '1',
      event: 'push',
      actor: 'octocat',
      runner_os: 'Linux',
    });
    expect(value(await query(prometheus.url, `reliability_run_success${sel(group)}`))).toBe(1);

    // Test names with quotes and Unicode arrive exactly as pytest wrote them.
    const quoted = await query(
      prometheus.url,
      `reliability_test_case_status${sel({ ...group, test: QUOTED })}`,
    );
    expect(quoted.map((s) => s.metric.status)).toEqual(['passed']);
    const unicode = await query(
      prometheus.url,
      `reliability_test_case_status${sel({ ...group, test: UNICODE })}`,
    );
    expect(unicode).toHaveLength(1);

    // Figures recorded by the tests through record_property, in base units.
    const p95 = await query(
      prometheus.url,
      `reliability_latency_seconds${sel({ ...group, operation: 'observe_decorator', stat: 'p95' })}`,
    );
    expect(value(p95)).toBeGreaterThan(0);
    expect(value(p95)).toBeLessThan(0.05);
    const throughput = await query(
      prometheus.url,
      `reliability_throughput_ops_per_second${sel(group)}`,
    );
    expect(value(throughput)).toBeGreaterThan(1000);
    const spans = await query(prometheus.url, `reliability_spans_delivered${sel(group)}`);
    expect(value(spans)).toBeGreaterThan(0);
    const last = await waitForQuery(
      prometheus.url,
      `reliability_last_success_timestamp_seconds${sel({ ...group, record: 'last_success' })}`,
    );
    expect(value(last)).toBeGreaterThan(Date.now() / 1000 - 120);
  });

  it('replaces the group with a failing run, keeps the last success, and fails the step', async () => {
    const group = { job: 'reliability_tests', branch: BRANCH, suite: 'e2e' };
    const lastBefore = value(
      await query(prometheus.url, `reliability_last_success_timestamp_seconds${sel(group)}`),
    );
    const run = await runAction({
      inputs: exampleInputs({ 'pushgateway-url': gateway.url, suite: 'e2e' }),
      workspace: await exampleWorkspace(),
      env: { GITHUB_REF_NAME: BRANCH, GITHUB_RUN_ID: '1002', EXAMPLE_FAIL: '1' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error');
    expect(run.stdout).toContain('checkout returned HTTP 503');
    expect(run.outputs).toMatchObject({ 'exit-code': '1', 'tests-failed': '1', pushed: 'true' });
    expect(run.summary).toContain('## ❌ Reliability tests failed (exit code 1)');
    expect(run.summary).toContain('test\\_checkout\\_flow\\_e2e');

    const failed = await waitForQuery(
      prometheus.url,
      `reliability_tests${sel({ ...group, status: 'failed' })}`,
      (s) => value(s) === 1,
    );
    expect(failed).toHaveLength(1);
    const info = await waitForQuery(
      prometheus.url,
      `reliability_run_info${sel(group)}`,
      (s) => s.length === 1 && s[0]?.metric.run_id === '1002',
    );
    expect(info).toHaveLength(1); // the first run's series are gone from the gateway: one group, replaced
    expect(value(await query(prometheus.url, `reliability_run_success${sel(group)}`))).toBe(0);
    // The failing run did not touch the last-success group.
    const gatewayGroups = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as {
      data: { labels: Record<string, string> }[];
    };
    expect(
      gatewayGroups.data.some(
        (g) => g.labels.record === 'last_success' && g.labels.branch === BRANCH,
      ),
    ).toBe(true);
    expect(
      value(await query(prometheus.url, `reliability_last_success_timestamp_seconds${sel(group)}`)),
    ).toBe(lastBefore);
  });

  it('keeps the command’s verdict and writes the metrics file when the gateway is down', async () => {
    const down = await startPushgateway();
    await down.stop();
    const run = await runAction({
      inputs: exampleInputs({ 'pushgateway-url': down.url, 'gateway-wait-seconds': '1' }),
      workspace: await exampleWorkspace(),
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('false');
    expect(run.stdout).toMatch(/::warning::.*connection refused/);
    const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
    expect(metrics).toContain('reliability_tests{status="passed"} 8');
    expect(run.summary).toContain('❌ Push to');
    expect(run.summary).toContain('connection refused');
  });

  // npm test's pretest installs it (scripts/node24.mjs); Linux x64 always has the package.
  const node24 = node24Binary();
  const mustHave = process.platform === 'linux' && process.arch === 'x64';
  it.skipIf(node24 === undefined && !mustHave)(
    'runs on node 24, the runner’s node, as on this one',
    async () => {
      expect(
        node24,
        'scripts/node24.mjs installs a Node 24 (npm test runs it first)',
      ).toBeDefined();
      const run = await runAction({
        node: node24 ?? '',
        inputs: exampleInputs({ 'pushgateway-url': gateway.url, suite: 'node24' }),
        workspace: await exampleWorkspace(),
      });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.outputs.pushed).toBe('true');
      expect(run.stderr).not.toMatch(/Error|Warning/);
    },
  );
});

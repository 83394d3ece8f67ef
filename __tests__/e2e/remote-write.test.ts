/**
 * Remote write through the bundled action, as the runner runs it: the example suite into a real
 * Prometheus with its receiver on, beside a real Pushgateway, or alone; a receiver that refuses.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleInputs, exampleWorkspace } from '../helpers/example-suite.js';
import { startFaultServer } from '../helpers/fault-server.js';
import {
  rawSamples,
  startPrometheusReceiver,
  startVictoriaMetrics,
  type Receiver,
} from '../helpers/remote-write-services.js';
import { runAction } from '../helpers/run-action.js';
import { startPushgateway, type Service } from '../helpers/services.js';

const group = (branch: string, suite: string): string =>
  `{job="reliability_tests", repository="acme/widgets", branch=${JSON.stringify(branch)}, suite=${JSON.stringify(suite)}}`;

describe('remote write through the action', () => {
  let gateway: Service;
  let prometheus: Receiver;
  let victoria: Receiver;
  beforeAll(async () => {
    [gateway, prometheus, victoria] = await Promise.all([
      startPushgateway(),
      startPrometheusReceiver(),
      startVictoriaMetrics(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gateway.stop(), prometheus.stop(), victoria.stop()]);
  });

  it('sends the run to the gateway and by remote write at once, stamped with its end', async () => {
    const branch = 'feature/ünïcode-rw';
    const run = await runAction({
      inputs: exampleInputs({
        'pushgateway-url': gateway.url,
        'remote-write-url': prometheus.writeUrl,
        suite: 'both',
      }),
      workspace: await exampleWorkspace(),
      env: { GITHUB_REF_NAME: branch },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.pushed).toBe('true');
    expect(run.summary).toContain('✅ Pushed to');
    expect(run.summary).toMatch(
      /✅ Remote-wrote \d+ series to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write/,
    );

    const [stamp] = await rawSamples(
      prometheus.url,
      `reliability_run_timestamp_seconds${group(branch, 'both')}`,
    );
    const endedAtMs = Math.round((stamp?.samples[0]?.value ?? 0) * 1000);
    expect(stamp?.samples.map((s) => s.timestampMs)).toEqual([endedAtMs]);
    const status = await rawSamples(
      prometheus.url,
      `reliability_test_case_status${group(branch, 'both')}`,
    );
    expect(status.map((s) => s.metric.test)).toContain(
      'tests.test_tracer.test_payload_round_trip[quotes-"hi"]',
    );
    for (const one of status) expect(one.samples.map((s) => s.timestampMs)).toEqual([endedAtMs]);
    const [last] = await rawSamples(
      prometheus.url,
      `reliability_last_success_timestamp_seconds${group(branch, 'both')}`,
    );
    expect(last?.metric.record).toBe('last_success');
    expect(last?.samples[0]?.value).toBe(stamp?.samples[0]?.value);
    // The gateway got the run too.
    const groups = await (await fetch(`${gateway.url}/api/v1/metrics`)).text();
    expect(groups).toContain('"suite":"both"');
  });

  it('keeps every run of one group, passing and failing, and the last success after a failure', async () => {
    const branch = 'release/1.x';
    const runs: { fail: boolean }[] = [
      { fail: false },
      { fail: true },
      { fail: false },
      { fail: true },
    ];
    for (const { fail } of runs) {
      const run = await runAction({
        inputs: exampleInputs({ 'remote-write-url': victoria.writeUrl, suite: 'burst' }),
        workspace: await exampleWorkspace(),
        env: { GITHUB_REF_NAME: branch, ...(fail ? { EXAMPLE_FAIL: '1' } : {}) },
      });
      expect(run.exitCode, run.stdout).toBe(fail ? 1 : 0);
      expect(run.outputs.pushed).toBe('true');
    }
    await victoria.flush();
    const [success] = await rawSamples(
      victoria.url,
      `reliability_run_success${group(branch, 'burst')}`,
    );
    expect(success?.samples.map((s) => s.value)).toEqual([1, 0, 1, 0]);
    const [last] = await rawSamples(
      victoria.url,
      `reliability_last_success_timestamp_seconds${group(branch, 'burst')}`,
    );
    expect(last?.samples).toHaveLength(2);
    const [stamps] = await rawSamples(
      victoria.url,
      `reliability_run_timestamp_seconds${group(branch, 'burst')}`,
    );
    // The last success is the third run's end, not the fourth's.
    expect(last?.samples.at(-1)?.value).toBe(stamps?.samples[2]?.value);
  });

  it('a receiver that refuses: a warning with its message, the verdict kept, the metrics file written', async () => {
    const server = await startFaultServer((_i, _req, res) =>
      res.writeHead(401).end('invalid tenant: X-Scope-OrgID missing'),
    );
    try {
      const inputs = {
        command: 'echo ok',
        'pushgateway-url': gateway.url,
        'remote-write-url': `${server.url}/api/v1/push`,
        'push-timeout-seconds': '3',
      };
      const run = await runAction({ inputs });
      expect(run.exitCode).toBe(0);
      expect(run.outputs.pushed).toBe('false');
      expect(run.stdout).toMatch(
        /::warning::Could not remote-write the metrics to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/push: the receiver refused the credentials \(HTTP 401\): invalid tenant/,
      );
      expect(run.summary).toContain('❌ Remote write to');
      expect(run.summary).toContain('✅ Pushed to');
      expect(existsSync(run.outputs['metrics-file'] ?? '')).toBe(true);

      const strict = await runAction({ inputs: { ...inputs, 'fail-on-push-error': 'true' } });
      expect(strict.exitCode).toBe(1);
      expect(strict.stdout).toContain(
        'The metrics could not be pushed (fail-on-push-error is true).',
      );
    } finally {
      await server.close();
    }
  });

  it('a bad header line is an input error naming the input', async () => {
    const run = await runAction({
      inputs: {
        command: 'echo ok',
        'remote-write-url': prometheus.writeUrl,
        'remote-write-headers': 'X-Scope-OrgID team-a',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      "::error::Input 'remote-write-headers': a line is not 'Name: value'",
    );
  });
});

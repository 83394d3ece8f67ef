/**
 * The remote-write client against real receivers started here: Prometheus 2.42 with its receiver
 * on, and single-node VictoriaMetrics. Everything is checked through their query APIs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteWrite } from '../../src/metrics/remote-write.js';
import { encodeWriteRequest } from '../../src/metrics/remote-write-proto.js';
import { splitIntoBatches } from '../../src/metrics/remote-write-series.js';
import {
  rawSamples,
  startPrometheusReceiver,
  startVictoriaMetrics,
  type Receiver,
} from '../helpers/remote-write-services.js';
import { manyTests, prepareRun, type PreparedRun } from '../helpers/remote-write-run.js';
import { sampleRun } from '../helpers/sample-run.js';

const send = async (receiver: Receiver, run: PreparedRun): Promise<void> => {
  const result = await remoteWrite(
    { url: new URL(receiver.writeUrl), headers: {}, secrets: [] },
    run.batches,
  );
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  await receiver.flush();
};

const engines: [string, () => Promise<Receiver>][] = [
  ['Prometheus 2.42', () => startPrometheusReceiver()],
  ['VictoriaMetrics', startVictoriaMetrics],
];

describe.each(engines)('remote write into %s', (_name, start) => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it('keeps every label and value: a branch with /, Unicode, quotes in test names, histogram buckets', async () => {
    const branch = 'feature/naïve-✓ "quoted"';
    const endedAt = Math.floor(Date.now() / 1000) - 5 + 0.25;
    await send(receiver, await prepareRun({ branch, endedAt, success: false }));
    const match = `{branch=${JSON.stringify(branch)}, job="reliability", suite="api"}`;

    const status = await rawSamples(receiver.url, `reliability_test_case_status${match}`);
    const tests = status.map((s) => s.metric.test).sort();
    expect(tests).toEqual([...sampleRun().tests].map((t) => t.id).sort());
    expect(tests).toContain('tests.test_api.test_quote["x"]');
    const failed = status.find((s) => s.metric.test === 'tests.test_api.TestApi.test_post');
    expect(failed?.metric).toMatchObject({
      status: 'failed',
      repository: 'acme/widgets',
      workflow: 'Reliability',
      workflow_job: 'reliability-tests',
      classname: 'tests.test_api.TestApi',
      file: 'tests/test_api.py',
    });

    const [duration] = await rawSamples(
      receiver.url,
      `reliability_test_case_duration_seconds{branch=${JSON.stringify(branch)}, test="tests.test_api.test_slow"}`,
    );
    expect(duration?.samples.map((s) => s.value)).toEqual([4.5]);

    const buckets = await rawSamples(
      receiver.url,
      `reliability_test_duration_seconds_bucket${match}`,
    );
    const byLe = new Map(buckets.map((b) => [b.metric.le, b.samples[0]?.value]));
    // Five tests with a duration (the skipped one is left out): 0.001, 0.03, 0.12, 0.2, 4.5.
    expect(byLe.get('+Inf')).toBe(5);
    expect(byLe.get('0.1')).toBe(2);
    expect(byLe.get('5')).toBe(5);
    const [count] = await rawSamples(
      receiver.url,
      `reliability_test_duration_seconds_count${match}`,
    );
    expect(count?.samples[0]?.value).toBe(5);
  });

  it("stamps every sample with the run's end time, in milliseconds", async () => {
    const endedAt = Math.floor(Date.now() / 1000) - 20 + 0.123;
    await send(receiver, await prepareRun({ branch: 'stamp', endedAt }));
    const series = await rawSamples(receiver.url, '{branch="stamp"}');
    expect(series.length).toBeGreaterThan(20);
    for (const one of series) {
      expect(one.samples.map((s) => s.timestampMs)).toEqual([Math.round(endedAt * 1000)]);
    }
    const [stamp] = await rawSamples(
      receiver.url,
      'reliability_run_timestamp_seconds{branch="stamp"}',
    );
    expect(stamp?.samples[0]?.value).toBeCloseTo(endedAt, 3);
  });

  it('keeps every run of one group sent within a few seconds, one point each', async () => {
    const first = Math.floor(Date.now() / 1000) - 10;
    for (let i = 0; i < 6; i++) {
      await send(
        receiver,
        await prepareRun({ branch: 'burst', endedAt: first + i * 0.5, success: i % 2 === 0 }),
      );
    }
    const [runs] = await rawSamples(receiver.url, 'reliability_run_success{branch="burst"}');
    expect(runs?.samples.map((s) => s.value)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(runs?.samples.map((s) => s.timestampMs)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => (first + i * 0.5) * 1000),
    );
  });

  it('leaves the last success in place after a failing run', async () => {
    const passed = Math.floor(Date.now() / 1000) - 30;
    await send(receiver, await prepareRun({ branch: 'last-ok', endedAt: passed, success: true }));
    await send(
      receiver,
      await prepareRun({ branch: 'last-ok', endedAt: passed + 5, success: false }),
    );
    const last = await rawSamples(
      receiver.url,
      'reliability_last_success_timestamp_seconds{branch="last-ok", record="last_success"}',
    );
    expect(last).toHaveLength(1);
    expect(last[0]?.samples.map((s) => s.value)).toEqual([passed]);
    const [success] = await rawSamples(receiver.url, 'reliability_run_success{branch="last-ok"}');
    expect(success?.samples.map((s) => s.value)).toEqual([1, 0]);
  });

  it('takes the same run twice as one point: resending is harmless', async () => {
    const run = await prepareRun({ branch: 'resend', endedAt: Math.floor(Date.now() / 1000) - 3 });
    await send(receiver, run);
    await send(receiver, run);
    const series = await rawSamples(receiver.url, '{branch="resend"}');
    expect(series.length).toBe(run.seriesCount);
    for (const one of series) expect(one.samples).toHaveLength(1);
  });

  it('splits a 10k-test run into bounded requests that all arrive', async () => {
    const run = await prepareRun({
      branch: 'big',
      endedAt: Math.floor(Date.now() / 1000) - 2,
      tests: manyTests(10_000),
      maxTestSeries: 10_000,
    });
    expect(run.batches.length).toBeGreaterThanOrEqual(10);
    const result = await remoteWrite(
      { url: new URL(receiver.writeUrl), headers: {}, secrets: [] },
      run.batches,
    );
    expect(result).toMatchObject({
      ok: true,
      requests: run.batches.length,
      requestsTaken: run.batches.length,
    });
    await receiver.flush();
    const series = await rawSamples(receiver.url, '{branch="big"}');
    expect(series.length).toBe(run.seriesCount);
  });
});

describe('splitIntoBatches', () => {
  it('bounds requests by series and by bytes, keeping order and sending metadata once', async () => {
    const run = await prepareRun({
      branch: 'b',
      endedAt: 1,
      tests: manyTests(50),
      maxTestSeries: 50,
    });
    const all = run.batches.flatMap((b) => b.series);
    const metadata = run.batches.flatMap((b) => b.metadata);
    const bySeries = splitIntoBatches(all, metadata, { maxSeries: 7, maxBytes: 1e9 });
    expect(bySeries.every((b) => b.series.length <= 7)).toBe(true);
    expect(bySeries.flatMap((b) => b.series)).toEqual(all);
    expect(bySeries[0]?.metadata).toEqual(metadata);
    expect(bySeries.slice(1).every((b) => b.metadata.length === 0)).toBe(true);
    const byBytes = splitIntoBatches(all, metadata, { maxSeries: 1e9, maxBytes: 2000 });
    expect(byBytes.length).toBeGreaterThan(1);
    expect(byBytes.every((b) => b.bytes <= 2000 || b.series.length === 1)).toBe(true);
    expect(byBytes.flatMap((b) => b.series)).toEqual(all);
  });

  it('counts the bytes of a request from the wire format, never below what protobufjs writes', async () => {
    const run = await prepareRun({
      branch: 'b/ü',
      endedAt: 1_767_225_600.5,
      tests: manyTests(300),
      maxTestSeries: 300,
    });
    for (const batch of splitIntoBatches(
      run.batches.flatMap((b) => b.series),
      [],
      { maxSeries: 37, maxBytes: 1e9 },
    )) {
      const actual = encodeWriteRequest(batch.series).length;
      expect(batch.bytes).toBeGreaterThanOrEqual(actual);
      expect(batch.bytes).toBeLessThanOrEqual(actual + 16 * batch.series.length);
    }
  });
});

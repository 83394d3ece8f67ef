import { describe, expect, it } from 'vitest';
import { readGithubContext as readCiContext } from '../../src/ci/github.js';
import { buildMetrics, countSeries, selectTestSeries } from '../../src/metrics/build-registry.js';
import { sampleRun } from '../helpers/sample-run.js';

const ci = readCiContext({
  GITHUB_SHA: 'abc123',
  GITHUB_RUN_ID: '99',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_EVENT_NAME: 'push',
  RUNNER_OS: 'Linux',
});
const build = (overrides = {}, maxTestSeries = 500) =>
  buildMetrics({
    run: sampleRun(overrides),
    ci,
    prefix: 'reliability_',
    maxTestSeries,
    endedAt: 1_760_000_006,
  });

describe('buildMetrics', () => {
  it('exports the run verdict, counts per status and CI metadata', async () => {
    const text = await build().registry.metrics();
    expect(text).toContain('reliability_run_exit_code 1');
    expect(text).toContain('reliability_run_success 0');
    expect(text).toContain('reliability_run_duration_seconds 6.25');
    expect(text).toContain('reliability_run_timestamp_seconds 1760000006');
    expect(text).toContain('reliability_tests{status="passed"} 3');
    expect(text).toContain('reliability_tests{status="failed"} 1');
    expect(text).toContain('reliability_tests{status="flaky"} 1');
    expect(text).toContain('reliability_tests{status="xpassed"} 0');
    expect(text).toMatch(
      /reliability_run_info\{commit="abc123",run_id="99",run_attempt="2",[^}]*runner_os="Linux"[^}]*\} 1/,
    );
    expect(text).toContain('reliability_process_peak_rss_bytes 145752064');
    expect(text).toContain('reliability_process_cpu_percent{stat="mean"} 54.5');
  });

  it('pushes a histogram of test durations', async () => {
    const text = await build().registry.metrics();
    expect(text).toContain('# TYPE reliability_test_duration_seconds histogram');
    expect(text).toContain('reliability_test_duration_seconds_count 5'); // the skipped test has no duration
    expect(text).toContain('reliability_test_duration_seconds_bucket{le="5"} 5');
    expect(text).toContain('reliability_test_duration_seconds_bucket{le="0.001"} 1');
  });

  it('leaves skipped tests out of the duration histogram', async () => {
    const run = sampleRun();
    const tests = [...run.tests].map((t) =>
      t.status === 'skipped' ? { ...t, durationSeconds: 0 } : t,
    );
    const text = await build({ tests }).registry.metrics();
    expect(text).toContain('reliability_test_duration_seconds_count 5');
  });

  it('exports recorded figures in base units with their labels', async () => {
    const text = await build().registry.metrics();
    expect(text).toContain(
      'reliability_latency_seconds{test="tests.test_api.TestApi.test_get",operation="observe_decorator",stat="p95"} 0.0021',
    );
    expect(text).toContain(
      'reliability_throughput_ops_per_second{test="tests.test_api.TestApi.test_get",operation="observe_decorator"} 9500',
    );
    expect(text).toContain(
      'reliability_test_memory_growth_bytes{test="tests.test_api.test_slow"} 5242880',
    );
    expect(text).toContain(
      'reliability_test_memory_bytes{test="tests.test_api.test_slow",measurement="peak"} 67108864',
    );
    expect(text).toContain('reliability_spans_delivered{test="tests.test_api.test_slow"} 998');
    expect(text).toContain('reliability_queue_depth{test="tests.test_api.test_slow"} 7');
  });

  it('escapes quotes in label values', async () => {
    const text = await build().registry.metrics();
    expect(text).toContain('test="tests.test_api.test_quote[\\"x\\"]"');
  });

  it('never lets a metric.<name> figure collide with a built-in metric', async () => {
    const run = sampleRun();
    const text = await build({
      figures: [...run.figures, { test: 't', kind: 'metric', name: 'tests', value: 3 }],
    }).registry.metrics();
    expect(text).toContain('reliability_custom_tests{test="t"} 3');
  });

  it('caps per-test series, failing tests first, then the slowest', async () => {
    const built = build({}, 2);
    expect(built.testSeries).toBe(2);
    expect(built.droppedTests).toBe(4);
    const text = await built.registry.metrics();
    expect(text).toContain(
      'reliability_test_case_status{test="tests.test_api.TestApi.test_post",classname="tests.test_api.TestApi",file="tests/test_api.py",status="failed"} 1',
    );
    expect(text).toContain('test="tests.test_api.test_slow"');
    expect(selectTestSeries(sampleRun().tests, 0)).toEqual([]);
  });

  it('adds the last-success group only for a successful run', async () => {
    expect(build().lastSuccess).toBeUndefined();
    expect(build({ exitCode: 0, timedOut: true }).lastSuccess).toBeUndefined();
    const ok = build({ exitCode: 0 });
    expect(await ok.lastSuccess?.metrics()).toContain(
      'reliability_last_success_timestamp_seconds{commit="abc123"} 1760000006',
    );
  });

  it('counts series and never emits timestamps', async () => {
    const text = await build().registry.metrics();
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(40);
    expect(countSeries(text)).toBe(samples.length);
    expect(countSeries('# HELP a x\n# TYPE a gauge\na 1\n\nb{l="#"} 2')).toBe(2);
    expect(countSeries('')).toBe(0);
    for (const line of samples) {
      expect(line.split(' ').length, line).toBeGreaterThanOrEqual(2);
      expect(line).not.toMatch(/\} \S+ \d{10,}$/);
    }
  });
});

/**
 * Builds the run's metrics (docs/architecture.md, "The metric model") into fresh prom-client registries: every value is
 * a gauge of this run (the Pushgateway keeps the latest run, Prometheus builds the history).
 */
import { Gauge, Histogram, Registry } from 'prom-client';
import type { CiContext } from '../ci/context.js';
import {
  countByStatus,
  durationAt,
  FAILING_STATUSES,
  isSuccess,
  statusAt,
  testsAt,
  type FigureList,
  type RunResult,
  type TestCase,
  type TestList,
} from '../model.js';
import { ACTION_VERSION } from '../version.js';
import { cleanLabelValue, RUN_INFO_LABEL_NAMES, sanitizeMetricName } from './names.js';
import { topKRows } from './top-k.js';

/** Buckets of the test duration histogram, in seconds. */
export const TEST_DURATION_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

/** Most figure series pushed; the rest are counted in a warning. */
export const MAX_FIGURE_SERIES = 10_000;

/** What the registries are built from. */
export interface MetricsSource {
  readonly run: RunResult;
  readonly ci: CiContext;
  readonly prefix: string;
  readonly maxTestSeries: number;
  /** Unix seconds the run ended. */
  readonly endedAt: number;
}

/** The registries to push, and what was left out. */
export interface BuiltMetrics {
  /** The run's group. */
  readonly registry: Registry;
  /** The last-success group; only for a successful run. */
  readonly lastSuccess?: Registry;
  readonly testSeries: number;
  readonly droppedTests: number;
  readonly droppedFigures: number;
}

/** Tests that get their own series: failing ones first, then the slowest. */
export function selectTestSeries(tests: TestList, max: number): TestCase[] {
  const failing = (row: number): number => (FAILING_STATUSES.has(statusAt(tests, row)) ? 0 : 1);
  const duration = (row: number): number => durationAt(tests, row) ?? 0;
  const rows = topKRows(
    tests.length,
    max,
    (a, b) => failing(a) - failing(b) || duration(b) - duration(a),
  );
  return testsAt(tests, rows);
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[] = []): Gauge {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

const clean = (value: string | undefined): string => cleanLabelValue(value ?? '');

function addRunMetrics(registry: Registry, source: MetricsSource): void {
  const { run, ci, prefix, endedAt } = source;
  gauge(registry, `${prefix}run_info`, 'CI metadata of the run; always 1.', [
    ...RUN_INFO_LABEL_NAMES,
  ]).set(
    {
      commit: clean(ci.commit),
      run_id: clean(ci.runId),
      run_attempt: clean(ci.runAttempt),
      run_number: clean(ci.runNumber),
      event: clean(ci.event),
      ref: clean(ci.ref),
      actor: clean(ci.actor),
      runner_os: clean(ci.runnerOs),
      action_version: ACTION_VERSION,
    },
    1,
  );
  gauge(registry, `${prefix}run_timestamp_seconds`, 'Unix time the run ended.').set(endedAt);
  gauge(registry, `${prefix}run_duration_seconds`, 'Wall time of the test command.').set(
    run.durationSeconds,
  );
  gauge(registry, `${prefix}run_exit_code`, 'Exit code of the test command.').set(run.exitCode);
  gauge(registry, `${prefix}run_success`, '1 when the test command succeeded, else 0.').set(
    isSuccess(run) ? 1 : 0,
  );
  gauge(registry, `${prefix}run_timed_out`, '1 when the run was ended by timeout-minutes.').set(
    run.timedOut ? 1 : 0,
  );

  const tests = gauge(registry, `${prefix}tests`, 'Tests of the run by status.', ['status']);
  for (const [status, count] of Object.entries(countByStatus(run.tests))) {
    tests.set({ status }, count);
  }

  const histogram = new Histogram({
    name: `${prefix}test_duration_seconds`,
    help: 'Distribution of test durations in the run.',
    buckets: TEST_DURATION_BUCKETS,
    registers: [registry],
  });
  // A skipped test ran for no time: counting it would drag every quantile towards zero.
  for (let row = 0; row < run.tests.length; row++) {
    if (statusAt(run.tests, row) === 'skipped') continue;
    const duration = durationAt(run.tests, row);
    if (duration !== undefined && Number.isFinite(duration)) {
      histogram.observe(Math.max(0, duration));
    }
  }

  const { resources } = run;
  gauge(registry, `${prefix}process_peak_rss_bytes`, 'Peak RSS of the command process tree.').set(
    resources.peakRssBytes,
  );
  gauge(
    registry,
    `${prefix}process_memory_growth_bytes`,
    'RSS of the tree at the last sample minus the first.',
  ).set(resources.memoryGrowthBytes);
  const cpu = gauge(
    registry,
    `${prefix}process_cpu_percent`,
    'CPU of the command process tree; 100 = one core.',
    ['stat'],
  );
  cpu.set({ stat: 'mean' }, resources.meanCpuPercent);
  cpu.set({ stat: 'max' }, resources.maxCpuPercent);
  gauge(
    registry,
    `${prefix}process_cpu_seconds`,
    'CPU time (user + system) of the command process tree.',
  ).set(resources.cpuSeconds);
}

function addTestSeries(registry: Registry, selected: readonly TestCase[], prefix: string): void {
  const labels = ['test', 'classname', 'file'];
  const duration = gauge(
    registry,
    `${prefix}test_case_duration_seconds`,
    'Duration of one test.',
    labels,
  );
  const status = gauge(registry, `${prefix}test_case_status`, 'Status of one test; always 1.', [
    ...labels,
    'status',
  ]);
  for (const test of selected) {
    const key = { test: clean(test.id), classname: clean(test.classname), file: clean(test.file) };
    if (test.durationSeconds !== undefined && Number.isFinite(test.durationSeconds)) {
      duration.set(key, test.durationSeconds);
    }
    status.set({ ...key, status: test.status }, 1);
  }
}

/**
 * Whether a figure's metric name would clash with a built-in one: the same name, or a series of
 * a built-in histogram (`<name>_bucket`, `_sum`, `_count`), which the gateway would reject.
 */
function takenByBuiltIn(registry: Registry, name: string): boolean {
  if (registry.getSingleMetric(name) !== undefined) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && registry.getSingleMetric(base) !== undefined;
}

/** Adds figure gauges; returns how many figures were left out by the cap. */
function addFigures(registry: Registry, figures: FigureList, prefix: string): number {
  // Keyed by kind and name, so `metric.<name>` never lands on a built-in gauge of the same name.
  const gauges = new Map<string, Gauge>();
  const get = (name: string, help: string, labelNames: string[], key = name): Gauge => {
    let found = gauges.get(key);
    if (found === undefined) {
      const unique = takenByBuiltIn(registry, name)
        ? `${prefix}custom_${name.slice(prefix.length)}`
        : name;
      found =
        (registry.getSingleMetric(unique) as Gauge | undefined) ??
        gauge(registry, unique, help, labelNames);
      gauges.set(key, found);
    }
    return found;
  };
  let kept = 0;
  for (const figure of figures) {
    if (!Number.isFinite(figure.value)) continue;
    if (kept === MAX_FIGURE_SERIES) break;
    kept += 1;
    const test = clean(figure.test);
    switch (figure.kind) {
      case 'latency':
        get(`${prefix}latency_seconds`, 'Latency recorded by a test.', [
          'test',
          'operation',
          'stat',
        ]).set(
          { test, operation: clean(figure.operation), stat: clean(figure.stat) },
          figure.value,
        );
        break;
      case 'throughput':
        get(`${prefix}throughput_ops_per_second`, 'Throughput recorded by a test.', [
          'test',
          'operation',
        ]).set({ test, operation: clean(figure.operation) }, figure.value);
        break;
      case 'memory_growth':
        get(`${prefix}test_memory_growth_bytes`, 'Memory growth recorded by a test.', ['test']).set(
          { test },
          figure.value,
        );
        break;
      case 'memory':
        get(`${prefix}test_memory_bytes`, 'Memory recorded by a test.', [
          'test',
          'measurement',
        ]).set({ test, measurement: clean(figure.operation) }, figure.value);
        break;
      case 'spans_generated':
      case 'spans_delivered':
        get(`${prefix}${figure.kind}`, `Spans ${figure.kind.slice(6)} in a test.`, ['test']).set(
          { test },
          figure.value,
        );
        break;
      case 'metric':
        {
          const name = `${prefix}${sanitizeMetricName(figure.name ?? 'unnamed')}`;
          get(name, 'Figure recorded by a test.', ['test'], `metric:${name}`).set(
            { test },
            figure.value,
          );
        }
        break;
    }
  }
  return figures.length - kept;
}

/** Builds the registries of one run. */
export function buildMetrics(source: MetricsSource): BuiltMetrics {
  const registry = new Registry();
  addRunMetrics(registry, source);
  const selected = selectTestSeries(source.run.tests, source.maxTestSeries);
  addTestSeries(registry, selected, source.prefix);
  const droppedFigures = addFigures(registry, source.run.figures, source.prefix);

  let lastSuccess: Registry | undefined;
  if (isSuccess(source.run)) {
    lastSuccess = new Registry();
    gauge(
      lastSuccess,
      `${source.prefix}last_success_timestamp_seconds`,
      'Unix time the last successful run ended.',
      ['commit'],
    ).set({ commit: clean(source.ci.commit) }, source.endedAt);
  }
  return {
    registry,
    ...(lastSuccess !== undefined ? { lastSuccess } : {}),
    testSeries: selected.length,
    droppedTests: source.run.tests.length - selected.length,
    droppedFigures,
  };
}

/** Counts the samples (series) in an exposition text. */
export function countSeries(exposition: string): number {
  // Line by line without splitting: a run's text holds some 10k lines.
  let count = 0;
  let start = 0;
  while (start < exposition.length) {
    let end = exposition.indexOf('\n', start);
    if (end < 0) end = exposition.length;
    if (end > start && exposition.charCodeAt(start) !== 35 /* # */) count++;
    start = end + 1;
  }
  return count;
}

/**
 * What is compared and how: for each metric (named without the prefix) its unit, the direction in
 * which it gets worse, the absolute floor a change must exceed, and the labels that identify a
 * series. The action's built-in metrics are listed; any other gauge is a `metric.*` figure.
 */
import type { Direction, Unit } from './types.js';

/** How one metric is compared. */
export interface MetricPolicy {
  readonly unit: Unit;
  readonly direction: Direction;
  /** Smallest absolute change that counts, in the metric's base unit. */
  readonly floor: number;
  /** Labels that identify a series of the metric (the grouping labels are never among them). */
  readonly labels: readonly string[];
}

const MiB = 1024 * 1024;

/** Built-in metrics that are compared. */
const COMPARED: Readonly<Record<string, MetricPolicy>> = {
  run_duration_seconds: { unit: 'seconds', direction: 'lower-is-better', floor: 1, labels: [] },
  process_peak_rss_bytes: {
    unit: 'bytes',
    direction: 'lower-is-better',
    floor: 8 * MiB,
    labels: [],
  },
  process_cpu_seconds: { unit: 'seconds', direction: 'lower-is-better', floor: 0.5, labels: [] },
  latency_seconds: {
    unit: 'seconds',
    direction: 'lower-is-better',
    // Below a microsecond, timer resolution and scheduling decide.
    floor: 1e-6,
    labels: ['test', 'operation', 'stat'],
  },
  throughput_ops_per_second: {
    unit: 'ops-per-second',
    direction: 'higher-is-better',
    floor: 1,
    labels: ['test', 'operation'],
  },
  test_memory_growth_bytes: {
    unit: 'bytes',
    direction: 'lower-is-better',
    floor: 256 * 1024,
    labels: ['test'],
  },
  test_memory_bytes: {
    unit: 'bytes',
    direction: 'lower-is-better',
    floor: 256 * 1024,
    labels: ['test', 'measurement'],
  },
  spans_generated: { unit: 'count', direction: 'neutral', floor: 1, labels: ['test'] },
  spans_delivered: { unit: 'count', direction: 'neutral', floor: 1, labels: ['test'] },
  test_case_duration_seconds: {
    unit: 'seconds',
    direction: 'lower-is-better',
    floor: 0.05,
    labels: ['test', 'classname', 'file'],
  },
};

/** Per-test status series: read for new and known failures, not compared as numbers. */
export const TEST_STATUS_METRIC = 'test_case_status';
/** Labels of {@link TEST_STATUS_METRIC}. */
export const TEST_STATUS_LABELS = ['test', 'classname', 'file', 'status'] as const;

/** Built-in metrics that are never compared (metadata, verdicts, counts, histograms). */
export const NOT_COMPARED: readonly string[] = [
  'run_info',
  'run_timestamp_seconds',
  'run_exit_code',
  'run_success',
  'run_timed_out',
  'tests',
  'test_duration_seconds_bucket',
  'test_duration_seconds_sum',
  'test_duration_seconds_count',
  'test_duration_seconds',
  'process_memory_growth_bytes',
  'process_cpu_percent',
  'last_success_timestamp_seconds',
];

/**
 * Latency statistics that describe noise rather than speed: a benchmark's `stddev` or `iqr`
 * doubles with one noisy round, so they are left out of verdicts.
 */
export const SPREAD_STATS: ReadonlySet<string> = new Set(['stddev', 'iqr']);

const WORSE_WHEN_HIGHER = /(error|fail|drop|lost|loss|retr|timeout|reject|leak)/;
const BETTER_WHEN_HIGHER =
  /(per_second|_ops$|throughput|qps|rps|_rate$|hit_ratio|delivered|success)/;
const UNIT_SUFFIXES: readonly [RegExp, Unit][] = [
  [/_seconds$/, 'seconds'],
  [/_bytes$/, 'bytes'],
  [/_percent$/, 'percent'],
  [/(per_second|_ops)$/, 'ops-per-second'],
];

/**
 * Policy of a `metric.*` figure, guessed from its name: errors and losses are worse when higher,
 * rates better when higher, times and sizes worse when higher; anything else is neutral (its
 * changes are shown, never called a regression).
 */
function figurePolicy(metric: string): MetricPolicy {
  const unit = UNIT_SUFFIXES.find(([pattern]) => pattern.test(metric))?.[1] ?? 'number';
  let direction: Direction = 'neutral';
  if (WORSE_WHEN_HIGHER.test(metric)) direction = 'lower-is-better';
  else if (BETTER_WHEN_HIGHER.test(metric)) direction = 'higher-is-better';
  else if (unit === 'seconds' || unit === 'bytes') direction = 'lower-is-better';
  return { unit, direction, floor: 0, labels: ['test'] };
}

/** How `metric` is compared; undefined when it is not compared at all. */
export function policyOf(metric: string): MetricPolicy | undefined {
  if (metric === TEST_STATUS_METRIC || NOT_COMPARED.includes(metric)) return undefined;
  return COMPARED[metric] ?? figurePolicy(metric);
}

/** The labels that identify a series of `metric`, for reading history. */
export function identifyingLabels(metric: string): readonly string[] {
  if (metric === TEST_STATUS_METRIC) return TEST_STATUS_LABELS;
  return policyOf(metric)?.labels ?? [];
}

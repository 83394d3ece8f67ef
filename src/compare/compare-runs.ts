/**
 * The comparison itself, a pure function: each quantity of this run against the median and spread
 * of the same series over the baseline runs, and the failing tests against the baseline's.
 */
import { policyOf, SPREAD_STATS, TEST_STATUS_METRIC, type MetricPolicy } from './policy.js';
import { median, scaledMad } from './statistics.js';
import type {
  BaselineHistory,
  CompareSettings,
  Comparison,
  FailingTest,
  QuantityComparison,
  QuantityVerdict,
  SeriesSample,
} from './types.js';

/** Defaults of the method (docs/regressions.md). */
export const DEFAULT_COMPARE_SETTINGS: CompareSettings = {
  baselineRuns: 10,
  minRuns: 3,
  threshold: 0.1,
  noiseFactor: 3,
  testDurationFloorSeconds: 0.1,
};

/** Statuses of a failing test, as the metrics record them. */
const FAILING = new Set(['failed', 'error', 'xpassed']);

/** A stable key of a series: metric name and its labels in name order. */
export function seriesKey(metric: string, labels: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return JSON.stringify([metric, sorted]);
}

function verdictOf(
  policy: MetricPolicy,
  delta: number,
  bar: number,
): Exclude<QuantityVerdict, 'new'> {
  if (!(Math.abs(delta) > bar)) return 'unchanged';
  if (policy.direction === 'neutral') return 'changed';
  const worse = policy.direction === 'lower-is-better' ? delta > 0 : delta < 0;
  return worse ? 'regression' : 'improvement';
}

function compareOne(
  sample: SeriesSample,
  policy: MetricPolicy,
  values: readonly number[],
  settings: CompareSettings,
): QuantityComparison | undefined {
  const base = {
    metric: sample.metric,
    labels: sample.labels,
    unit: policy.unit,
    direction: policy.direction,
    now: sample.value,
    baselineValues: values.length,
  };
  if (values.length < settings.minRuns) {
    if (sample.metric === 'test_case_duration_seconds') {
      if (sample.value < settings.testDurationFloorSeconds) return undefined;
    }
    return { ...base, verdict: 'new' };
  }
  const center = median(values);
  const spread = scaledMad(values);
  if (
    sample.metric === 'test_case_duration_seconds' &&
    Math.max(sample.value, center) < settings.testDurationFloorSeconds
  ) {
    return undefined;
  }
  const delta = sample.value - center;
  const bars = [
    { value: settings.noiseFactor * spread, rule: 'noise' as const },
    { value: settings.threshold * Math.abs(center), rule: 'threshold' as const },
    { value: policy.floor, rule: 'floor' as const },
  ];
  const bar = bars.reduce((a, b) => (b.value > a.value ? b : a));
  return {
    ...base,
    median: center,
    spread,
    ...(center !== 0 ? { changePercent: (delta / Math.abs(center)) * 100 } : {}),
    bar,
    verdict: verdictOf(policy, delta, bar.value),
  };
}

const ORDER: Readonly<Record<QuantityVerdict, number>> = {
  regression: 0,
  improvement: 1,
  changed: 2,
  new: 3,
  unchanged: 4,
};

function byImportance(a: QuantityComparison, b: QuantityComparison): number {
  const size = (q: QuantityComparison): number => Math.abs(q.changePercent ?? 0);
  return (
    ORDER[a.verdict] - ORDER[b.verdict] ||
    size(b) - size(a) ||
    seriesKey(a.metric, a.labels).localeCompare(seriesKey(b.metric, b.labels))
  );
}

function failingTests(samples: readonly SeriesSample[]): Map<string, string> {
  const failing = new Map<string, string>();
  for (const sample of samples) {
    const status = sample.labels.status ?? '';
    if (sample.metric === TEST_STATUS_METRIC && FAILING.has(status) && sample.value > 0) {
      failing.set(sample.labels.test ?? '', status);
    }
  }
  return failing;
}

function compareFailures(
  current: readonly SeriesSample[],
  history: BaselineHistory,
): Pick<Comparison, 'newFailures' | 'knownFailures'> {
  const baseline = history.runs.map((run) => failingTests(run.samples));
  const newFailures: FailingTest[] = [];
  const knownFailures: FailingTest[] = [];
  for (const [test, status] of failingTests(current)) {
    const failedInBaseline = baseline.filter((run) => run.has(test)).length;
    (failedInBaseline === 0 ? newFailures : knownFailures).push({ test, status, failedInBaseline });
  }
  const order = (a: FailingTest, b: FailingTest): number => a.test.localeCompare(b.test);
  return { newFailures: newFailures.sort(order), knownFailures: knownFailures.sort(order) };
}

/** Compares this run's samples with the baseline's runs. */
export function compareRuns(
  current: readonly SeriesSample[],
  history: BaselineHistory,
  settings: CompareSettings = DEFAULT_COMPARE_SETTINGS,
): Comparison {
  const runs = history.runs.slice(0, settings.baselineRuns);
  const common = { branch: history.branch, runs: runs.length, settings };
  if (runs.length < settings.minRuns) {
    const found = runs.length === 0 ? 'No run' : `Only ${runs.length} run(s)`;
    return {
      ...common,
      status: 'not-enough-history',
      reason: `${found} of ${history.branch} found with the same repository, workflow, job and suite; ${settings.minRuns} are needed (baseline-min-runs).`,
      quantities: [],
      newFailures: [],
      knownFailures: [],
    };
  }
  const values = new Map<string, number[]>();
  for (const run of runs) {
    for (const sample of run.samples) {
      const key = seriesKey(sample.metric, sample.labels);
      const list = values.get(key) ?? [];
      list.push(sample.value);
      values.set(key, list);
    }
  }
  const quantities: QuantityComparison[] = [];
  for (const sample of current) {
    const policy = policyOf(sample.metric);
    if (policy === undefined || !Number.isFinite(sample.value)) continue;
    if (sample.metric === 'latency_seconds' && SPREAD_STATS.has(sample.labels.stat ?? '')) continue;
    const compared = compareOne(
      sample,
      policy,
      values.get(seriesKey(sample.metric, sample.labels)) ?? [],
      settings,
    );
    if (compared !== undefined) quantities.push(compared);
  }
  return {
    ...common,
    status: 'compared',
    quantities: quantities.sort(byImportance),
    ...compareFailures(current, { ...history, runs }),
  };
}

/** A comparison that could not be made (history unreachable), with the reason. */
export function unavailableComparison(
  branch: string,
  reason: string,
  settings: CompareSettings,
): Comparison {
  return {
    status: 'unavailable',
    reason,
    branch,
    runs: 0,
    settings,
    quantities: [],
    newFailures: [],
    knownFailures: [],
  };
}

/** Counts by verdict, for outputs and the comment policy. */
export function countVerdicts(comparison: Comparison): {
  regressions: number;
  improvements: number;
  newFailures: number;
} {
  const count = (verdict: QuantityVerdict): number =>
    comparison.quantities.filter((q) => q.verdict === verdict).length;
  return {
    regressions: count('regression'),
    improvements: count('improvement'),
    newFailures: comparison.newFailures.length,
  };
}

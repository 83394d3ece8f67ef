/** The comparison model: samples of a run, the baseline's runs, and what changed. */

/** One value of one series, named without the metric prefix, with the action's own labels only. */
export interface SeriesSample {
  /** Metric name without the prefix (`latency_seconds`). */
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One baseline run: its values, each read once. */
export interface BaselineRun {
  /** Unix seconds the run ended (`*_run_timestamp_seconds`): what tells runs apart. */
  readonly endedAt: number;
  readonly samples: readonly SeriesSample[];
}

/** The baseline's runs, newest first. */
export interface BaselineHistory {
  readonly branch: string;
  readonly runs: readonly BaselineRun[];
}

/** Which way a quantity gets worse. */
export type Direction = 'lower-is-better' | 'higher-is-better' | 'neutral';

/** What a number measures, for formatting and floors. */
export type Unit = 'seconds' | 'bytes' | 'ops-per-second' | 'percent' | 'count' | 'number';

/**
 * Verdict of one quantity: `regression`/`improvement` beyond noise, threshold and floor in the
 * bad/good direction; `changed` the same for a quantity without a known direction; `unchanged`
 * within them; `new` without enough baseline values to judge.
 */
export type QuantityVerdict = 'regression' | 'improvement' | 'changed' | 'unchanged' | 'new';

/** One compared quantity. */
export interface QuantityComparison {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly now: number;
  /** Baseline values of this quantity (one per baseline run that had it). */
  readonly baselineValues: number;
  readonly median?: number;
  /** Median absolute deviation of the baseline values, scaled by 1.4826 (σ of a normal). */
  readonly spread?: number;
  /** (now − median) / |median| × 100; undefined when the median is 0 or missing. */
  readonly changePercent?: number;
  /** The smallest change that would have counted, and which rule set it. */
  readonly bar?: { readonly value: number; readonly rule: 'noise' | 'threshold' | 'floor' };
  readonly verdict: QuantityVerdict;
}

/** A test that fails now. */
export interface FailingTest {
  readonly test: string;
  readonly status: string;
  /** Baseline runs in which it failed too. */
  readonly failedInBaseline: number;
}

/** Whether the comparison could be made. */
export type ComparisonStatus = 'compared' | 'not-enough-history' | 'unavailable';

/** Settings of the method, as used (they go into the JSON for later steps). */
export interface CompareSettings {
  readonly baselineRuns: number;
  readonly minRuns: number;
  /** Relative threshold as a fraction (0.1 = 10 %). */
  readonly threshold: number;
  /** Multiple of the scaled MAD a change must exceed. */
  readonly noiseFactor: number;
  /** Tests faster than this (now and in the baseline) are not compared. */
  readonly testDurationFloorSeconds: number;
}

/** Everything the comparison found. */
export interface Comparison {
  readonly status: ComparisonStatus;
  /** Why there is no verdict, for `not-enough-history` and `unavailable`. */
  readonly reason?: string;
  readonly branch: string;
  /** Baseline runs used. */
  readonly runs: number;
  readonly settings: CompareSettings;
  /** Every quantity, regressions first, then improvements, changes, new ones, the unchanged. */
  readonly quantities: readonly QuantityComparison[];
  /** Failing now and in no baseline run. */
  readonly newFailures: readonly FailingTest[];
  /** Failing now and in at least one baseline run. */
  readonly knownFailures: readonly FailingTest[];
}

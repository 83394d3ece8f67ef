/** Budgets against this run (and its comparison): a pure function, one result per matched series. */
import type { Budget } from './budgets.js';
import { seriesKey } from './compare-runs.js';
import type { Comparison, SeriesSample } from './types.js';

/** The outcome of one rule on one series. */
export interface BudgetCheck {
  readonly budget: Budget;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** The rule that decided, as written (`max: 2ms`, `max-increase: 10%`). */
  readonly rule: string;
  /** The limit in the metric's base unit. */
  readonly limit: number;
  readonly breached: boolean;
  /** Baseline median, for max-increase. */
  readonly median?: number;
}

/** Everything the budgets found. */
export interface BudgetResults {
  readonly checks: readonly BudgetCheck[];
  /** Rules that matched no series of the run, or could not be judged, with why. */
  readonly warnings: readonly string[];
}

const matches = (sample: SeriesSample, budget: Budget): boolean =>
  sample.metric === budget.metric &&
  Object.entries(budget.labels).every(([name, value]) => sample.labels[name] === value);

function describe(budget: Budget): string {
  const labels = Object.entries(budget.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${budget.metric}${labels.length > 0 ? `{${labels.join(', ')}}` : ''}`;
}

/**
 * Checks every budget on `samples` (this run's); `max-increase` uses `comparison`, when it is
 * there and was made. A rule with no matching series is a warning naming it.
 */
export function checkBudgets(
  budgets: readonly Budget[],
  samples: readonly SeriesSample[],
  comparison?: Comparison,
): BudgetResults {
  const checks: BudgetCheck[] = [];
  const warnings: string[] = [];
  const medians = new Map<string, number>();
  for (const q of comparison?.quantities ?? []) {
    if (q.median !== undefined) medians.set(seriesKey(q.metric, q.labels), q.median);
  }
  for (const budget of budgets) {
    const matched = samples.filter((sample) => matches(sample, budget));
    if (matched.length === 0) {
      warnings.push(
        `Budget rule ${budget.index}: no series ${describe(budget)} in this run: check the metric name (without the prefix) and labels.`,
      );
      continue;
    }
    let increaseJudged = false;
    for (const sample of matched) {
      const base = { budget, labels: sample.labels, value: sample.value };
      if (budget.max !== undefined) {
        const limit = budget.max.value;
        checks.push({
          ...base,
          rule: `max: ${budget.max.text}`,
          limit,
          breached: sample.value > limit,
        });
      }
      if (budget.min !== undefined) {
        const limit = budget.min.value;
        checks.push({
          ...base,
          rule: `min: ${budget.min.text}`,
          limit,
          breached: sample.value < limit,
        });
      }
      const median = medians.get(seriesKey(sample.metric, sample.labels));
      if (budget.maxIncrease !== undefined && median !== undefined) {
        increaseJudged = true;
        const limit = median + Math.abs(median) * budget.maxIncrease.value;
        checks.push({
          ...base,
          rule: `max-increase: ${budget.maxIncrease.text}`,
          limit,
          breached: sample.value > limit,
          median,
        });
      }
    }
    if (budget.maxIncrease !== undefined && !increaseJudged) {
      const why =
        comparison === undefined || comparison.status !== 'compared'
          ? (comparison?.reason ?? 'no baseline was read')
          : 'no matching series has enough baseline runs';
      warnings.push(
        `Budget rule ${budget.index} (${describe(budget)}, max-increase: ${budget.maxIncrease.text}) not checked: ${why}`,
      );
    }
  }
  return { checks, warnings };
}

/** Breached checks, `fail` ones and `warn` ones. */
export function breaches(results: BudgetResults): { fail: BudgetCheck[]; warn: BudgetCheck[] } {
  const breached = results.checks.filter((check) => check.breached);
  return {
    fail: breached.filter((check) => check.budget.onBreach === 'fail'),
    warn: breached.filter((check) => check.budget.onBreach === 'warn'),
  };
}

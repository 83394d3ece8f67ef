/**
 * Phase: compare the run with its base branch's history, and check the budgets. Nothing here
 * may cost the command's verdict: an unreachable query API is a warning and a comparison marked
 * unavailable; only a `fail` budget breach adds a reason for the step to fail.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readBudgets, type Budget } from '../compare/budgets.js';
import {
  breaches,
  checkBudgets,
  type BudgetCheck,
  type BudgetResults,
} from '../compare/check-budgets.js';
import {
  compareRuns,
  countVerdicts,
  DEFAULT_COMPARE_SETTINGS,
  unavailableComparison,
} from '../compare/compare-runs.js';
import { fetchBaselineHistory, HISTORY_TIMEOUT_MS } from '../compare/history-query.js';
import { runSamples } from '../compare/run-samples.js';
import type { CompareSettings, Comparison, SeriesSample } from '../compare/types.js';
import { metricUnitKind } from '../compare/units.js';
import type { CiContext } from '../ci/context.js';
import type { BuiltMetrics } from '../metrics/build-registry.js';
import { PULL_REQUEST_LABEL, type GroupingKey } from '../metrics/grouping.js';
import { cleanLabelValue } from '../metrics/names.js';
import type { RunResult } from '../model.js';
import { formatValue } from '../summary/quantity-format.js';
import type { CompareOptions } from './compare-options.js';
import type { Log } from './log.js';
import { OptionError } from './options.js';

/** What the comparison phase found. */
export interface ComparisonResult {
  /** Undefined when no prometheus-url was given. */
  readonly comparison?: Comparison;
  /** Undefined when no budgets file was given. */
  readonly budgets?: BudgetResults;
  /** The comparison as JSON (written unless a warning says otherwise); undefined when neither. */
  readonly file?: string;
  readonly regressions: number;
  readonly improvements: number;
  readonly newFailures: number;
  readonly failBreaches: number;
  readonly warnBreaches: number;
  readonly warnings: readonly string[];
}

/** No comparison and no budgets. */
export const NO_COMPARISON: ComparisonResult = {
  regressions: 0,
  improvements: 0,
  newFailures: 0,
  failBreaches: 0,
  warnBreaches: 0,
  warnings: [],
};

/**
 * Reads and validates the budgets file before the command runs; throws an {@link OptionError}
 * naming the file, the rule and the problem. Undefined when there is no budgets file.
 */
export async function loadBudgets(
  options: CompareOptions,
  prefix: string,
  cwd: string,
): Promise<Budget[] | undefined> {
  if (options.budgetsFile === '') return undefined;
  let budgets: Budget[];
  try {
    budgets = await readBudgets(resolve(cwd, options.budgetsFile), prefix);
  } catch (error) {
    throw new OptionError('budgets', (error as Error).message);
  }
  const relative = budgets.find((budget) => budget.maxIncrease !== undefined);
  if (relative !== undefined && options.prometheusUrl === undefined) {
    throw new OptionError(
      'budgets',
      `rule ${relative.index} (${relative.metric}) uses max-increase, which compares with the baseline: set prometheus-url too.`,
    );
  }
  return budgets;
}

/** The branch to compare with: the option, else the CI's base branch, else `main`. */
export function baselineBranch(options: CompareOptions, ci: CiContext): string {
  return options.baselineBranch || ci.baseBranch || 'main';
}

/** What {@link compareRun} works on. */
export interface CompareInput {
  readonly run: RunResult;
  readonly built: BuiltMetrics;
  readonly key: GroupingKey;
  readonly prefix: string;
  readonly budgets?: readonly Budget[];
  readonly ci: CiContext;
  readonly cwd: string;
  readonly log: Log;
}

async function readComparison(
  url: URL,
  options: CompareOptions,
  input: CompareInput,
  samples: readonly SeriesSample[],
  settings: CompareSettings,
): Promise<Comparison> {
  const branch = baselineBranch(options, input.ci);
  const started = Date.now();
  try {
    const history = await fetchBaselineHistory(
      { url, headers: options.prometheusHeaders },
      {
        prefix: input.prefix,
        key: {
          job: input.key.job,
          // The base branch's own runs: never a pull request's group (pull_request="" matches
          // the series that lack the label), even one whose head branch has the same name.
          labels: {
            ...input.key.labels,
            branch: cleanLabelValue(branch),
            [PULL_REQUEST_LABEL]: '',
          },
        },
        baselineRuns: options.baselineRuns,
        before: input.run.startedAt,
        now: Date.now() / 1000,
        timeoutMs: HISTORY_TIMEOUT_MS,
      },
    );
    input.log.info(
      `Read ${history.runs.length} baseline run(s) of ${branch} from ${url.origin} (${((Date.now() - started) / 1000).toFixed(2)} s).`,
    );
    return compareRuns(samples, history, settings);
  } catch (error) {
    return unavailableComparison(
      branch,
      `the history at ${url.origin}${url.pathname.replace(/\/$/, '')} could not be read: ${(error as Error).message}.`,
      settings,
    );
  }
}

/** Compares the run and checks its budgets. Never throws: failures become warnings. */
export async function compareRun(
  options: CompareOptions,
  input: CompareInput,
): Promise<ComparisonResult> {
  if (options.prometheusUrl === undefined && input.budgets === undefined) return NO_COMPARISON;
  try {
    return await compareAndCheck(options, input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...NO_COMPARISON, warnings: [`Comparing with the baseline failed: ${message}`] };
  }
}

async function compareAndCheck(
  options: CompareOptions,
  input: CompareInput,
): Promise<ComparisonResult> {
  const warnings: string[] = [];
  const samples = runSamples(await input.built.registry.getMetricsAsJSON(), input.prefix);
  const settings: CompareSettings = {
    ...DEFAULT_COMPARE_SETTINGS,
    baselineRuns: options.baselineRuns,
    minRuns: options.baselineMinRuns,
    threshold: options.threshold,
  };
  const comparison =
    options.prometheusUrl !== undefined
      ? await readComparison(options.prometheusUrl, options, input, samples, settings)
      : undefined;
  if (comparison?.status === 'unavailable') {
    warnings.push(`No comparison with ${comparison.branch}: ${comparison.reason ?? ''}`);
  }
  const budgets = input.budgets && checkBudgets(input.budgets, samples, comparison);
  const breached = budgets ? breaches(budgets) : { fail: [], warn: [] };
  warnings.push(...(budgets?.warnings ?? []));
  for (const check of breached.warn) warnings.push(`${describeBreach(check)} (on-breach: warn)`);
  const file = resolve(input.cwd, input.ci.runnerTemp || input.cwd, 'reliability-comparison.json');
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify({ comparison, budgets }, null, 2)}\n`);
  } catch (error) {
    warnings.push(`Writing the comparison file ${file}: ${(error as Error).message}`);
  }
  const counts = comparison ? countVerdicts(comparison) : undefined;
  return {
    ...(comparison && { comparison }),
    ...(budgets && { budgets }),
    file,
    regressions: counts?.regressions ?? 0,
    improvements: counts?.improvements ?? 0,
    newFailures: counts?.newFailures ?? 0,
    failBreaches: breached.fail.length,
    warnBreaches: breached.warn.length,
    warnings,
  };
}

const UNITS = { time: 'seconds', size: 'bytes', percent: 'percent', plain: 'number' } as const;

/** `Budget rule 1 breached: latency_seconds {"stat":"p95"} is 2.60 ms, over max: 2ms.` */
export function describeBreach(check: BudgetCheck): string {
  const unit = UNITS[metricUnitKind(check.budget.metric)];
  const labels = Object.entries(check.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const series = `${check.budget.metric}${labels.length > 0 ? `{${labels.join(', ')}}` : ''}`;
  const side = check.rule.startsWith('min') ? 'under' : 'over';
  const limit = check.rule.startsWith('max-increase')
    ? `${check.rule} of the baseline median ${formatValue(check.median ?? 0, unit)} (limit ${formatValue(check.limit, unit)})`
    : check.rule;
  return `Budget rule ${check.budget.index} breached: ${series} is ${formatValue(check.value, unit)}, ${side} ${limit}`;
}

/** Reasons for the step to fail from the budgets: one per `fail` rule breached. */
export function budgetFailures(result: ComparisonResult): string[] {
  const fail = result.budgets ? breaches(result.budgets).fail : [];
  return fail.map((check) => `${describeBreach(check)}.`);
}

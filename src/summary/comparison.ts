/**
 * The comparison section of the job summary and the pull-request comment: a pure renderer of
 * what the comparison and the budgets found. Regressions first, then improvements and changes;
 * the unchanged and the quantities without enough history folded away; budget results with the
 * rule that decided.
 */
import type { BudgetCheck, BudgetResults } from '../compare/check-budgets.js';
import { policyOf } from '../compare/policy.js';
import type { Comparison, FailingTest, QuantityComparison, Unit } from '../compare/types.js';
import { metricUnitKind } from '../compare/units.js';
import { cell, table } from './format.js';
import { describeQuantity, formatChange, formatValue } from './quantity-format.js';

/** Rows per table, so the section stays small however large the suite. */
export const COMPARISON_LIMITS = { changed: 50, folded: 100, failures: 30, budgets: 50 } as const;

/** What the section shows; each part is optional. */
export interface ComparisonView {
  readonly comparison?: Comparison;
  readonly budgets?: BudgetResults;
  /** A notice to show at the top (the pull-request comment could not be written, …). */
  readonly notice?: string;
}

const ICONS: Readonly<Record<QuantityComparison['verdict'], string>> = {
  regression: '🔴',
  improvement: '🟢',
  changed: '🟡',
  new: '🆕',
  unchanged: '⚪',
};

function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

function capped<T>(items: readonly T[], max: number): [T[], string] {
  const more = items.length - max;
  return [items.slice(0, max), more > 0 ? `\n\n…and ${more} more.` : ''];
}

function quantityTable(quantities: readonly QuantityComparison[], max: number): string {
  const [shown, more] = capped(quantities, max);
  const rows = shown.map((q) => [
    ICONS[q.verdict],
    describeQuantity(q),
    formatValue(q.now, q.unit),
    q.median === undefined
      ? `– (${plural(q.baselineValues, 'run')})`
      : `${formatValue(q.median, q.unit)} ± ${formatValue(q.spread ?? 0, q.unit)}`,
    formatChange(q.changePercent),
    q.verdict,
  ]);
  const header = ['', 'Quantity', 'Now', 'Baseline (median ± spread)', 'Change', 'Verdict'];
  return `${table(header, rows)}${more}`;
}

function failuresList(title: string, tests: readonly FailingTest[], runs: number): string {
  if (tests.length === 0) return '';
  const [shown, more] = capped(tests, COMPARISON_LIMITS.failures);
  const items = shown.map(
    (t) =>
      `- <code>${cell(t.test, 200)}</code> (${t.status}${t.failedInBaseline > 0 ? `; failed in ${t.failedInBaseline} of ${runs} baseline runs` : ''})`,
  );
  return `**${title}**\n\n${items.join('\n')}${more}`;
}

function headline(comparison: Comparison): string {
  const count = (verdict: QuantityComparison['verdict']): number =>
    comparison.quantities.filter((q) => q.verdict === verdict).length;
  const regressions = count('regression');
  const parts = [
    regressions > 0 ? `**${plural(regressions, 'regression')}**` : '0 regressions',
    plural(count('improvement'), 'improvement'),
    ...(count('changed') > 0 ? [`${count('changed')} changed`] : []),
    comparison.newFailures.length > 0
      ? `**${plural(comparison.newFailures.length, 'new failure')}**`
      : '0 new failures',
  ];
  const { threshold, noiseFactor } = comparison.settings;
  return `${parts.join(', ')}. A change counts when it exceeds ${(threshold * 100).toFixed(0)} %, ${noiseFactor} × the baseline's spread (scaled MAD) and the floor of its unit.`;
}

function comparisonBody(comparison: Comparison): string {
  const branch = `\`${cell(comparison.branch || '?')}\``;
  if (comparison.status === 'unavailable') {
    return `### Compared with ${branch}\n\n⚠️ No comparison: ${cell(comparison.reason ?? '', 1000)}`;
  }
  if (comparison.status === 'not-enough-history') {
    return `### Compared with ${branch}\n\nℹ️ Not enough history, no verdict: ${cell(comparison.reason ?? '', 1000)}`;
  }
  const of = (verdicts: readonly string[]): QuantityComparison[] =>
    comparison.quantities.filter((q) => verdicts.includes(q.verdict));
  const changed = of(['regression', 'improvement', 'changed']);
  const unchanged = of(['unchanged']);
  const fresh = of(['new']);
  const parts = [
    `### Compared with ${branch} (${plural(comparison.runs, 'run')})`,
    headline(comparison),
    changed.length > 0 ? quantityTable(changed, COMPARISON_LIMITS.changed) : '',
    failuresList(
      'New failures (passed in every baseline run)',
      comparison.newFailures,
      comparison.runs,
    ),
    failuresList(
      'Known failures (already failing on the baseline)',
      comparison.knownFailures,
      comparison.runs,
    ),
    unchanged.length > 0
      ? `<details><summary>${plural(unchanged.length, 'quantity', 'quantities')} unchanged</summary>\n\n${quantityTable(unchanged, COMPARISON_LIMITS.folded)}\n\n</details>`
      : '',
    fresh.length > 0
      ? `<details><summary>${fresh.length} without enough baseline runs</summary>\n\n${quantityTable(fresh, COMPARISON_LIMITS.folded)}\n\n</details>`
      : '',
  ];
  return parts.filter((part) => part !== '').join('\n\n');
}

function budgetRow(check: BudgetCheck): string[] {
  const kind = metricUnitKind(check.budget.metric);
  const unit: Unit =
    policyOf(check.budget.metric)?.unit ??
    ({ time: 'seconds', size: 'bytes', percent: 'percent', plain: 'number' } as const)[kind];
  const q = { metric: check.budget.metric, labels: check.labels };
  const verdict = !check.breached
    ? '✅ within'
    : check.budget.onBreach === 'fail'
      ? '❌ breached'
      : '⚠️ breached (warn)';
  return [
    verdict,
    `rule ${check.budget.index}: <code>${cell(check.rule)}</code>`,
    describeQuantity(q),
    formatValue(check.value, unit),
    formatValue(check.limit, unit) +
      (check.median !== undefined ? ` (median ${formatValue(check.median, unit)})` : ''),
  ];
}

function budgetsBody(results: BudgetResults): string {
  const rank = (c: BudgetCheck): number => (!c.breached ? 2 : c.budget.onBreach === 'fail' ? 0 : 1);
  const sorted = [...results.checks].sort(
    (a, b) => rank(a) - rank(b) || a.budget.index - b.budget.index,
  );
  const [shown, more] = capped(sorted, COMPARISON_LIMITS.budgets);
  const breached = results.checks.filter((c) => c.breached).length;
  const parts = [
    `### Budgets`,
    `${breached > 0 ? `**${plural(breached, 'breach', 'breaches')}**` : 'No breach'} in ${plural(results.checks.length, 'check')}.`,
    shown.length > 0
      ? `${table(['', 'Rule', 'Series', 'Now', 'Limit'], shown.map(budgetRow))}${more}`
      : '',
    results.warnings.map((w) => `- ⚠️ ${cell(w, 500)}`).join('\n'),
  ];
  return parts.filter((part) => part !== '').join('\n\n');
}

/** The section as Markdown; empty when there is nothing to show. */
export function renderComparison(view: ComparisonView): string {
  const parts = [
    view.notice !== undefined ? `> [!NOTE]\n> ${cell(view.notice, 2000)}` : '',
    view.comparison !== undefined ? comparisonBody(view.comparison) : '',
    view.budgets !== undefined &&
    (view.budgets.checks.length > 0 || view.budgets.warnings.length > 0)
      ? budgetsBody(view.budgets)
      : '',
  ];
  return parts.filter((part) => part !== '').join('\n\n');
}

/** What identifies a pull-request comment and what it links to. */
export interface CommentContext {
  /** Hidden marker the comment is found by (see {@link commentMarker}). */
  readonly marker: string;
  readonly workflow: string;
  readonly job: string;
  readonly suite: string;
  readonly commit: string;
  readonly runUrl?: string;
}

/** The hidden marker of the comment of one workflow, job and suite. */
export function commentMarker(workflow: string, job: string, suite: string): string {
  const id = [workflow, job, suite].map((part) => encodeURIComponent(part)).join('/');
  return `<!-- reliability-metrics-action:comparison:${id} -->`;
}

/** The pull-request comment: marker, title, the comparison section and where it came from. */
export function renderComment(view: ComparisonView, context: CommentContext): string {
  const title = `## Reliability: ${cell(context.workflow)} · ${cell(context.job)} · ${cell(context.suite)}`;
  const commit = context.commit.slice(0, 12);
  const source = context.runUrl !== undefined ? `[this run](${context.runUrl})` : 'this run';
  return (
    [
      context.marker,
      title,
      renderComparison(view) || 'Nothing to compare.',
      `<sub>Updated by ${source} at commit <code>${cell(commit)}</code>; this comment is edited in place on every push.</sub>`,
    ].join('\n\n') + '\n'
  );
}

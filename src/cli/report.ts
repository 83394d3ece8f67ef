/**
 * The run in a few lines for a person at a terminal: the verdict, the tests, the resources, where
 * the metrics went. Plain text (the Markdown summary goes to --summary-file and the CI's summary).
 */
import { FAILING_STATUSES, rowsWithStatus, statusAt, testsAt, type TestList } from '../model.js';
import { describeGroupingKey } from '../metrics/grouping.js';
import type { SuiteResult } from '../pipeline/run-suite.js';
import { formatBytes, formatDuration, truncate } from '../summary/format.js';
import { printable, type Style } from './terminal.js';

/** Failing tests listed by name; the rest are counted. */
export const FAILING_SHOWN = 10;

function headline(result: SuiteResult, style: Style): string {
  const { run } = result;
  if (run.cancelled) return style.yellow(style.bold('cancelled'));
  if (run.timedOut) {
    return style.red(style.bold(`timed out after ${formatDuration(run.durationSeconds)}`));
  }
  if (run.exitCode === 0) return style.green(style.bold('passed'));
  const signal = run.signal !== undefined ? `, ${run.signal}` : '';
  return style.red(style.bold(`failed (exit code ${run.exitCode}${signal})`));
}

function testCounts(tests: TestList): string {
  if (tests.length === 0) return 'no test report read';
  const counts = new Map<string, number>();
  for (let row = 0; row < tests.length; row++) {
    const status = statusAt(tests, row);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const parts = [...counts].map(([status, count]) => `${count} ${status}`);
  return `${tests.length} total: ${parts.join(', ')}`;
}

function failing(tests: TestList, style: Style): string[] {
  const failed = rowsWithStatus(tests, (status) => FAILING_STATUSES.has(status));
  const lines = testsAt(tests, failed.slice(0, FAILING_SHOWN)).map((test) => {
    const message = test.message !== undefined ? `: ${truncate(printable(test.message), 160)}` : '';
    return `  ${style.red('✗')} ${truncate(printable(test.id), 160)} ${style.dim(`${test.status}${message}`)}`;
  });
  if (failed.length > FAILING_SHOWN) {
    lines.push(`  … and ${failed.length - FAILING_SHOWN} more failing tests`);
  }
  return lines;
}

function delivery(result: SuiteResult, style: Style): string {
  const { delivery: sent, key } = result;
  if (sent.none) return style.dim('not pushed (no --pushgateway-url)');
  const gateway = printable(sent.gateway ?? '');
  if (sent.pushed) return `pushed to ${gateway} as ${printable(describeGroupingKey(key))}`;
  return style.yellow(`NOT pushed to ${gateway} (see the warnings)`);
}

/** What the terminal shows once the run is over. */
export interface TerminalSummaryInput {
  readonly result: SuiteResult;
  readonly style: Style;
  readonly summaryFile?: string;
  /** Why the command exits non-zero; empty when it exits 0. */
  readonly failures: readonly string[];
}

/** One line of the comparison with the baseline and the budgets, when either was asked for. */
function compared(result: SuiteResult, label: (name: string) => string, style: Style): string[] {
  const { comparison: found } = result;
  const lines: string[] = [];
  const { comparison, budgets } = found;
  if (comparison !== undefined) {
    const verdict =
      comparison.status === 'compared'
        ? `${found.regressions} regression(s), ${found.improvements} improvement(s), ${found.newFailures} new failure(s)`
        : printable(comparison.reason ?? comparison.status);
    const text = `${printable(comparison.branch)} (${comparison.runs} runs): ${verdict}`;
    lines.push(`${label('baseline')}${found.regressions > 0 ? style.red(text) : text}`);
  }
  if (budgets !== undefined) {
    const text = `${found.failBreaches} failing and ${found.warnBreaches} warning breach(es)`;
    lines.push(`${label('budgets')}${found.failBreaches > 0 ? style.red(text) : text}`);
  }
  return lines;
}

/** The lines of the terminal summary; control characters in names and messages neutralised. */
export function terminalSummary(input: TerminalSummaryInput): string[] {
  const { result, style, failures } = input;
  const { run, metrics } = result;
  const { resources } = run;
  const label = (name: string): string => style.dim(name.padEnd(9));
  const lines = [
    '',
    `${style.bold('reliability-metrics:')} ${headline(result, style)}`,
    `${label('tests')}${testCounts(run.tests)}`,
    ...failing(run.tests, style),
    `${label('took')}${formatDuration(run.durationSeconds)}, peak memory ${formatBytes(resources.peakRssBytes)}, CPU mean ${resources.meanCpuPercent.toFixed(1)} %`,
    `${label('metrics')}${metrics.series} series in ${printable(metrics.file)}`,
    `${label('')}${delivery(result, style)}`,
    ...compared(result, label, style),
    ...(input.summaryFile !== undefined
      ? [`${label('summary')}${printable(input.summaryFile)}`]
      : []),
    ...run.warnings.map((warning) => `${label('warning')}${style.yellow(printable(warning))}`),
    ...(failures.length > 0
      ? [`${label('verdict')}${style.red(printable(failures.join(' ')))}`]
      : [`${label('verdict')}${style.green('success')}`]),
  ];
  return lines;
}

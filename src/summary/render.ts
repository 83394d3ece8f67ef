/**
 * The job summary: a pure function of what the run learned, read at a glance, always well under
 * GitHub's 1 MiB limit however large the suite (every list is capped).
 */
import {
  countByStatus,
  durationAt,
  FAILING_STATUSES,
  rowsWithStatus,
  statusAt,
  testsAt,
  type RunResult,
  type TestCase,
  type TestList,
  type TestStatus,
} from '../model.js';
import type { PushResult, ReadyResult } from '../metrics/pushgateway.js';
import type { RemoteWriteResult } from '../metrics/remote-write.js';
import { topKRows } from '../metrics/top-k.js';
import { lineChart } from './chart.js';
import { renderComparison, type ComparisonView } from './comparison.js';
import { figuresSection } from './figures-table.js';
import { cell, formatBytes, formatDuration, table, truncate } from './format.js';

/** Rows per list in the summary. */
export const LIMITS = {
  failed: 50,
  flaky: 30,
  slowest: 10,
  figures: 50,
  reports: 30,
  warnings: 20,
} as const;

/** What the summary shows. */
export interface SummaryView {
  readonly run: RunResult;
  /** Gateway URL without credentials; undefined when pushing is off. */
  readonly gateway?: string;
  readonly ready?: ReadyResult;
  /** The run's group, then the last-success group when there was one. */
  readonly pushes: readonly PushResult[];
  /** How the remote write went; undefined when remote-write-url is not set. */
  readonly remoteWrite?: RemoteWriteResult;
  readonly grouping: string;
  readonly series: number;
  readonly bytes: number;
  readonly metricsFile: string;
  readonly droppedTests: number;
  readonly droppedFigures: number;
  readonly grafanaLink?: string;
  readonly runLink?: string;
  /** The comparison with the base branch and the budgets, when either was asked for. */
  readonly comparison?: ComparisonView;
}

function verdict(view: SummaryView): string {
  const { run } = view;
  const counts = countByStatus(run.tests);
  const failing = [...FAILING_STATUSES].reduce((sum, status) => sum + counts[status], 0);
  let head: string;
  if (run.cancelled) head = '🛑 Reliability tests cancelled';
  else if (run.timedOut)
    head = `⏱️ Reliability tests timed out after ${formatDuration(run.durationSeconds)}`;
  else if (run.exitCode === 0) head = '✅ Reliability tests passed';
  else
    head = `❌ Reliability tests failed (exit code ${run.exitCode}${run.signal !== undefined ? `, ${run.signal}` : ''})`;
  // Every failing status in bold: an xpassed test fails the run as a failed one does.
  const byStatus = (Object.entries(counts) as [TestStatus, number][])
    .filter(([status, count]) => count > 0 || status === 'passed' || status === 'failed')
    .map(([status, count]) =>
      count > 0 && FAILING_STATUSES.has(status) ? `**${count} ${status}**` : `${count} ${status}`,
    );
  const facts = [
    run.tests.length > 0 ? byStatus.join(' · ') : 'no test report found',
    formatDuration(run.durationSeconds),
    `peak memory ${formatBytes(run.resources.peakRssBytes)}`,
    `mean CPU ${run.resources.meanCpuPercent.toFixed(0)}%`,
  ];
  const mismatch =
    run.exitCode === 0 && failing > 0
      ? '\n\n> [!WARNING]\n> The command exited 0 but its reports hold failing tests.'
      : '';
  return `## ${head}\n\n${facts.join(' — ')}${mismatch}`;
}

function location(test: TestCase): string {
  if (test.file === undefined) return '';
  return cell(test.line !== undefined ? `${test.file}:${test.line}` : test.file, 120);
}

function failedSection(tests: TestList): string {
  const failed = rowsWithStatus(tests, (status) => FAILING_STATUSES.has(status));
  if (failed.length === 0) return '';
  const rows = testsAt(tests, failed.slice(0, LIMITS.failed)).map((t) => [
    cell(t.id, 160),
    t.status,
    location(t),
    cell(t.message ?? '', 200),
  ]);
  const more =
    failed.length > LIMITS.failed ? `\n\n…and ${failed.length - LIMITS.failed} more.` : '';
  return `### Failed tests\n\n${table(['Test', 'Status', 'Where', 'Message'], rows)}${more}`;
}

function flakySection(tests: TestList): string {
  const flaky = rowsWithStatus(tests, (status) => status === 'flaky');
  if (flaky.length === 0) return '';
  const rows = testsAt(tests, flaky.slice(0, LIMITS.flaky)).map((t) => [
    cell(t.id, 160),
    String(t.retries ?? 1),
    location(t),
  ]);
  const more = flaky.length > LIMITS.flaky ? `\n\n…and ${flaky.length - LIMITS.flaky} more.` : '';
  return `### Flaky tests (failed, then passed on a rerun)\n\n${table(['Test', 'Reruns', 'Where'], rows)}${more}`;
}

function slowestSection(tests: TestList): string {
  const duration = (row: number): number => durationAt(tests, row) ?? 0;
  const chosen = topKRows(
    tests.length,
    LIMITS.slowest,
    (a, b) => duration(b) - duration(a),
    (row) => statusAt(tests, row) !== 'skipped' && Number.isFinite(durationAt(tests, row)),
  );
  const slowest = testsAt(tests, chosen);
  if (slowest.length === 0) return '';
  const rows = slowest.map((t) => [
    cell(t.id, 160),
    formatDuration(t.durationSeconds ?? 0),
    t.status,
  ]);
  return `### Slowest tests\n\n${table(['Test', 'Duration', 'Status'], rows)}`;
}

function resourcesSection(run: RunResult): string {
  const { resources } = run;
  const memory = lineChart(
    'Memory of the process tree (MiB)',
    'MiB',
    resources.samples,
    (s) => s.rssBytes / 1048576,
  );
  const cpu = lineChart(
    'CPU of the process tree (%, 100 = one core)',
    '%',
    resources.samples,
    (s) => s.cpuPercent,
  );
  const facts = table(
    [
      'Peak RSS',
      'RSS growth (first to last sample)',
      'Mean CPU',
      'Max CPU',
      'CPU time',
      'Processes (max)',
      'Samples',
    ],
    [
      [
        formatBytes(resources.peakRssBytes),
        formatBytes(resources.memoryGrowthBytes),
        `${resources.meanCpuPercent.toFixed(1)}%`,
        `${resources.maxCpuPercent.toFixed(1)}%`,
        formatDuration(resources.cpuSeconds),
        String(resources.samples.reduce((max, s) => Math.max(max, s.processes), 0)),
        String(resources.samples.length),
      ],
    ],
  );
  return ['### Resources', facts, memory, cpu].filter((part) => part !== '').join('\n\n');
}

function reportsSection(run: RunResult): string {
  if (run.reports.length === 0) return '';
  const rows = run.reports.slice(0, LIMITS.reports).map((r) => [
    cell(r.path, 120),
    r.format ?? '–',
    String(r.tests),
    String(r.figures),
    formatBytes(r.bytes),
    // Parse errors name their file, which the row already shows.
    cell(r.error?.replace(`${r.path}: `, '') ?? 'ok', 200),
  ]);
  const more =
    run.reports.length > LIMITS.reports
      ? `\n\n…and ${run.reports.length - LIMITS.reports} more files.`
      : '';
  return `### Reports read\n\n${table(['File', 'Format', 'Tests', 'Figures', 'Size', 'Result'], rows)}${more}`;
}

function pushSection(view: SummaryView): string {
  const lines: string[] = ['### Metrics'];
  const [runPush, successPush] = view.pushes;
  if (view.gateway === undefined) {
    if (view.remoteWrite === undefined) lines.push('Not pushed: `pushgateway-url` is not set.');
  } else if (runPush === undefined) {
    lines.push(
      `❌ Not pushed to ${cell(view.gateway)}: ${cell(view.ready?.error ?? 'the gateway did not answer', 400)}`,
    );
  } else if (runPush.ok) {
    const extra =
      successPush === undefined ? '' : successPush.ok ? ' and the last-success group' : '';
    lines.push(
      `✅ Pushed to ${cell(view.gateway)}${extra} in ${formatDuration(runPush.durationMs / 1000)} (${runPush.attempts} attempt${runPush.attempts === 1 ? '' : 's'}).`,
    );
  } else {
    lines.push(
      `❌ Push to ${cell(view.gateway)} failed after ${runPush.attempts} attempt${runPush.attempts === 1 ? '' : 's'}: ${cell(runPush.error ?? '', 600)}`,
    );
  }
  if (successPush !== undefined && !successPush.ok) {
    lines.push(`⚠️ The last-success group was not pushed: ${cell(successPush.error ?? '', 400)}`);
  }
  if (view.remoteWrite !== undefined) lines.push(remoteWriteLine(view.remoteWrite));
  const dropped = [
    view.droppedTests > 0
      ? `${view.droppedTests} tests beyond max-test-series have no series of their own`
      : '',
    view.droppedFigures > 0 ? `${view.droppedFigures} figures beyond the cap were left out` : '',
  ].filter((s) => s !== '');
  lines.push(
    table(
      ['Group', 'Series', 'Size', 'Metrics file'],
      [
        [
          cell(view.grouping, 400),
          String(view.series),
          formatBytes(view.bytes),
          cell(view.metricsFile, 200),
        ],
      ],
    ),
  );
  if (dropped.length > 0) lines.push(`${dropped.join('; ')}.`);
  const links = [
    view.grafanaLink !== undefined ? `[Open the Grafana dashboard](${view.grafanaLink})` : '',
    view.runLink !== undefined ? `[This run](${view.runLink})` : '',
  ].filter((s) => s !== '');
  if (links.length > 0) lines.push(links.join(' · '));
  return lines.join('\n\n');
}

function remoteWriteLine(write: RemoteWriteResult): string {
  const attempts = `${write.attempts} attempt${write.attempts === 1 ? '' : 's'}`;
  const requests = `${write.requests} request${write.requests === 1 ? '' : 's'}`;
  if (write.ok) {
    return `✅ Remote-wrote ${write.series} series to ${cell(write.url)}, one point each at the run's end, in ${formatDuration(write.durationMs / 1000)} (${requests}, ${attempts}).`;
  }
  const taken = write.requestsTaken > 0 ? ` (${write.requestsTaken} of ${requests} taken)` : '';
  return `❌ Remote write to ${cell(write.url)} failed after ${attempts}${taken}: ${cell(write.error ?? '', 600)}`;
}

function warningsSection(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  const shown = warnings.slice(0, LIMITS.warnings).map((w) => `- ${cell(w, 300)}`);
  const more =
    warnings.length > LIMITS.warnings
      ? `\n- …and ${warnings.length - LIMITS.warnings} more (see the log).`
      : '';
  return `<details><summary>${warnings.length} warning${warnings.length === 1 ? '' : 's'}</summary>\n\n${shown.join('\n')}${more}\n\n</details>`;
}

/** Renders the job summary as GitHub-flavoured Markdown. */
export function render(view: SummaryView): string {
  const sections = [
    verdict(view),
    view.comparison !== undefined ? renderComparison(view.comparison) : '',
    failedSection(view.run.tests),
    flakySection(view.run.tests),
    slowestSection(view.run.tests),
    figuresSection(view.run.figures, LIMITS.figures),
    resourcesSection(view.run),
    reportsSection(view.run),
    pushSection(view),
    warningsSection(view.run.warnings),
    `<sub>Command: <code>${cell(truncate(view.run.command, 300), 300)}</code></sub>`,
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

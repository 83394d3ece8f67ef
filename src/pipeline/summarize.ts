/** The Markdown summary of a run: what the core hands every adapter to publish. */
import { dashboardLink } from '../metrics/dashboard-link.js';
import { describeGroupingKey } from '../metrics/grouping.js';
import type { ComparisonView } from '../summary/comparison.js';
import { render, type SummaryView } from '../summary/render.js';
import type { RunOptions } from './options.js';
import type { SuiteResult } from './run-suite.js';

/** The view the summary renderer takes, from a run's result. */
export function summaryView(
  result: SuiteResult,
  options: Pick<RunOptions, 'grafanaUrl'>,
  runLink?: string,
  notice?: string,
): SummaryView {
  const { run, key, metrics, delivery, comparison } = result;
  const compared: ComparisonView = {
    ...(comparison.comparison && { comparison: comparison.comparison }),
    ...(comparison.budgets && { budgets: comparison.budgets }),
    ...(notice !== undefined && { notice }),
  };
  const grafanaLink = options.grafanaUrl && dashboardLink(options.grafanaUrl, key, run);
  return {
    run,
    pushes: delivery.pushes,
    ...(delivery.remoteWrite && { remoteWrite: delivery.remoteWrite }),
    grouping: describeGroupingKey(key),
    series: metrics.series,
    bytes: metrics.bytes,
    metricsFile: metrics.file,
    droppedTests: metrics.built.droppedTests,
    droppedFigures: metrics.built.droppedFigures,
    ...(delivery.gateway !== undefined && { gateway: delivery.gateway }),
    ...(delivery.ready && { ready: delivery.ready }),
    ...(grafanaLink && { grafanaLink }),
    ...(runLink !== undefined && { runLink }),
    ...(Object.keys(compared).length > 0 && { comparison: compared }),
  };
}

/** Renders the run's summary as Markdown. */
export function summarize(
  result: SuiteResult,
  options: Pick<RunOptions, 'grafanaUrl'>,
  runLink?: string,
  notice?: string,
): string {
  return render(summaryView(result, options, runLink, notice));
}

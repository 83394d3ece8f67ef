/** Link from the summary to the Grafana overview dashboard, filtered on the run's group. */
import type { RunResult } from '../model.js';
import { PULL_REQUEST_LABEL, type GroupingKey } from './grouping.js';

/** uid of grafana/dashboards/reliability-overview.json. */
export const OVERVIEW_DASHBOARD_UID = 'reliability-overview';

/** The overview dashboard from 6 hours before the run to a few minutes after it. */
export function dashboardLink(grafana: URL, key: GroupingKey, run: RunResult): string {
  const url = new URL(grafana.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/d/${OVERVIEW_DASHBOARD_UID}`;
  const end = (run.startedAt + run.durationSeconds) * 1000;
  url.searchParams.set('from', String(Math.floor(end - 6 * 3600_000)));
  url.searchParams.set('to', String(Math.ceil(end + 5 * 60_000)));
  for (const name of ['repository', 'branch', 'workflow', 'suite'] as const) {
    const value = key.labels[name];
    if (value !== undefined) url.searchParams.set(`var-${name}`, value);
  }
  // The dashboards open on branch runs; a pull request's run is among "pull requests".
  if (key.labels[PULL_REQUEST_LABEL] !== undefined) url.searchParams.set('var-runs', '.+');
  return url.href;
}

/**
 * The Pushgateway group a run is pushed to, and its URL path with every value in the `@base64`
 * form, so that `/`, spaces, Unicode and empty values survive (`%2F` would split the path).
 */
import type { CiContext } from '../ci/context.js';
import { cleanLabelValue } from './names.js';

/** A Pushgateway grouping key: the job plus ordered labels. */
export interface GroupingKey {
  readonly job: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Extra grouping label of the group that holds the last successful run. */
export const LAST_SUCCESS_LABEL = { record: 'last_success' } as const;

/** Settings that shape the grouping key. */
export interface GroupingSettings {
  readonly jobName: string;
  readonly suite: string;
  readonly groupingLabels: Readonly<Record<string, string>>;
}

/** Grouping label of a pull request's run: its number. Branch runs do not have it. */
export const PULL_REQUEST_LABEL = 'pull_request';

/**
 * The run's group: job, repository, branch, workflow, workflow_job, suite and user labels. The
 * run of a pull request also has `pull_request="<number>"`: a group of its own, so it never
 * replaces the latest run of its head branch (nor pages through that branch's alert route).
 */
export function runGroupingKey(
  settings: GroupingSettings,
  ci: Pick<CiContext, 'repository' | 'branch' | 'workflow' | 'workflowJob' | 'pullRequest'>,
): GroupingKey {
  const labels: Record<string, string> = {
    repository: ci.repository,
    branch: ci.branch,
    ...(ci.pullRequest !== '' && { [PULL_REQUEST_LABEL]: ci.pullRequest }),
    workflow: ci.workflow,
    workflow_job: ci.workflowJob,
    suite: settings.suite,
    ...settings.groupingLabels,
  };
  for (const [name, value] of Object.entries(labels)) labels[name] = cleanLabelValue(value);
  return { job: cleanLabelValue(settings.jobName), labels };
}

/** The group of the last successful run: the run's key plus `record="last_success"`. */
export function lastSuccessGroupingKey(key: GroupingKey): GroupingKey {
  return { job: key.job, labels: { ...key.labels, ...LAST_SUCCESS_LABEL } };
}

/** URL-safe base64 of a value; `=` for the empty value, as the Pushgateway requires. */
export function encodeGroupingValue(value: string): string {
  return value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64url');
}

/** `/metrics/job@base64/…/<label>@base64/…` for the key. */
export function groupPath(key: GroupingKey): string {
  const parts = [`job@base64`, encodeGroupingValue(key.job)];
  for (const [name, value] of Object.entries(key.labels)) {
    parts.push(`${name}@base64`, encodeGroupingValue(value));
  }
  return `/metrics/${parts.join('/')}`;
}

/** The key as `job="…", label="…"` for people to read. */
export function describeGroupingKey(key: GroupingKey): string {
  return [['job', key.job], ...Object.entries(key.labels)]
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(', ');
}

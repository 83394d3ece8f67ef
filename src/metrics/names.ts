/** Prometheus naming rules for names that come from users and reports. */

/**
 * Labels of `*_run_info`. As grouping labels the gateway would overwrite them with the group's
 * value, so a user grouping label of that name would replace the commit, the actor, …
 */
export const RUN_INFO_LABEL_NAMES: readonly string[] = [
  'commit',
  'run_id',
  'run_attempt',
  'run_number',
  'event',
  'ref',
  'actor',
  'runner_os',
  'action_version',
];

/** Labels the action sets itself; user grouping labels must not reuse them. */
export const RESERVED_LABEL_NAMES: ReadonlySet<string> = new Set([
  ...RUN_INFO_LABEL_NAMES,
  'pull_request',
  'job',
  'instance',
  'repository',
  'branch',
  'workflow',
  'workflow_job',
  'suite',
  'record',
  'le',
  'quantile',
  'status',
  'test',
  'classname',
  'file',
  'operation',
  'stat',
  'measurement',
]);

/** Longest label value the action pushes; longer values are cut and marked with an ellipsis. */
export const MAX_LABEL_VALUE_LENGTH = 512;

/** Turns any string into a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`, no leading `__`). */
export function sanitizeLabelName(name: string): string {
  let clean = name.replace(/[^a-zA-Z0-9_]/g, '_');
  if (clean === '' || /^[0-9]/.test(clean)) clean = `_${clean}`;
  if (clean.startsWith('__')) clean = clean.replace(/^_+/, 'l_');
  return clean;
}

/** Turns any string into a valid metric name part (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
export function sanitizeMetricName(name: string): string {
  let clean = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  if (clean === '' || /^[0-9]/.test(clean)) clean = `_${clean}`;
  return clean;
}

/** A prefix is valid when it is a valid metric name on its own. */
export function sanitizeMetricPrefix(prefix: string): string {
  return sanitizeMetricName(prefix);
}

/**
 * Makes a label value safe to push: valid UTF-8 (lone surrogates replaced), no NUL, at most
 * {@link MAX_LABEL_VALUE_LENGTH} code points. Quotes, backslashes and newlines are legal and
 * escaped by the exposition format.
 */
export function cleanLabelValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  let clean = value.toWellFormed().replace(/\u0000/g, '');
  const codePoints = Array.from(clean);
  if (codePoints.length > MAX_LABEL_VALUE_LENGTH) {
    clean = `${codePoints.slice(0, MAX_LABEL_VALUE_LENGTH - 1).join('')}…`;
  }
  return clean;
}

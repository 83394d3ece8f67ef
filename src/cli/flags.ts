/**
 * The command's flags: one per input of action.yml, same name, same rules (the core reads both
 * through `readOptions`), plus the few that only a terminal needs. A test proves every action input
 * has its flag here, so the command can never fall behind the action.
 */
import { REPORT_FORMATS } from '../model.js';

/** How a flag takes its value. */
export type FlagKind =
  /** `--name value`. */
  | 'string'
  /** `--name` / `--no-name`. */
  | 'boolean'
  /** `--name value`, repeatable; the values are joined one per line as the action takes them. */
  | 'list';

/** One flag of `reliability-metrics run`. */
export interface FlagSpec {
  /** The action input's name, which is the flag's name. */
  readonly name: string;
  readonly kind: FlagKind;
  /** Placeholder of the value in `--help`. */
  readonly value?: string;
  /** One-letter spelling (`-h`). */
  readonly short?: string;
  /** A second, singular spelling of a list flag (`--grouping-label`). */
  readonly alias?: string;
  /** Environment variable read when the flag is absent, for secrets kept out of argv. */
  readonly env?: string;
  readonly help: string;
}

/** Prefix of the environment variables the command reads. */
export const ENV_PREFIX = 'RELIABILITY_';

/** The action's inputs as flags, in the order `--help` lists them. */
export const INPUT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'command',
    kind: 'string',
    value: '<line>',
    help: 'Test command as one shell line (bash, cmd on Windows); or give it after --.',
  },
  {
    name: 'pushgateway-url',
    kind: 'string',
    value: '<url>',
    env: 'RELIABILITY_PUSHGATEWAY_URL',
    help: 'Pushgateway base URL (http://host:9091). Absent: nothing is pushed; the metrics file and summary are still written.',
  },
  {
    name: 'pushgateway-username',
    kind: 'string',
    value: '<user>',
    env: 'RELIABILITY_PUSHGATEWAY_USERNAME',
    help: 'Basic-auth user for the Pushgateway.',
  },
  {
    name: 'pushgateway-password',
    kind: 'string',
    value: '<secret>',
    env: 'RELIABILITY_PUSHGATEWAY_PASSWORD',
    help: 'Basic-auth password; prefer the environment variable.',
  },
  {
    name: 'pushgateway-token',
    kind: 'string',
    value: '<secret>',
    env: 'RELIABILITY_PUSHGATEWAY_TOKEN',
    help: 'Bearer token for the Pushgateway; prefer the environment variable.',
  },
  {
    name: 'pushgateway-headers',
    kind: 'list',
    value: '"Name: value"',
    alias: 'pushgateway-header',
    env: 'RELIABILITY_PUSHGATEWAY_HEADERS',
    help: 'Extra HTTP header (the variable: one per line); values are redacted.',
  },
  {
    name: 'working-directory',
    kind: 'string',
    value: '<dir>',
    help: 'Directory the command runs in and report paths are relative to (default: .).',
  },
  {
    name: 'report-paths',
    kind: 'list',
    value: '<glob>',
    help: 'Report files to parse; !glob excludes. Default: every *.xml and *.json the command wrote.',
  },
  {
    name: 'report-format',
    kind: 'string',
    value: '<format>',
    help: `auto (default), ${REPORT_FORMATS.join(', ')}.`,
  },
  {
    name: 'job-name',
    kind: 'string',
    value: '<name>',
    help: 'Pushgateway job label (default: reliability_tests).',
  },
  {
    name: 'suite',
    kind: 'string',
    value: '<name>',
    help: 'Suite grouping label (default: default); one per matrix leg.',
  },
  {
    name: 'grouping-labels',
    kind: 'list',
    value: '<key=value>',
    alias: 'grouping-label',
    help: 'Extra grouping label (python=3.12).',
  },
  {
    name: 'metric-prefix',
    kind: 'string',
    value: '<prefix>',
    help: 'Prefix of every metric name (default: reliability_).',
  },
  {
    name: 'sample-interval',
    kind: 'string',
    value: '<seconds>',
    help: 'Seconds between two CPU and memory samples, 0.1 to 60 (default: 1).',
  },
  {
    name: 'gateway-wait-seconds',
    kind: 'string',
    value: '<seconds>',
    help: 'How long to wait for the Pushgateway to be ready before the command starts (default: 30).',
  },
  {
    name: 'push-timeout-seconds',
    kind: 'string',
    value: '<seconds>',
    help: 'Bound on the whole push, retries included (default: 30).',
  },
  {
    name: 'gateway-required',
    kind: 'boolean',
    help: 'Fail before running the command when the Pushgateway does not answer.',
  },
  {
    name: 'timeout-minutes',
    kind: 'string',
    value: '<minutes>',
    help: 'End the whole process tree after this long, recorded as timed out (default: 0, no limit).',
  },
  {
    name: 'fail-on-test-failure',
    kind: 'boolean',
    help: "Exit with the command's failure (default); --no-fail-on-test-failure exits 0 whatever the tests did.",
  },
  {
    name: 'fail-on-push-error',
    kind: 'boolean',
    help: 'Exit 1 when the metrics could not be pushed.',
  },
  {
    name: 'fail-on-report-error',
    kind: 'boolean',
    help: 'Exit 1 when a report is missing or cannot be parsed.',
  },
  {
    name: 'max-test-series',
    kind: 'string',
    value: '<n>',
    help: 'Most per-test series (failed first, then the slowest); 0 pushes none (default: 500).',
  },
  {
    name: 'metrics-file',
    kind: 'string',
    value: '<path>',
    help: "Where the exposition text is written (default: reliability-metrics.prom in the CI's temp dir, else the working directory).",
  },
  {
    name: 'grafana-url',
    kind: 'string',
    value: '<url>',
    help: 'Grafana base URL; the summary links to the dashboard filtered on this run.',
  },
  {
    name: 'remote-write-url',
    kind: 'string',
    value: '<url>',
    env: 'RELIABILITY_REMOTE_WRITE_URL',
    help: 'Prometheus remote-write endpoint (Prometheus, Mimir, Thanos Receive, VictoriaMetrics): one point per run at its end time.',
  },
  {
    name: 'remote-write-headers',
    kind: 'list',
    value: '"Name: value"',
    alias: 'remote-write-header',
    env: 'RELIABILITY_REMOTE_WRITE_HEADERS',
    help: 'Extra HTTP header for remote write, such as X-Scope-OrgID (the variable: one per line); values are redacted.',
  },
  {
    name: 'prometheus-url',
    kind: 'string',
    value: '<url>',
    env: 'RELIABILITY_PROMETHEUS_URL',
    help: "Query API of the history (Prometheus, Thanos Query, Mimir's /prometheus, VictoriaMetrics): the run is compared with its base branch's last runs.",
  },
  {
    name: 'prometheus-headers',
    kind: 'list',
    value: '"Name: value"',
    alias: 'prometheus-header',
    env: 'RELIABILITY_PROMETHEUS_HEADERS',
    help: 'Extra HTTP header for the query API (the variable: one per line); values are redacted.',
  },
  {
    name: 'baseline-branch',
    kind: 'string',
    value: '<branch>',
    help: "Branch to compare with (default: the merge or pull request's target branch, else main).",
  },
  {
    name: 'baseline-runs',
    kind: 'string',
    value: '<n>',
    help: 'Runs of the baseline branch read (default: 10).',
  },
  {
    name: 'baseline-min-runs',
    kind: 'string',
    value: '<n>',
    help: 'Fewer baseline runs than this: "not enough history", no verdict (default: 3).',
  },
  {
    name: 'regression-threshold',
    kind: 'string',
    value: '<percent>',
    help: 'Smallest relative change that counts, beyond the noise and the unit floor (default: 10%).',
  },
  {
    name: 'budgets',
    kind: 'string',
    value: '<file>',
    help: 'YAML file of budgets, validated before the command runs; a breached fail rule fails the run.',
  },
];

/**
 * Inputs of the action that are the GitHub adapter's own, so no flag: the pull-request comment.
 * The command writes the same Markdown with --summary-file, for a CI to post its own way.
 */
export const ACTION_ONLY_INPUTS: readonly string[] = ['comment-on-pr', 'github-token'];

/** Flags of the command alone (not action inputs). */
export const COMMAND_FLAGS: readonly FlagSpec[] = [
  {
    name: 'summary-file',
    kind: 'string',
    value: '<path>',
    help: 'Also write the Markdown summary (the job summary of the action) to this file.',
  },
  { name: 'verbose', kind: 'boolean', help: 'Show debug lines (phase boundaries, timings).' },
  { name: 'help', kind: 'boolean', short: 'h', help: 'Show this help.' },
  { name: 'version', kind: 'boolean', help: 'Show the version.' },
];

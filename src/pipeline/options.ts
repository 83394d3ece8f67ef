/**
 * Reads and validates the options of a run once, into one readonly object. The names are the
 * action's input names, which the command's flags mirror one to one (`--pushgateway-url`), so
 * both adapters share these rules. Invalid input throws an {@link OptionError} naming the option
 * and what it accepts; each adapter words the name its own way.
 */
import { REPORT_FORMATS, type ReportFormat } from '../model.js';
import {
  RESERVED_LABEL_NAMES,
  RUN_INFO_LABEL_NAMES,
  sanitizeLabelName,
  sanitizeMetricPrefix,
} from '../metrics/names.js';
import { compareSecrets, readCompareOptions, type CompareOptions } from './compare-options.js';
import { parseHeaderLines, parseHttpUrl } from './endpoint-inputs.js';
import { remoteWriteTarget } from './remote-write-options.js';
import { headerSecrets } from './secrets.js';
import type { RemoteWriteTarget } from '../metrics/remote-write-target.js';

/** Everything a run was asked to do. */
export interface RunOptions {
  readonly command: string;
  /** Base URL without a trailing slash and without credentials; undefined when not pushing. */
  readonly pushgatewayUrl?: URL;
  readonly workingDirectory: string;
  readonly reportPatterns: readonly string[];
  readonly reportFormat: ReportFormat | 'auto';
  readonly jobName: string;
  readonly suite: string;
  readonly groupingLabels: Readonly<Record<string, string>>;
  readonly metricPrefix: string;
  readonly sampleIntervalMs: number;
  readonly gatewayWaitSeconds: number;
  readonly gatewayRequired: boolean;
  readonly pushTimeoutSeconds: number;
  /** 0 = no limit. */
  readonly timeoutMs: number;
  readonly failOnTestFailure: boolean;
  readonly failOnPushError: boolean;
  readonly failOnReportError: boolean;
  readonly auth: PushAuth;
  readonly maxTestSeries: number;
  /** Empty: the default path under RUNNER_TEMP. */
  readonly metricsFile: string;
  readonly grafanaUrl?: URL;
  /** Comparison with the base branch's history, and budgets (docs/regressions.md). */
  readonly compare: CompareOptions;
  /** The remote-write endpoint and its headers; undefined when not writing remotely. */
  readonly remoteWrite?: RemoteWriteTarget;
}

/** Credentials and headers for the Pushgateway. */
export interface PushAuth {
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Invalid input: names the option (by its action.yml name) and says what it accepts. */
export class OptionError extends Error {
  constructor(
    readonly option: string,
    readonly detail: string,
  ) {
    super(`Input '${option}': ${detail}`);
    this.name = 'OptionError';
  }
}

/** Reads one option by its action.yml name; '' when it was not given. */
export type OptionReader = (name: string) => string;

function parseBoolean(read: OptionReader, name: string, fallback: boolean): boolean {
  const raw = read(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(raw)) return true;
  if (['false', 'no', 'off', '0'].includes(raw)) return false;
  throw new OptionError(name, `'${raw}' is not a boolean: use true or false.`);
}

function parseNumber(
  read: OptionReader,
  name: string,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  const raw = read(name).trim();
  if (raw === '') return fallback;
  const value = Number(raw);
  if (
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new OptionError(name, `'${raw}' is not valid: use ${kind} from ${min} to ${max}.`);
  }
  return value;
}

function lines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function parseUrl(name: string, raw: string): URL | undefined {
  return parseHttpUrl(name, raw, 'use http(s)://host:port, for example http://localhost:9091');
}

function parseGroupingLabels(raw: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of lines(raw)) {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new OptionError(
        'grouping-labels',
        `line '${line}' is not key=value: write one label per line, like python=3.12.`,
      );
    }
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (sanitizeLabelName(key) !== key) {
      throw new OptionError(
        'grouping-labels',
        `'${key}' is not a valid label name: use letters, digits and _, not starting with a digit or __.`,
      );
    }
    if (RESERVED_LABEL_NAMES.has(key)) {
      throw new OptionError(
        'grouping-labels',
        `'${key}' is reserved (set by the action${RUN_INFO_LABEL_NAMES.includes(key) ? ' on run_info; as a grouping label the gateway would overwrite the real value' : ''}): choose another name.`,
      );
    }
    labels[key] = value;
  }
  return labels;
}

function parseFormat(raw: string): ReportFormat | 'auto' {
  const value = raw.trim().toLowerCase() || 'auto';
  if (value === 'auto') return 'auto';
  const format = REPORT_FORMATS.find((f) => f === value);
  if (format === undefined) {
    throw new OptionError(
      'report-format',
      `'${raw}' is not a known format: use auto, ${REPORT_FORMATS.join(', ')}.`,
    );
  }
  return format;
}

/**
 * The gateway's base URL. A query string or fragment is refused rather than dropped: the
 * Pushgateway API takes no parameters, so one is a mistake or a credential in the wrong place
 * (which would then be shown in the log and the summary); credentials have their own inputs.
 */
function parseGatewayUrl(raw: string): URL | undefined {
  const url = parseUrl('pushgateway-url', raw);
  if (url !== undefined && (url.search !== '' || url.hash !== '')) {
    throw new OptionError(
      'pushgateway-url',
      `has a ${url.search !== '' ? 'query string (?…)' : 'fragment (#…)'}, which the Pushgateway API does not take: give the base URL only (scheme, host, port and an optional path prefix); pass credentials with pushgateway-token, pushgateway-username/pushgateway-password or pushgateway-headers.`,
    );
  }
  return url;
}

/**
 * Decodes a percent-encoded part of a URL's user info, naming the option when it is malformed
 * (`decodeURIComponent` alone says only "URI malformed").
 */
export function decodeUserInfo(
  value: string,
  part: 'user name' | 'password',
  option = 'pushgateway-url',
): string {
  try {
    return decodeURIComponent(value);
  } catch {
    const instead =
      option === 'pushgateway-url'
        ? ', or set pushgateway-username and pushgateway-password instead'
        : '';
    throw new OptionError(
      option,
      `the ${part} in the URL is not valid percent-encoding (every % must start an escape like %40): write a literal % as %25${instead}.`,
    );
  }
}

/** Moves user:password out of the gateway URL into the auth settings, so the URL can be shown. */
function splitCredentials(url: URL | undefined, auth: PushAuth): [URL | undefined, PushAuth] {
  if (url === undefined || (url.username === '' && url.password === '')) return [url, auth];
  const username = auth.username ?? decodeUserInfo(url.username, 'user name');
  const password = auth.password ?? decodeUserInfo(url.password, 'password');
  const clean = new URL(url.href);
  clean.username = '';
  clean.password = '';
  return [clean, { ...auth, username, password }];
}

/** Reads every option; throws {@link OptionError} on the first invalid one. */
export function readOptions(read: OptionReader): RunOptions {
  const command = read('command').trim();
  if (command === '')
    throw new OptionError('command', 'is required: give the test command to run.');

  const optional = (name: string): string | undefined => read(name) || undefined;
  const [pushgatewayUrl, auth] = splitCredentials(parseGatewayUrl(read('pushgateway-url')), {
    username: optional('pushgateway-username'),
    password: optional('pushgateway-password'),
    token: optional('pushgateway-token'),
    headers: parseHeaderLines('pushgateway-headers', read('pushgateway-headers')),
  });
  if (auth.token !== undefined && (auth.username !== undefined || auth.password !== undefined)) {
    throw new OptionError(
      'pushgateway-token',
      'cannot be combined with basic auth: set either the token or the username and password.',
    );
  }
  if (auth.password !== undefined && auth.username === undefined) {
    throw new OptionError('pushgateway-username', 'is required when pushgateway-password is set.');
  }

  const prefix = read('metric-prefix').trim() || 'reliability_';
  if (sanitizeMetricPrefix(prefix) !== prefix) {
    throw new OptionError(
      'metric-prefix',
      `'${prefix}' is not a valid metric name prefix: use letters, digits, _ and :, not starting with a digit.`,
    );
  }
  if (/^(go|process|pushgateway|push)_/.test(prefix)) {
    throw new OptionError(
      'metric-prefix',
      `'${prefix}' would clash with the Pushgateway's own metrics (go_*, process_*, push*): choose another prefix.`,
    );
  }
  const jobName = read('job-name').trim() || 'reliability_tests';

  return {
    command,
    pushgatewayUrl,
    workingDirectory: read('working-directory').trim() || '.',
    reportPatterns: lines(read('report-paths')),
    reportFormat: parseFormat(read('report-format')),
    jobName,
    suite: read('suite').trim() || 'default',
    groupingLabels: parseGroupingLabels(read('grouping-labels')),
    metricPrefix: prefix,
    sampleIntervalMs: Math.round(parseNumber(read, 'sample-interval', 1, 0.1, 60) * 1000),
    gatewayWaitSeconds: parseNumber(read, 'gateway-wait-seconds', 30, 0, 600),
    gatewayRequired: parseBoolean(read, 'gateway-required', false),
    pushTimeoutSeconds: parseNumber(read, 'push-timeout-seconds', 30, 1, 600),
    timeoutMs: Math.round(parseNumber(read, 'timeout-minutes', 0, 0, 7 * 24 * 60) * 60_000),
    failOnTestFailure: parseBoolean(read, 'fail-on-test-failure', true),
    failOnPushError: parseBoolean(read, 'fail-on-push-error', false),
    failOnReportError: parseBoolean(read, 'fail-on-report-error', false),
    auth,
    maxTestSeries: parseNumber(read, 'max-test-series', 500, 0, 100_000, true),
    metricsFile: read('metrics-file').trim(),
    grafanaUrl: parseUrl('grafana-url', read('grafana-url')),
    compare: readCompareOptions(read),
    remoteWrite: remoteWriteTarget(read('remote-write-url'), read('remote-write-headers')),
  };
}

/**
 * Every secret value in the inputs, for masking: the password, the token, header values, and the
 * Basic credentials as they travel (a gateway may echo its Authorization header in an error).
 */
export function secretsOf(options: RunOptions): string[] {
  const { username, password, token, headers } = options.auth;
  const basic =
    password !== undefined && password !== ''
      ? Buffer.from(`${username ?? ''}:${password}`, 'utf8').toString('base64')
      : undefined;
  return [
    password,
    token,
    basic,
    ...headerSecrets(headers),
    ...compareSecrets(options.compare),
    ...(options.remoteWrite?.secrets ?? []),
    ...headerSecrets(options.remoteWrite?.headers ?? {}),
  ].filter((value): value is string => value !== undefined && value !== '');
}

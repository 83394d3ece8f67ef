/**
 * Options of the comparison with the base branch and of the budgets (docs/regressions.md),
 * read with the other run options and validated the same way.
 */
import { DEFAULT_COMPARE_SETTINGS } from '../compare/compare-runs.js';
import { decodeUserInfo, OptionError, type OptionReader } from './options.js';
import { headerSecrets } from './secrets.js';

/** What to compare with, and how. */
export interface CompareOptions {
  /** Base of the query API, without credentials; undefined: no comparison. */
  readonly prometheusUrl?: URL;
  /** Authorization (from credentials in the URL) and `prometheus-headers`. */
  readonly prometheusHeaders: Readonly<Record<string, string>>;
  /** Empty: the CI's base branch, else `main`. */
  readonly baselineBranch: string;
  readonly baselineRuns: number;
  readonly baselineMinRuns: number;
  /** Relative threshold as a fraction. */
  readonly threshold: number;
  /** Budgets file, relative to working-directory; empty: none. */
  readonly budgetsFile: string;
}

function parseHeaders(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/).map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new OptionError(
        'prometheus-headers',
        'each line must be "Name: value", for example "X-Scope-OrgID: team-a".',
      );
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function parseQueryUrl(raw: string, headers: Record<string, string>): URL | undefined {
  if (raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OptionError(
      'prometheus-url',
      'is not a valid URL: use the base of the query API, for example http://prometheus:9090.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OptionError(
      'prometheus-url',
      `scheme '${url.protocol}' is not supported: use http:// or https://.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    const user = decodeUserInfo(url.username, 'user name', 'prometheus-url');
    const pair = `${user}:${decodeUserInfo(url.password, 'password', 'prometheus-url')}`;
    const hasAuth = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    if (!hasAuth) headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    url = new URL(url.href);
    url.username = '';
    url.password = '';
  }
  return url;
}

function parseCount(read: OptionReader, name: string, fallback: number): number {
  const raw = read(name).trim();
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw new OptionError(name, `'${raw}' is not valid: use a whole number from 1 to 100.`);
  }
  return value;
}

function parseThreshold(raw: string): number {
  const text = raw.trim();
  if (text === '') return DEFAULT_COMPARE_SETTINGS.threshold;
  const value = Number(text.replace(/\s*%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 1000) {
    throw new OptionError(
      'regression-threshold',
      `'${raw}' is not valid: use a percentage such as 10%.`,
    );
  }
  return value / 100;
}

/** Reads the comparison options; throws {@link OptionError} on an invalid one. */
export function readCompareOptions(read: OptionReader): CompareOptions {
  const prometheusHeaders = parseHeaders(read('prometheus-headers'));
  const prometheusUrl = parseQueryUrl(read('prometheus-url'), prometheusHeaders);
  const baselineRuns = parseCount(read, 'baseline-runs', DEFAULT_COMPARE_SETTINGS.baselineRuns);
  const baselineMinRuns = parseCount(read, 'baseline-min-runs', DEFAULT_COMPARE_SETTINGS.minRuns);
  if (baselineMinRuns > baselineRuns) {
    throw new OptionError(
      'baseline-min-runs',
      `${baselineMinRuns} is more than baseline-runs (${baselineRuns}): no baseline could ever be enough.`,
    );
  }
  return {
    ...(prometheusUrl !== undefined && { prometheusUrl }),
    prometheusHeaders,
    baselineBranch: read('baseline-branch').trim(),
    baselineRuns,
    baselineMinRuns,
    threshold: parseThreshold(read('regression-threshold')),
    budgetsFile: read('budgets').trim(),
  };
}

/** Secret values of the comparison options (header values, Basic credentials), for masking. */
export function compareSecrets(options: CompareOptions): string[] {
  return headerSecrets(options.prometheusHeaders);
}

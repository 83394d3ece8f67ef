/**
 * Options of the comparison with the base branch and of the budgets (docs/regressions.md),
 * read with the other run options and validated the same way.
 */
import { DEFAULT_COMPARE_SETTINGS } from '../compare/compare-runs.js';
import { decodeUserInfo, OptionError, type OptionReader } from './options.js';
import { parseHeaderLines, parseHttpUrl } from './endpoint-inputs.js';
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

function parseQueryUrl(raw: string, headers: Record<string, string>): URL | undefined {
  let url = parseHttpUrl(
    'prometheus-url',
    raw,
    'use the base of the query API, for example http://prometheus:9090',
  );
  if (url === undefined) return undefined;
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
  const prometheusHeaders = parseHeaderLines('prometheus-headers', read('prometheus-headers'));
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

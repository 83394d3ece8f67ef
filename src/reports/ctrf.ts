/**
 * CTRF, the Common Test Report Format: `{ reportFormat: "CTRF", specVersion, results: { tool,
 * summary, tests[] } }`. Each test's `extra` object carries figures (`{"latency_ms.op.p95": 1.2}`).
 */
import type { TestStatus } from '../model.js';
import { FigureSink } from './figures.js';
import { firstLine } from './ids.js';
import { JEST_SEPARATOR } from './jest-json.js';
import { arr, isObject, jsonHeadHas, msToSeconds, num, obj, str, type JsonObject } from './json.js';
import { streamJsonArrays } from './json-read.js';
import { ReportError, type ParsedReport, type ReportParser } from './types.js';
import { TestTable } from '../tables/test-table.js';

/** The array streamed. */
const RESULTS_TESTS = { arrays: [['results', 'tests']] };

/**
 * CTRF's five statuses (spec, "Status"): `pending` has not run, so it counts as skipped; `other`
 * is the spec's catch-all for an outcome that fits none of the others, kept as its own status.
 */
const STATUSES: Readonly<Record<string, TestStatus>> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  pending: 'skipped',
  other: 'other',
};

/** `rawStatus` values (the producer's own words) that say more than CTRF's five statuses. */
const RAW_STATUSES: Readonly<Record<string, TestStatus>> = {
  error: 'error',
  errored: 'error',
  broken: 'error',
  timedout: 'error',
  timeout: 'error',
  interrupted: 'error',
  crashed: 'error',
  xfailed: 'xfailed',
  xfail: 'xfailed',
  xpassed: 'xpassed',
  xpass: 'xpassed',
  flaky: 'flaky',
  todo: 'skipped',
  disabled: 'skipped',
};

function statusOf(test: JsonObject, id: string, warnings: string[]): TestStatus {
  const status = str(test, 'status') ?? '';
  const raw = str(test, 'rawStatus')
    ?.toLowerCase()
    .replace(/[^a-z]/g, '');
  const fromRaw = raw === undefined ? undefined : RAW_STATUSES[raw];
  // rawStatus refines failed/skipped/other (a pytest xfail is a CTRF "skipped"), never a pass.
  if (fromRaw !== undefined && status !== 'passed') return fromRaw;
  const mapped = STATUSES[status];
  if (mapped !== undefined) return mapped;
  warnings.push(
    `test "${id}": status "${status}" is none of CTRF's passed, failed, skipped, pending, other; counted as other`,
  );
  return 'other';
}

/** Suite hierarchy: an array of names in CTRF 0.0+, a plain string in older producers. */
function suiteOf(test: JsonObject): string {
  const suite = test.suite;
  if (typeof suite === 'string') return suite;
  if (Array.isArray(suite)) {
    return suite.filter((part) => typeof part === 'string' && part !== '').join(JEST_SEPARATOR);
  }
  return '';
}

/**
 * Parses a CTRF report. Identity: classname is the suite path joined with `" > "` (empty when
 * absent), id is classname, `" > "` and the name. A passed test with `flaky: true` or `retries > 0`
 * is `flaky`. Duration is given in milliseconds.
 */
export async function parseCtrf(filePath: string): Promise<ParsedReport> {
  const tests = new TestTable();
  const sink = new FigureSink();
  // Tests are read one at a time as the file streams (any size).
  const document = await streamJsonArrays(filePath, RESULTS_TESTS, (entry, index) => {
    const name = isObject(entry) ? str(entry, 'name') : undefined;
    if (!isObject(entry) || name === undefined) {
      sink.warnings.push(`results.tests[${index}]: no name, entry ignored`);
      return;
    }
    const classname = suiteOf(entry);
    const id = classname === '' ? name : `${classname}${JEST_SEPARATOR}${name}`;
    let status = statusOf(entry, id, sink.warnings);
    const retries = num(entry, 'retries') ?? arr(entry, 'retryAttempts').length;
    if (status === 'passed' && (entry.flaky === true || retries > 0)) status = 'flaky';
    const line = num(entry, 'line');
    const failing = status !== 'passed' && status !== 'flaky';
    tests.push({
      id,
      name,
      classname,
      file: str(entry, 'filePath'),
      line: line !== undefined && line > 0 ? Math.trunc(line) : undefined,
      status,
      durationSeconds: msToSeconds(num(entry, 'duration')),
      message: failing ? firstLine(str(entry, 'message') ?? str(entry, 'trace')) : undefined,
      retries: retries > 0 ? Math.trunc(retries) : status === 'flaky' ? 1 : undefined,
    });
    sink.addObject(id, entry.extra);
  });
  const results = isObject(document) ? obj(document, 'results') : undefined;
  if (results === undefined || !Array.isArray(results.tests)) {
    throw new ReportError(filePath, 'not a CTRF report: no results.tests[] array');
  }
  return { format: 'ctrf', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of CTRF reports. */
export const ctrfParser: ReportParser = {
  format: 'ctrf',
  detect: (head) =>
    jsonHeadHas(head, 'reportFormat', 'CTRF') || jsonHeadHas(head, 'results', 'tool', 'summary'),
  parse: parseCtrf,
};

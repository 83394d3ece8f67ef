/**
 * mocha's JSON reporter (`mocha --reporter json`): `{ stats, tests, pending, failures, passes }`,
 * each test `{ title, fullTitle, file, duration, currentRetry, err }`. The status of a test is the
 * list it is in (`tests` repeats them all without one, so it is never read); a failing hook is in
 * `failures` only, titled `"before all" hook for "…"`.
 */
import { dirname } from 'node:path';

import type { TestStatus } from '../model.js';
import { firstLine, relativePath } from './ids.js';
import { JEST_SEPARATOR } from './jest-json.js';
import { isObject, jsonHeadHas, msToSeconds, num, obj, str, stripAnsi } from './json.js';
import { streamJsonArrays } from './json-read.js';
import { ReportError, type ParseContext, type ParsedReport, type ReportParser } from './types.js';
import { FigureTable } from '../tables/figure-table.js';
import { TestTable } from '../tables/test-table.js';

/** The lists read, in the order mocha writes them, and the status each means. */
const LISTS: readonly (readonly [string, TestStatus])[] = [
  ['pending', 'skipped'],
  ['failures', 'failed'],
  ['passes', 'passed'],
];

/** A hook's title as mocha writes it: `"before each" hook for "test title"` (or `: name`). */
const HOOK_TITLE = /^"(before|after) (all|each)" hook/;

/**
 * Parses a mocha JSON report. Identity: classname is the test file (relative to the working
 * directory when it lies under it) followed by the suite titles, joined with `" > "` as for Jest;
 * mocha writes the suite titles only joined with spaces inside `fullTitle`, so the classname holds
 * that joined title. A failing hook is an `error` test named after the hook. A passed test with
 * `currentRetry > 0` passed on a retry: `flaky`. A test both failed and passed (a failing
 * `afterEach` of a passed test, or `done()` called twice) counts once, as failed.
 */
export async function parseMochaJson(
  filePath: string,
  context: ParseContext = {},
): Promise<ParsedReport> {
  const base = context.root ?? dirname(filePath);
  const tests = new TestTable();
  const warnings: string[] = [];
  const failed = new Set<string>();
  const document = await streamJsonArrays(
    filePath,
    { arrays: LISTS.map(([list]) => [list]), skip: ['tests'] },
    (entry, index, list) => {
      const [listName, listStatus] = LISTS[list] as (typeof LISTS)[number];
      const title = isObject(entry) ? str(entry, 'title') : undefined;
      if (!isObject(entry) || title === undefined) {
        warnings.push(`${listName}[${index}]: no title, entry ignored`);
        return;
      }
      const fullTitle = str(entry, 'fullTitle') ?? title;
      const suite = fullTitle.endsWith(title)
        ? fullTitle.slice(0, fullTitle.length - title.length).trimEnd()
        : '';
      const file = relativePath(str(entry, 'file') ?? '', base);
      const classname = [file, suite].filter((part) => part !== '').join(JEST_SEPARATOR);
      const id = classname === '' ? title : `${classname}${JEST_SEPARATOR}${title}`;
      let status = listStatus;
      if (status === 'failed' && HOOK_TITLE.test(title)) status = 'error';
      if (status === 'failed' || status === 'error') failed.add(id);
      else if (failed.has(id)) return;
      const retries = Math.max(0, Math.trunc(num(entry, 'currentRetry') ?? 0));
      if (status === 'passed' && retries > 0) status = 'flaky';
      const err = obj(entry, 'err');
      const message = err === undefined ? undefined : (str(err, 'message') ?? str(err, 'stack'));
      tests.push({
        id,
        name: title,
        classname,
        file: file === '' ? undefined : file,
        status,
        // mocha writes no duration for pending tests.
        durationSeconds: status === 'skipped' ? undefined : msToSeconds(num(entry, 'duration')),
        message:
          status === 'failed' || status === 'error'
            ? firstLine(stripAnsi(message ?? ''))
            : undefined,
        retries: retries > 0 ? retries : undefined,
      });
    },
  );
  if (
    !isObject(document) ||
    !isObject(document.stats) ||
    !LISTS.some(([l]) => Array.isArray(document[l]))
  ) {
    throw new ReportError(
      filePath,
      'not a mocha JSON report: no stats with passes[], failures[] or pending[] arrays',
    );
  }
  return { format: 'mocha-json', tests, figures: new FigureTable(), warnings };
}

/** Parser of mocha JSON reports. */
export const mochaJsonParser: ReportParser = {
  format: 'mocha-json',
  detect: (head) =>
    /^\s*\{\s*"stats"\s*:\s*\{/.test(head) &&
    jsonHeadHas(head, 'suites', 'passes', 'pending', 'failures'),
  parse: parseMochaJson,
};

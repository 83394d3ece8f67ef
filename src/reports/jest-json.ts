/**
 * Jest `--json --outputFile=…` and Vitest `--reporter=json` reports (the same shape):
 * `testResults[]` per file, each with `assertionResults[]`.
 */
import { dirname } from 'node:path';

import type { TestCase, TestStatus } from '../model.js';
import { FigureSink } from './figures.js';
import { firstLine, Interner, relativePath } from './ids.js';
import {
  arr,
  isObject,
  jsonHeadHas,
  msToSeconds,
  num,
  obj,
  str,
  stripAnsi,
  type JsonObject,
} from './json.js';
import { streamJsonArrays } from './json-read.js';
import { ReportError, type ParseContext, type ParsedReport, type ReportParser } from './types.js';
import { TestTable } from '../tables/test-table.js';

/** The array streamed; coverage and snapshot summaries are never read. */
const TEST_RESULTS = { arrays: [['testResults']], skip: ['coverageMap', 'snapshot'] };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Separator of the file, describe blocks and title in ids and classnames. */
export const JEST_SEPARATOR = ' > ';

const STATUSES: Readonly<Record<string, TestStatus>> = {
  passed: 'passed',
  failed: 'failed',
  pending: 'skipped',
  skipped: 'skipped',
  todo: 'skipped',
  disabled: 'skipped',
  focused: 'passed',
};

/**
 * Runs after the first: Jest's `invocations` (with `jest.retryTimes`) and `retryReasons`; Vitest
 * keeps one failure message per failed attempt, so a passed test with messages was retried.
 */
function retriesOf(result: JsonObject, status: string): number {
  const invocations = num(result, 'invocations');
  const reasons = arr(result, 'retryReasons').length;
  const messages = arr(result, 'failureMessages').length;
  const fromMessages = status === 'passed' ? messages : Math.max(0, messages - 1);
  return Math.max(invocations === undefined ? 0 : invocations - 1, reasons, fromMessages);
}

function messageOf(result: JsonObject): string | undefined {
  const first = arr(result, 'failureMessages').find((message) => typeof message === 'string');
  return typeof first === 'string' ? firstLine(stripAnsi(first)) : undefined;
}

function lineOf(result: JsonObject): number | undefined {
  const location = obj(result, 'location');
  const line = location === undefined ? undefined : num(location, 'line');
  return line !== undefined && line > 0 ? line : undefined;
}

/**
 * Parses a Jest or Vitest JSON report. Identity: classname is the test file (relative to
 * `context.root`, the working directory, when it lies under it, else as the report gives it; the
 * report's own folder when no root is given) followed by the
 * describe blocks, joined with `" > "`; the id is the classname, `" > "` and the title, e.g.
 * `src/cart.test.ts > Cart > totals > adds tax`. A test that passed after failed attempts is
 * `flaky`. A file that failed to run (no assertion results) becomes one `error` test named after
 * the file. Vitest's per-test `meta` carries figures.
 */
export async function parseJestJson(
  filePath: string,
  context: ParseContext = {},
): Promise<ParsedReport> {
  const base = context.root ?? dirname(filePath);
  const tests = new TestTable();
  const sink = new FigureSink();
  // The tests of one describe block share one classname.
  const classnames = new Interner();
  // Each file's results are parsed and turned into tests as the file streams (any size).
  const document = await streamJsonArrays(filePath, TEST_RESULTS, (fileResult) => {
    if (!isObject(fileResult)) return;
    const file = relativePath(str(fileResult, 'name') ?? '', base);
    const assertions = arr(fileResult, 'assertionResults');
    if (assertions.length === 0 && str(fileResult, 'status') === 'failed') {
      tests.push({
        id: file,
        name: file,
        classname: '',
        file,
        status: 'error',
        message:
          firstLine(stripAnsi(str(fileResult, 'message') ?? '')) ?? 'test file failed to run',
      });
      return;
    }
    for (const result of assertions) {
      if (!isObject(result)) continue;
      const title = str(result, 'title') ?? str(result, 'fullName') ?? '';
      const ancestors = arr(result, 'ancestorTitles').filter((t) => typeof t === 'string');
      const classname = classnames.get(
        [file, ...ancestors].filter((part) => part !== '').join(JEST_SEPARATOR),
      );
      const id = classname === '' ? title : `${classname}${JEST_SEPARATOR}${title}`;
      const rawStatus = str(result, 'status') ?? '';
      let status = STATUSES[rawStatus];
      if (status === undefined) {
        sink.warnings.push(`test "${id}": unknown status "${rawStatus}", counted as error`);
        status = 'error';
      }
      const retries = retriesOf(result, rawStatus);
      if (status === 'passed' && retries > 0) status = 'flaky';
      const test: Mutable<TestCase> = {
        id,
        name: title,
        classname,
        file: file === '' ? undefined : file,
        status,
        durationSeconds: msToSeconds(num(result, 'duration')),
      };
      // Fields most tests lack are only added when present: 8 bytes each per test less.
      const line = lineOf(result);
      if (line !== undefined) test.line = line;
      const message = status === 'failed' || status === 'error' ? messageOf(result) : undefined;
      if (message !== undefined) test.message = message;
      if (retries > 0) test.retries = retries;
      tests.push(test);
      sink.addObject(id, result.meta);
    }
  });
  if (!isObject(document) || !Array.isArray(document.testResults)) {
    throw new ReportError(filePath, 'not a Jest/Vitest JSON report: no testResults[] array');
  }
  return { format: 'jest-json', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of Jest and Vitest JSON reports. */
export const jestJsonParser: ReportParser = {
  format: 'jest-json',
  detect: (head) =>
    jsonHeadHas(head, 'numTotalTests') || jsonHeadHas(head, 'testResults', 'assertionResults'),
  parse: parseJestJson,
};

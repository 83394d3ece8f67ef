/**
 * Playwright's JSON reporter (`--reporter=json`): `{ config, suites, errors, stats }`; suites
 * nest (file, then `describe` blocks), each holds `specs`, each spec one test per project, each
 * test every result of every retry. Streamed: specs are read one at a time.
 */
import type { TestStatus } from '../model.js';
import { FigureSink, parseFigure } from './figures.js';
import { firstLine } from './ids.js';
import { JEST_SEPARATOR } from './jest-json.js';
import { arr, isObject, msToSeconds, num, obj, str, stripAnsi, type JsonObject } from './json.js';
import { streamJsonFile } from './json-read.js';
import type { JsonKind, JsonPath, JsonSelection } from './json-splitter.js';
import { ReportError, type ParsedReport, type ReportParser } from './types.js';
import { TestTable } from '../tables/test-table.js';

interface SuiteFrame {
  title?: string;
  /** Specs seen before the suite's title (never in Playwright's own order), handled at close. */
  readonly pending: JsonObject[];
}

/** A Playwright error's first line, colours removed. */
function errorMessage(error: unknown): string | undefined {
  if (!isObject(error)) return undefined;
  return firstLine(stripAnsi(str(error, 'message') ?? str(error, 'value') ?? ''));
}

/** The message of one result: its `error`, else the first of its `errors`. */
function resultMessage(result: JsonObject): string | undefined {
  return errorMessage(result.error) ?? errorMessage(arr(result, 'errors')[0]);
}

/** Description of the first annotation of one of `types` (a skip's or an expected failure's reason). */
function annotationText(
  annotations: readonly unknown[],
  types: readonly string[],
): string | undefined {
  for (const annotation of annotations) {
    if (isObject(annotation) && types.includes(str(annotation, 'type') ?? '')) {
      const text = str(annotation, 'description');
      if (text !== undefined && text.trim() !== '') return firstLine(text);
    }
  }
  return undefined;
}

/** What a test's `status`, `expectedStatus` and last result mean in our statuses. */
function statusOf(test: JsonObject, last: JsonObject | undefined): TestStatus | undefined {
  const expected = str(test, 'expectedStatus');
  switch (str(test, 'status')) {
    case 'expected':
      if (expected === 'failed') return 'xfailed';
      return expected === 'skipped' ? 'skipped' : 'passed';
    case 'unexpected': {
      const outcome = last === undefined ? undefined : str(last, 'status');
      if (expected === 'failed' && outcome === 'passed') return 'xpassed';
      return outcome === 'interrupted' ? 'error' : 'failed';
    }
    case 'flaky':
      return 'flaky';
    case 'skipped':
      return 'skipped';
    default:
      return undefined;
  }
}

/** Figures from annotations: `{type: "metric", description: "<name>=<value>"}` or a figure name as type. */
function addFigures(sink: FigureSink, id: string, annotations: readonly unknown[]): void {
  for (const annotation of annotations) {
    if (!isObject(annotation)) continue;
    const type = str(annotation, 'type') ?? '';
    const description = str(annotation, 'description');
    if (type !== 'metric') {
      sink.add(id, type, description);
      continue;
    }
    const match = /^\s*([^=:]+?)\s*[=:]\s*(.*)$/.exec(description ?? '');
    if (match === null) {
      sink.warnings.push(`test "${id}": metric annotation without "<name>=<value>"`);
      continue;
    }
    const [, name, value] = match as unknown as [string, string, string];
    sink.add(id, parseFigure(id, name, value) === undefined ? `metric.${name}` : name, value);
  }
}

/** The parse state of one report. */
class PlaywrightStream {
  readonly tests = new TestTable();
  readonly sink = new FigureSink();
  readonly suites: SuiteFrame[] = [];
  rootIsObject = false;
  sawSuites = false;

  select(path: JsonPath, kind: JsonKind): JsonSelection {
    if (path.length === 0) return kind === 'object' ? 'descend' : 'skip';
    if (path.length === 1) {
      if (path[0] === 'suites') return 'descend';
      return path[0] === 'errors' ? 'parse' : 'skip';
    }
    const last = path.at(-1);
    const parent = path.at(-2);
    if (typeof last === 'number') return parent === 'suites' ? 'descend' : 'parse';
    if (last === 'suites' || last === 'specs') return 'descend';
    return last === 'title' ? 'parse' : 'skip';
  }

  open(path: JsonPath, kind: 'object' | 'array'): void {
    if (path.length === 0) this.rootIsObject = kind === 'object';
    if (path.length === 1 && kind === 'array') this.sawSuites = true;
    if (kind === 'object' && typeof path.at(-1) === 'number') this.suites.push({ pending: [] });
  }

  close(path: JsonPath, kind: 'object' | 'array'): void {
    if (kind !== 'object' || typeof path.at(-1) !== 'number') return;
    const frame = this.suites.at(-1) as SuiteFrame;
    for (const spec of frame.pending) this.spec(spec);
    this.suites.pop();
  }

  value(path: JsonPath, value: unknown): void {
    if (path.length === 1 && path[0] === 'errors') {
      for (const error of Array.isArray(value) ? value : []) this.globalError(error);
      return;
    }
    const frame = this.suites.at(-1);
    if (frame === undefined) return;
    if (path.at(-1) === 'title') {
      frame.title = typeof value === 'string' ? value : '';
      for (const spec of frame.pending.splice(0)) this.spec(spec);
    } else if (isObject(value)) {
      if (frame.title === undefined) frame.pending.push(value);
      else this.spec(value);
    }
  }

  /** An error outside any test (a test file that does not load, a failing global setup). */
  private globalError(error: unknown): void {
    const location = isObject(error) ? obj(error, 'location') : undefined;
    const file = location === undefined ? undefined : str(location, 'file');
    const name = file ?? 'Playwright run';
    this.tests.push({
      id: name,
      name,
      classname: '',
      file,
      line: location === undefined ? undefined : num(location, 'line'),
      status: 'error',
      message: errorMessage(error) ?? 'error outside any test',
    });
  }

  private spec(spec: JsonObject): void {
    const title = str(spec, 'title') ?? '';
    const titles = this.suites.map((suite) => suite.title ?? '').filter((t) => t !== '');
    const line = num(spec, 'line');
    for (const test of arr(spec, 'tests')) {
      if (!isObject(test)) continue;
      const project = str(test, 'projectName') ?? '';
      const classname = [project, ...titles].filter((part) => part !== '').join(JEST_SEPARATOR);
      const id = classname === '' ? title : `${classname}${JEST_SEPARATOR}${title}`;
      const results = arr(test, 'results').filter(isObject);
      const last = results.at(-1);
      let status = statusOf(test, last);
      if (status === undefined) {
        this.sink.warnings.push(
          `test "${id}": unknown status "${str(test, 'status') ?? ''}", counted as error`,
        );
        status = 'error';
      }
      const annotations = arr(test, 'annotations');
      let message: string | undefined;
      if (status === 'flaky') {
        const failed = results.find((result) => str(result, 'status') !== 'passed');
        message = failed === undefined ? undefined : resultMessage(failed);
      } else if (status === 'skipped') {
        message = annotationText(annotations, ['skip', 'fixme']);
      } else if (status !== 'passed') {
        message =
          (last === undefined ? undefined : resultMessage(last)) ??
          (status === 'xfailed' || status === 'xpassed'
            ? annotationText(annotations, ['fail'])
            : undefined);
      }
      const retries = status === 'skipped' ? 0 : Math.max(0, results.length - 1);
      this.tests.push({
        id,
        name: title,
        classname,
        file: str(spec, 'file'),
        line: line !== undefined && line > 0 ? Math.trunc(line) : undefined,
        status,
        durationSeconds:
          status === 'skipped' || last === undefined
            ? undefined
            : msToSeconds(num(last, 'duration')),
        message,
        retries: retries > 0 ? retries : undefined,
      });
      addFigures(
        this.sink,
        id,
        annotations.length > 0 ? annotations : arr(last ?? {}, 'annotations'),
      );
    }
  }
}

/**
 * Parses a Playwright JSON report. Identity: classname is the project, the spec file (the
 * top-level suite's title) and the `describe` titles, joined with `" > "`; the id is the classname,
 * `" > "` and the test title, e.g. `api > checkout.spec.ts > checkout > adds tax`, so the same test
 * in two projects is two tests. Status: `expected` is passed (xfailed under `test.fail()`),
 * `unexpected` failed (xpassed when a `test.fail()` test passed, error when interrupted), `flaky`
 * flaky, `skipped` skipped; retries are the results after the first. Duration and message come
 * from the last result (a flaky test keeps the message of its first failure). Annotations of type
 * `metric` (`<figure name>=<value>`, or any `<name>=<value>` as `metric.<name>`) and annotations
 * whose type follows the figure naming convention are figures. Errors outside tests (a file that
 * does not load) are `error` tests named after their file.
 */
export async function parsePlaywrightJson(filePath: string): Promise<ParsedReport> {
  const stream = new PlaywrightStream();
  await streamJsonFile(filePath, {
    select: (path, kind) => stream.select(path, kind),
    open: (path, kind) => {
      stream.open(path, kind);
    },
    close: (path, kind) => {
      stream.close(path, kind);
    },
    value: (path, value) => {
      stream.value(path, value);
    },
  });
  if (!stream.rootIsObject || !stream.sawSuites) {
    throw new ReportError(filePath, 'not a Playwright JSON report: no suites[] array');
  }
  const { tests, sink } = stream;
  return { format: 'playwright-json', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of Playwright JSON reports. */
export const playwrightJsonParser: ReportParser = {
  format: 'playwright-json',
  detect: (head) => /^\s*\{\s*"config"\s*:/.test(head) && head.includes('"rootDir"'),
  parse: parsePlaywrightJson,
};

/**
 * pytest-json-report (`pytest --json-report`): `tests[]` with `nodeid`, `lineno`, `outcome`, the
 * `setup`/`call`/`teardown` stages, `user_properties` (from `record_property`) and `metadata`.
 */
import type { TestStatus } from '../model.js';
import { FigureSink } from './figures.js';
import { firstLine, splitPytestNodeId, testId } from './ids.js';
import { arr, isObject, jsonHeadHas, num, obj, str, type JsonObject } from './json.js';
import { streamJsonArrays } from './json-read.js';
import { ReportError, type ParsedReport, type ReportParser } from './types.js';
import { TestTable } from '../tables/test-table.js';

/** The array streamed; the collectors (every node id again) and warnings are never read. */
const TESTS = { arrays: [['tests']], skip: ['collectors', 'warnings'] };

const STAGES = ['setup', 'call', 'teardown'] as const;

/**
 * Test outcomes as pytest's `pytest_report_teststatus` names them. pytest-rerunfailures reports
 * `rerun`; pytest-json-report keeps it as the test's outcome when a later run passed (a run that
 * failed every time ends as `failed`), so `rerun` means flaky.
 */
const OUTCOMES: Readonly<Record<string, TestStatus>> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  skipped: 'skipped',
  xfailed: 'xfailed',
  xpassed: 'xpassed',
  rerun: 'flaky',
};

/** A skip's longrepr is the repr of a tuple: `('tests/x.py', 12, 'Skipped: reason')`. */
const SKIP_TUPLE = /^\(['"].*['"], \d+, ['"](.*)['"]\)$/s;

function stageMessage(stage: JsonObject): string | undefined {
  const crash = obj(stage, 'crash');
  const crashMessage = crash === undefined ? undefined : str(crash, 'message');
  if (crashMessage !== undefined && crashMessage.trim() !== '') return firstLine(crashMessage);
  const longrepr = str(stage, 'longrepr');
  if (longrepr === undefined) return undefined;
  const skip = SKIP_TUPLE.exec(longrepr.trim())?.[1];
  return firstLine(skip === undefined ? longrepr : skip.replace(/^Skipped: /, ''));
}

/** The message of the first stage that did not pass (setup error, call failure, skip). */
function messageOf(test: JsonObject): string | undefined {
  for (const name of STAGES) {
    const stage = obj(test, name);
    if (stage !== undefined && str(stage, 'outcome') !== 'passed') {
      const message = stageMessage(stage);
      if (message !== undefined) return message;
    }
  }
  return undefined;
}

function durationOf(test: JsonObject): number | undefined {
  let total: number | undefined;
  for (const name of STAGES) {
    const stage = obj(test, name);
    const duration = stage === undefined ? undefined : num(stage, 'duration');
    if (duration !== undefined && duration >= 0) total = (total ?? 0) + duration;
  }
  return total;
}

/** `user_properties` is a list of one-key objects; older writers used `[name, value]` pairs. */
function addUserProperties(sink: FigureSink, id: string, properties: readonly unknown[]): void {
  for (const property of properties) {
    if (Array.isArray(property) && typeof property[0] === 'string') {
      sink.add(id, property[0], property[1]);
    } else {
      sink.addObject(id, property);
    }
  }
}

/**
 * Parses a pytest-json-report file. Ids follow pytest's JUnit writer: node id
 * `tests/test_x.py::TestA::test_b[p]` is test `tests.test_x.TestA.test_b[p]`, classname
 * `tests.test_x.TestA`, file `tests/test_x.py`. Line numbers become 1-based (pytest's are 0-based).
 * Duration is setup + call + teardown.
 */
export async function parsePytestJson(filePath: string): Promise<ParsedReport> {
  const tests = new TestTable();
  const sink = new FigureSink();
  // Tests are read one at a time as the file streams (any size).
  const document = await streamJsonArrays(filePath, TESTS, (entry, index) => {
    const nodeid = isObject(entry) ? str(entry, 'nodeid') : undefined;
    if (!isObject(entry) || nodeid === undefined) {
      sink.warnings.push(`tests[${index}]: no nodeid, entry ignored`);
      return;
    }
    const { classname, name, file } = splitPytestNodeId(nodeid);
    const id = testId(classname, name);
    const outcome = str(entry, 'outcome') ?? 'passed';
    let status = OUTCOMES[outcome];
    if (status === undefined) {
      sink.warnings.push(`test "${id}": unknown outcome "${outcome}", counted as error`);
      status = 'error';
    }
    const message = status === 'passed' || status === 'flaky' ? undefined : messageOf(entry);
    // A strict xfail that passed is a failed report with this message (as in JUnit).
    if (status === 'failed' && message?.startsWith('[XPASS(strict)]') === true) status = 'xpassed';
    const lineno = num(entry, 'lineno');
    tests.push({
      id,
      name,
      classname,
      file: file === '' ? undefined : file,
      line: lineno === undefined ? undefined : Math.trunc(lineno) + 1,
      status,
      durationSeconds: durationOf(entry),
      message,
      retries: status === 'flaky' ? 1 : undefined,
    });
    addUserProperties(sink, id, arr(entry, 'user_properties'));
    sink.addObject(id, entry.metadata);
  });
  if (!isObject(document) || !Array.isArray(document.tests)) {
    const summaryOnly = isObject(document) && isObject(document.summary);
    throw new ReportError(
      filePath,
      summaryOnly
        ? 'pytest-json-report without tests[] (written with --json-report-summary?)'
        : 'not a pytest-json-report document: no tests[] array',
    );
  }
  return { format: 'pytest-json', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of pytest-json-report files. */
export const pytestJsonParser: ReportParser = {
  format: 'pytest-json',
  detect: (head) => jsonHeadHas(head, 'created', 'exitcode', 'root'),
  parse: parsePytestJson,
};

/**
 * VSTest TRX (`<TestRun>`, namespace http://microsoft.com/schemas/VisualStudio/TeamTest/2010), as
 * written by `dotnet test --logger trx`, vstest.console and Visual Studio: `<Results>` hold one
 * `<UnitTestResult>` per run of a test, joined by `testId` to `<TestDefinitions>` for the class
 * (`<UnitTest><TestMethod className>`). Streamed in memory bounded by what is kept per test: the
 * definitions usually come after the results, so each result waits until the end in a table off
 * the JS heap, beside the number of its test id (each id kept once, off the heap too), and each
 * definition leaves only its class name.
 * Schema: vstst.xsd (microsoft/vstest, TrxLogger).
 */
import type { TestCase, TestStatus } from '../model.js';
import {
  messageOf,
  nameUnder,
  parseTimeSpan,
  plainClassName,
  splitQualifiedName,
} from './dotnet-names.js';
import { Interner, testId } from './ids.js';
import { type ParsedReport, type ReportParser } from './types.js';
import { streamXml, xmlRootIs, type XmlFormat } from './xml-stream.js';
import { CodeColumn, NumberColumn } from '../tables/columns.js';
import { TextIndex } from '../tables/distinct-keys.js';
import { FigureTable } from '../tables/figure-table.js';
import { TestTable } from '../tables/test-table.js';

const FORMAT: XmlFormat = { label: 'TRX', roots: ['TestRun'] };

/** Most warnings about unknown outcomes kept per report. */
const MAX_STATUS_WARNINGS = 100;

/** Elements of `<Results>` and `<InnerResults>` that are results (vstst.xsd's result types). */
const RESULT_ELEMENTS: ReadonlySet<string> = new Set([
  'UnitTestResult',
  'TestResultAggregation',
  'GenericTestResult',
  'ManualTestResult',
  'WebTestResult',
]);

/** Our status for every TestOutcome of vstst.xsd, and why. */
export const TRX_OUTCOMES: Readonly<Record<string, TestStatus>> = {
  Passed: 'passed',
  Failed: 'failed',
  // A system error while trying to run the test: not an assertion failure.
  Error: 'error',
  // The test ran out of time: stopped before reaching a verdict of its own.
  Timeout: 'error',
  // Stopped by the framework (not by a user gesture) before its verdict.
  Aborted: 'error',
  // No verdict (MSTest Assert.Inconclusive); VSTest reports it as skipped and does not fail.
  Inconclusive: 'skipped',
  // The test passed; only the run around it was aborted later.
  PassedButRunAborted: 'passed',
  // The test could not be run at all (IsRunnable false: a bad signature or definition), which
  // fails the run as an error does.
  NotRunnable: 'error',
  // Not run: what VSTest writes for skipped and ignored tests ([Ignore], Skip=...).
  NotExecuted: 'skipped',
  // The run was disconnected while the test was running: it never finished.
  Disconnected: 'error',
  // "Not a failure" (vstst.xsd): run-level advisory, the test itself completed.
  Warning: 'passed',
  // Completed with no qualitative measure (manual, generic and load tests): ran to the end.
  Completed: 'passed',
  // Still running when the report was written: the run ended under it (a crash or a kill).
  InProgress: 'error',
  // Queued and never started: not run.
  Pending: 'skipped',
};

/**
 * The TRX writer of VSTest leaves out attributes equal to their default: `outcome` when it is
 * Error (the first TestOutcome), `duration` when it is zero.
 */
const MISSING_OUTCOME: TestStatus = 'error';

/** Seconds between two xs:dateTime values; undefined unless both parse and end ≥ start. */
function between(start: string | undefined, end: string | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const elapsed = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(elapsed) && elapsed >= 0 ? elapsed : undefined;
}

/** One result being read (results nest: data-driven rows, ordered tests). */
interface OpenResult {
  /** The number of its test id (see `keyOf`). */
  readonly key: number;
  readonly testName: string;
  readonly status: TestStatus;
  readonly duration: number | undefined;
  /** `resultType="DataDrivenTest"`: a parent whose rows may follow as siblings. */
  readonly dataDrivenParent: boolean;
  /** Holds `<InnerResults>` with results: its rows are counted instead of it. */
  hasInner: boolean;
  message: string | undefined;
}

/** Which text of `<ErrorInfo>` is being collected. */
type TextOwner = 'Message' | 'StackTrace' | undefined;

/**
 * Streams one TRX file into tests. A data-driven test counts its rows (the `<InnerResults>`, or
 * sibling results of `resultType="DataDrivenDataRow"`), not the parent result that sums them up;
 * a parent with no row at all (its data source failed) still counts. The class is
 * `TestMethod@className` of the test's definition; without one, the result's name up to its last
 * dot. TRX carries no figures.
 */
export async function parseTrx(filePath: string): Promise<ParsedReport> {
  const warnings: string[] = [];
  const strings = new Interner();
  /** Results read, waiting for the definitions: the test name as id and name, no class yet. */
  const pending = new TestTable();
  /** Beside each pending result: the number of its test id, and whether it is a data-driven parent. */
  const pendingKeys = new NumberColumn();
  const pendingParents = new CodeColumn();
  /** Open results, innermost last (data-driven and ordered tests nest). */
  const open: OpenResult[] = [];
  /** Test ids (GUIDs) numbered in order of first sight: results and definitions hold numbers. */
  const keys = new TextIndex();
  const keyOf = (id: string): number => keys.numberOf(id);
  /** Class name of each test id, from its definition. */
  const classes: (string | undefined)[] = [];
  /** Test ids that have data rows given as sibling results. */
  const rowsOf = new Set<number>();
  let definition: number | undefined;
  let inErrorInfo = false;
  let textOwner: TextOwner;
  let statusWarnings = 0;

  await streamXml(filePath, FORMAT, {
    open(tag, text) {
      const attrs = tag.attributes;
      if (RESULT_ELEMENTS.has(tag.name)) {
        const outcome = attrs.outcome;
        let status = outcome === undefined ? MISSING_OUTCOME : TRX_OUTCOMES[outcome];
        const testName = attrs.testName ?? '';
        if (status === undefined) {
          if (statusWarnings++ < MAX_STATUS_WARNINGS) {
            warnings.push(`test "${testName}": outcome "${outcome ?? ''}" counted as skipped`);
          }
          status = 'skipped';
        }
        const key = keyOf(attrs.testId ?? '');
        if (attrs.resultType === 'DataDrivenDataRow' && open.length === 0) rowsOf.add(key);
        const parent = open.at(-1);
        if (parent !== undefined) parent.hasInner = true;
        open.push({
          key,
          testName,
          status,
          duration: parseTimeSpan(attrs.duration) ?? between(attrs.startTime, attrs.endTime),
          dataDrivenParent: attrs.resultType === 'DataDrivenTest',
          hasInner: false,
          message: undefined,
        });
        return;
      }
      switch (tag.name) {
        case 'ErrorInfo':
          inErrorInfo = open.length > 0;
          return;
        case 'Message':
        case 'StackTrace': {
          const result = open.at(-1);
          if (inErrorInfo && result?.message === undefined && !tag.selfClosing) {
            textOwner = tag.name;
            text.start();
          }
          return;
        }
        case 'UnitTest':
          definition = attrs.id === undefined ? undefined : keyOf(attrs.id);
          return;
        case 'TestMethod':
          if (definition !== undefined && attrs.className !== undefined) {
            classes[definition] = strings.get(plainClassName(attrs.className));
          }
          return;
        default:
          return;
      }
    },
    close(name, text) {
      if (name === textOwner) {
        const result = open.at(-1);
        if (result !== undefined) result.message ??= messageOf(text.take());
        else text.take();
        textOwner = undefined;
        return;
      }
      if (RESULT_ELEMENTS.has(name)) {
        const result = open.pop();
        if (result !== undefined && !result.hasInner) {
          const row = pending.length;
          pending.push({
            id: result.testName,
            name: result.testName,
            classname: '',
            status: result.status,
            durationSeconds: result.duration,
            message: result.message,
          });
          pendingKeys.set(row, result.key);
          pendingParents.set(row, result.dataDrivenParent ? 1 : 0);
        }
        return;
      }
      if (name === 'ErrorInfo') inErrorInfo = false;
      else if (name === 'UnitTest') definition = undefined;
    },
  });

  const tests = new TestTable();
  for (let row = 0; row < pending.length; row += 1) {
    const key = pendingKeys.get(row);
    if (pendingParents.get(row) === 1 && rowsOf.has(key)) continue;
    const result = pending.at(row) as TestCase;
    tests.push(finish(result, classes[key]));
  }
  return { format: 'trx', tests, figures: new FigureTable(), warnings };
}

/** The test of a pending result (its test name as id), with the class of its definition. */
function finish(result: TestCase, definedClass: string | undefined): TestCase {
  const testName = result.name;
  const classname = definedClass ?? splitQualifiedName(testName).classname;
  const name = nameUnder(classname, testName);
  return {
    id: testId(classname, name),
    name,
    classname,
    status: result.status,
    durationSeconds: result.durationSeconds,
    message: result.status === 'passed' ? undefined : result.message,
  };
}

/** Parser of VSTest TRX files. */
export const trxParser: ReportParser = {
  format: 'trx',
  detect: (head) => xmlRootIs(head, FORMAT.roots),
  parse: parseTrx,
};

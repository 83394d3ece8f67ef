/**
 * The test result model shared by every stage of a run (docs/architecture.md, section 3).
 * Parsers produce it, the metrics builder and the summary renderer consume it.
 */

/**
 * Outcome of one test. `flaky` means it failed, then passed on a rerun. `other` is CTRF's
 * catch-all for an outcome that fits no other status (a producer-specific one): neither a pass
 * nor a failure.
 */
export type TestStatus =
  'passed' | 'failed' | 'error' | 'skipped' | 'xfailed' | 'xpassed' | 'flaky' | 'other';

/** Every status, in the order the summary and the metrics list them. */
export const TEST_STATUSES: readonly TestStatus[] = [
  'passed',
  'failed',
  'error',
  'skipped',
  'xfailed',
  'xpassed',
  'flaky',
  'other',
];

/** Statuses that make a run fail. */
export const FAILING_STATUSES: ReadonlySet<TestStatus> = new Set(['failed', 'error', 'xpassed']);

/** How many tests of a run have each status (every status present, zero when none). */
export type StatusCounts = Readonly<Record<TestStatus, number>>;

/**
 * The tests of a report or a run, read in order or by row. A plain array is one; the parsers
 * produce a `TestTable` (src/tables/test-table.ts), which keeps them off the JS heap and also
 * answers {@link TestColumns}.
 */
export interface TestList extends Iterable<TestCase> {
  readonly length: number;
  /** The test at `row`, undefined outside the list. */
  at(row: number): TestCase | undefined;
}

/** A list that reads a row's status and duration without building the test. */
export interface TestColumns {
  status(row: number): TestStatus;
  durationSeconds(row: number): number | undefined;
}

function hasColumns(tests: TestList): tests is TestList & TestColumns {
  return typeof (tests as Partial<TestColumns>).status === 'function';
}

/** Status of the test at `row` of any list; a row outside it throws. */
export function statusAt(tests: TestList, row: number): TestStatus {
  if (hasColumns(tests)) return tests.status(row);
  const test = tests.at(row);
  if (test === undefined) throw new RangeError(`row ${row} is outside the list`);
  return test.status;
}

/** Duration of the test at `row` of any list; a row outside it throws. */
export function durationAt(tests: TestList, row: number): number | undefined {
  if (hasColumns(tests)) return tests.durationSeconds(row);
  const test = tests.at(row);
  if (test === undefined) throw new RangeError(`row ${row} is outside the list`);
  return test.durationSeconds;
}

/** Rows of `tests` whose status `keep` accepts, in order (no test is built). */
export function rowsWithStatus(tests: TestList, keep: (status: TestStatus) => boolean): number[] {
  const rows: number[] = [];
  for (let row = 0; row < tests.length; row++) if (keep(statusAt(tests, row))) rows.push(row);
  return rows;
}

/** The tests at `rows`, built from the list. */
export function testsAt(tests: TestList, rows: readonly number[]): TestCase[] {
  return rows.map((row) => {
    const test = tests.at(row);
    if (test === undefined) throw new RangeError(`row ${row} is outside the list`);
    return test;
  });
}

/** Counts tests by status: the one count behind the outputs, the summary and the metrics. */
export function countByStatus(tests: TestList): StatusCounts {
  const counts = Object.fromEntries(TEST_STATUSES.map((status) => [status, 0])) as Record<
    TestStatus,
    number
  >;
  for (let row = 0; row < tests.length; row++) counts[statusAt(tests, row)] += 1;
  return counts;
}

/**
 * The counts the action's outputs give, which add up: `total = passed + failed + skipped + flaky
 * + xfailed + other`. `failed` holds every failing status (failed, error, xpassed).
 */
export interface OutputCounts {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly flaky: number;
  readonly xfailed: number;
  readonly other: number;
}

/** The output counts of a run's tests (see {@link OutputCounts}). */
export function outputCounts(counts: StatusCounts): OutputCounts {
  return {
    total: TEST_STATUSES.reduce((sum, status) => sum + counts[status], 0),
    passed: counts.passed,
    failed: counts.failed + counts.error + counts.xpassed,
    skipped: counts.skipped,
    flaky: counts.flaky,
    xfailed: counts.xfailed,
    other: counts.other,
  };
}

/**
 * Whether the run counts as a success: the command exited 0 and was neither timed out nor
 * cancelled. The command's verdict decides; failing tests in its reports do not override it.
 */
export function isSuccess(
  run: Pick<CommandOutcome, 'exitCode' | 'timedOut' | 'cancelled'>,
): boolean {
  return run.exitCode === 0 && !run.timedOut && !run.cancelled;
}

/** One test case as a report describes it. */
export interface TestCase {
  /**
   * Identity used to count a test once across several reports: the dotted classname, a dot and
   * the name, as pytest's JUnit writer forms it (`tests.test_api.TestApi.test_get[case-1]`).
   */
  readonly id: string;
  readonly name: string;
  /** Class, describe-block path or suite the test belongs to; empty when the report has none. */
  readonly classname: string;
  readonly file?: string;
  readonly line?: number;
  readonly status: TestStatus;
  /** Wall time of the test in seconds; undefined when the report gives none. */
  readonly durationSeconds?: number;
  /** First line of the failure, error or skip message, when there is one. */
  readonly message?: string;
  /** How many times the test was run again after a failure. */
  readonly retries?: number;
}

/** What a custom figure measures (docs/recording-figures.md). */
export type FigureKind =
  | 'latency'
  | 'throughput'
  | 'memory_growth'
  | 'memory'
  | 'spans_generated'
  | 'spans_delivered'
  | 'metric';

/** A number a test recorded about itself, converted to base units (seconds, bytes, ops/s). */
export interface Figure {
  /** Test id (see {@link TestCase.id}) or, for report-wide figures, the report's own name. */
  readonly test: string;
  readonly kind: FigureKind;
  /** Operation measured (`latency`, `throughput`); measurement for `memory` (baseline, final, peak). */
  readonly operation?: string;
  /** Statistic for latency: p50, p90, p95, p99, mean, median, min, max, stddev, iqr. */
  readonly stat?: string;
  /** Metric name for kind `metric` (`metric.<name>`). */
  readonly name?: string;
  readonly value: number;
}

/** The figures of a report or a run; a plain array is one, as is a `FigureTable`. */
export interface FigureList extends Iterable<Figure> {
  readonly length: number;
  /** The figure at `row`, undefined outside the list. */
  at(row: number): Figure | undefined;
}

/** One resource sample of the whole process tree of the command. */
export interface ResourceSample {
  /** Seconds since the command started. */
  readonly t: number;
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly processes: number;
}

/** CPU and memory of the command's process tree over the run. */
export interface Resources {
  readonly samples: readonly ResourceSample[];
  readonly peakRssBytes: number;
  /** RSS of the last sample minus RSS of the first; 0 with fewer than two samples. */
  readonly memoryGrowthBytes: number;
  readonly meanCpuPercent: number;
  readonly maxCpuPercent: number;
  readonly cpuSeconds: number;
}

/** Supported report formats. */
export type ReportFormat =
  | 'junit'
  | 'pytest-json'
  | 'jest-json'
  | 'ctrf'
  | 'pytest-benchmark'
  | 'playwright-json'
  | 'go-test-json'
  | 'mocha-json'
  | 'nunit3'
  | 'nunit2'
  | 'xunit-net'
  | 'trx';

/** Every format, as accepted by the `report-format` input (plus `auto`). */
export const REPORT_FORMATS: readonly ReportFormat[] = [
  'junit',
  'pytest-json',
  'jest-json',
  'ctrf',
  'pytest-benchmark',
  'playwright-json',
  'go-test-json',
  'mocha-json',
  'nunit3',
  'nunit2',
  'xunit-net',
  'trx',
];

/** What one report file held, for the summary. */
export interface ReportFileSummary {
  readonly path: string;
  readonly format?: ReportFormat;
  readonly tests: number;
  readonly figures: number;
  readonly bytes: number;
  /** Set when the file could not be read or parsed. */
  readonly error?: string;
  /** `path` is an explicit report-paths pattern that matched no file (a report error too). */
  readonly unmatchedPattern?: boolean;
}

/** How the command ended. */
export interface CommandOutcome {
  readonly command: string;
  /** Exit code; 128 + signal number when a signal ended it, 127 when it could not start. */
  readonly exitCode: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /**
   * Unix seconds, to the millisecond: the run's end (`startedAt + durationSeconds`) stamps its
   * points, so whole seconds would put a short run's end before the previous run's.
   */
  readonly startedAt: number;
  readonly durationSeconds: number;
}

/** Everything one run of the action learned (docs/architecture.md, "The test result model"). */
export interface RunResult extends CommandOutcome {
  readonly resources: Resources;
  readonly tests: TestList;
  readonly figures: FigureList;
  readonly reports: readonly ReportFileSummary[];
  readonly warnings: readonly string[];
}

/**
 * `go test -json` (cmd/test2json events, one JSON object a line), also as gotestsum's
 * `--jsonfile`, which appends the events of `--rerun-fails` runs to the same file. Read as a
 * stream: only the tests that are running and the results are kept.
 */
import type { TestCase, TestStatus } from '../model.js';
import { detach, firstLine, Interner, testId } from './ids.js';
import { isObject, num, str, type JsonObject } from './json.js';
import { forEachLine } from './json-read.js';
import { ReportError, type ParsedReport, type ReportParser } from './types.js';
import { FigureTable } from '../tables/figure-table.js';
import { TextIndex } from '../tables/distinct-keys.js';
import { TestTable } from '../tables/test-table.js';

/** Output lines kept per running test from its start, and as many from its end. */
const MAX_OUTPUT_LINES = 10;
/** Characters kept of one output line. */
const MAX_LINE_CHARS = 4096;
/** Characters of a message (as {@link firstLine} caps them). */
const MAX_MESSAGE_CHARS = 1000;
/** Build output lines kept per package. */
const MAX_BUILD_LINES = 20;

/** Lines go test writes around a test's own output, never a message. */
const FRAMING = /^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP)|PASS$|FAIL$|ok\s|FAIL\s)/;
/** The first line of a goroutine dump after a panic. */
const GOROUTINE = /^goroutine \d+ \[/;
/** `FAIL\t<package> [build failed]` or `[setup failed]`, as JSON output or a plain line. */
const BUILD_FAILED = /^FAIL\s+(\S+)\s+\[(build|setup) failed\]/;
/** Go >= 1.24 build events name the package as `<import path> [<package>.test]`. */
const IMPORT_PATH_SUFFIX = / \[[^\]]*\]$/;

const ACTIONS: Readonly<Record<string, TestStatus>> = {
  pass: 'passed',
  fail: 'failed',
  skip: 'skipped',
};

/** Output of a test or a package as it streams: its first and last lines, capped. */
class Output {
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  add(output: string): void {
    // One line may be megabytes: keep a flat copy of its start, not the whole line.
    const text = output.length > MAX_LINE_CHARS ? detach(output.slice(0, MAX_LINE_CHARS)) : output;
    if (this.head.length < MAX_OUTPUT_LINES) this.head.push(text);
    else {
      // The failure often comes last, after the test's own logging.
      if (this.tail.length === MAX_OUTPUT_LINES) this.tail.shift();
      this.tail.push(text);
    }
  }
  get lines(): string[] {
    return this.tail.length === 0 ? this.head : [...this.head, '…', ...this.tail];
  }
  /** The lines that are not go test's own framing, trimmed and joined with `; ` on one line. */
  message(): string | undefined {
    // A panic's goroutine dump says nothing a summary can show: stop where it starts.
    const dump = this.lines.findIndex((line) => GOROUTINE.test(line));
    const own = dump < 0 ? this.lines : this.lines.slice(0, dump);
    const lines = own.filter((line) => !FRAMING.test(line) && line.trim() !== '');
    if (lines.length === 0) return undefined;
    const text = lines.map((line) => line.trim()).join('; ');
    // Too long for one message: the end, where the failure usually is, rather than the start.
    return text.length <= MAX_MESSAGE_CHARS ? text : `…${text.slice(1 - MAX_MESSAGE_CHARS)}`;
  }
}

/** Folds a test seen again (gotestsum reruns, `-count`) into the earlier result. */
function rerun(earlier: TestCase, later: TestCase): TestCase {
  const failedBefore = earlier.status === 'failed' || earlier.status === 'error';
  const retries = (earlier.retries ?? 0) + (failedBefore ? 1 : 0);
  if ((failedBefore || earlier.status === 'flaky') && later.status === 'passed') {
    return { ...later, status: 'flaky', retries, message: earlier.message };
  }
  return { ...later, retries: retries > 0 ? retries : undefined };
}

/** The parse state of one report. */
class GoTestStream {
  readonly tests = new TestTable();
  readonly warnings: string[] = [];
  /** Row of each test id, off the JS heap: the ids are read back from the table. */
  private readonly index = new TextIndex((row) => this.tests.id(row));
  private readonly packages = new Interner();
  private readonly running = new Map<string, Output>();
  private readonly packageOutput = new Map<string, Output>();
  private readonly buildOutput = new Map<string, Output>();
  /** Packages with a result of a test of theirs in this run (a fail then is a test failure). */
  private readonly packagesWithFailures = new Set<string>();
  private plainLines: string[] = [];
  private ignoredLines = 0;
  events = 0;

  line(text: string, lineNumber: number): void {
    if (text.trim() === '') return;
    let event: unknown;
    if (text.trimStart().startsWith('{')) {
      try {
        event = JSON.parse(text) as unknown;
      } catch {
        this.warnOnce(`line ${lineNumber}: not valid JSON, ignored`);
        return;
      }
    }
    if (!isObject(event)) {
      this.plainLine(text);
      return;
    }
    this.events += 1;
    this.event(event);
  }

  private warnOnce(warning: string): void {
    this.ignoredLines += 1;
    if (this.ignoredLines <= 10) this.warnings.push(warning);
  }

  /** Go < 1.24 writes compiler output and `FAIL <pkg> [build failed]` as plain lines. */
  private plainLine(text: string): void {
    const failed = BUILD_FAILED.exec(text);
    if (failed !== null) {
      const message = this.plainLines.find((line) => !line.startsWith('#') && line.trim() !== '');
      this.packageError(failed[1] as string, firstLine(message) ?? firstLine(text));
      this.plainLines = [];
      return;
    }
    if (text.startsWith('# ')) this.plainLines = [];
    if (this.plainLines.length < MAX_BUILD_LINES) this.plainLines.push(text);
  }

  private packageError(pkg: string, message: string | undefined): void {
    // Go 1.20-1.23 may write the failure both as a plain line and as events: count it once.
    if (this.index.find(pkg) !== undefined) return;
    this.record(pkg, '', { status: 'error', message: message ?? 'package failed to build' });
  }

  private event(event: JsonObject): void {
    const action = str(event, 'Action') ?? '';
    const importPath = str(event, 'ImportPath');
    if (action === 'build-output' && importPath !== undefined) {
      const key = importPath.replace(IMPORT_PATH_SUFFIX, '');
      let output = this.buildOutput.get(key);
      if (output === undefined) this.buildOutput.set(key, (output = new Output()));
      const text = str(event, 'Output') ?? '';
      if (!text.startsWith('#')) output.add(text);
      return;
    }
    const pkg = str(event, 'Package');
    if (pkg === undefined) return;
    const test = str(event, 'Test');
    const key = `${pkg}\u0000${test ?? ''}`;
    if (action === 'run' || action === 'start') {
      this.running.set(key, new Output());
      return;
    }
    if (action === 'output') {
      const text = str(event, 'Output') ?? '';
      if (test === undefined) {
        let output = this.packageOutput.get(pkg);
        if (output === undefined) this.packageOutput.set(pkg, (output = new Output()));
        output.add(text);
      } else this.running.get(key)?.add(text);
      return;
    }
    const status = ACTIONS[action];
    if (status === undefined) return; // pause, cont, bench, build-fail
    const output = this.running.get(key);
    this.running.delete(key);
    if (test !== undefined) {
      if (status === 'failed') this.packagesWithFailures.add(pkg);
      this.record(pkg, test, {
        status,
        durationSeconds: num(event, 'Elapsed'),
        message: status === 'passed' ? undefined : output?.message(),
      });
      return;
    }
    this.packageEnd(pkg, status, event);
  }

  /** A package ended: a failure no test explains is reported as an error of the package. */
  private packageEnd(pkg: string, status: TestStatus, event: JsonObject): void {
    const output = this.packageOutput.get(pkg);
    this.packageOutput.delete(pkg);
    const failedBuild = str(event, 'FailedBuild');
    const unfinished = [...this.running.keys()].filter((key) => key.startsWith(`${pkg}\u0000`));
    for (const key of unfinished) {
      const message = this.running.get(key)?.message() ?? output?.message();
      this.running.delete(key);
      this.record(pkg, key.slice(pkg.length + 1), {
        status: 'error',
        message: message ?? 'the test did not finish (the package failed)',
      });
    }
    if (failedBuild !== undefined) {
      const key = failedBuild.replace(IMPORT_PATH_SUFFIX, '');
      const build = this.buildOutput.get(key) ?? this.buildOutput.get(pkg);
      this.buildOutput.delete(key);
      this.packageError(pkg, build?.message() ?? output?.message());
    } else if (
      status === 'failed' &&
      unfinished.length === 0 &&
      !this.packagesWithFailures.has(pkg)
    ) {
      const build = output?.lines.some((line) => BUILD_FAILED.test(line)) === true;
      this.packageError(
        pkg,
        output?.message() ??
          (build
            ? 'package failed to build (the compiler output is not in the report)'
            : 'package failed with no failing test'),
      );
    }
    this.packagesWithFailures.delete(pkg);
  }

  private record(
    pkg: string,
    test: string,
    result: Pick<TestCase, 'status' | 'durationSeconds' | 'message'>,
  ): void {
    // Every event repeats the package name: keep one copy of it.
    const shared = this.packages.get(pkg);
    const name = test === '' ? shared : test;
    const classname = test === '' ? '' : shared;
    const entry: TestCase = { id: testId(classname, name), name, classname, ...result };
    // The id is the key: `<package>.<test>`, or the package alone for its own error.
    const row = this.index.numberOf(entry.id);
    if (row === this.tests.length) this.tests.push(entry);
    else this.tests.set(row, rerun(this.tests.at(row) as TestCase, entry));
  }

  finish(): void {
    let unfinished = 0;
    for (const [key, output] of this.running) {
      const [pkg, test] = key.split('\u0000') as [string, string];
      if (test === '') continue;
      unfinished += 1;
      this.record(pkg, test, {
        status: 'error',
        message: output.message() ?? 'the test did not finish (the report ends before its result)',
      });
    }
    if (unfinished > 0) {
      this.warnings.push(
        `${unfinished} tests have no result: the report ends before them (was it cut short?)`,
      );
    }
    if (this.ignoredLines > 10) this.warnings.push(`${this.ignoredLines - 10} more lines ignored`);
  }
}

/**
 * Parses `go test -json` output. Identity as in gotestsum's JUnit report: classname is the
 * package import path, name the test (`TestA/sub` for a subtest), id `<package>.<test>`. A
 * package that fails to build, or fails with no failing test (a panic in `TestMain`, a timeout),
 * is an `error` test named after the package with the compiler's or the package's first line as
 * message. A test's message is the first line of its own output (its `t.Error` or `t.Skip`
 * text). A test that ran again (gotestsum `--rerun-fails`, `-count`) and passed after failing is
 * `flaky` with the number of runs after the first as `retries`.
 */
export async function parseGoTestJson(filePath: string): Promise<ParsedReport> {
  const stream = new GoTestStream();
  await forEachLine(filePath, (line, number) => {
    stream.line(line, number);
  });
  if (stream.events === 0) {
    throw new ReportError(filePath, 'not a go test -json report: no test2json event in the file');
  }
  stream.finish();
  return {
    format: 'go-test-json',
    tests: stream.tests,
    figures: new FigureTable(),
    warnings: stream.warnings,
  };
}

/** A test2json event at the start of a line, keys in the order Go writes them. */
const EVENT_LINE =
  /^\{"(?:Time":"[^"\n]*",")?(?:Action":"[a-z-]+","(?:Package|ImportPath)"|ImportPath":"[^"\n]*","Action")/m;

/** Parser of `go test -json` reports. */
export const goTestJsonParser: ReportParser = {
  format: 'go-test-json',
  detect: (head) => EVENT_LINE.test(head),
  parse: parseGoTestJson,
};

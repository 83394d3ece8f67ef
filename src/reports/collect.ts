/**
 * Finds report files by glob, parses each with its format's parser and merges them into one list
 * of tests and figures, a test reported twice counted once.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

import fg from 'fast-glob';

import {
  FAILING_STATUSES,
  type Figure,
  type ReportFileSummary,
  type ReportFormat,
  type TestCase,
} from '../model.js';
import { detectFormat, readHead } from './detect.js';
import { parserFor } from './registry.js';

/** Patterns searched when the user gives none (auto-discovery). */
export const DEFAULT_REPORT_PATTERNS: readonly string[] = ['**/*.xml', '**/*.json'];

/** Directories never searched. */
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/** Warnings kept per report file; the rest are counted in one line. */
const MAX_WARNINGS_PER_FILE = 50;

/** Options of {@link collectReports}. */
export interface CollectOptions {
  /** Globs relative to `cwd` or absolute; `!pattern` excludes. */
  readonly patterns: readonly string[];
  readonly cwd: string;
  /** A fixed format for every file, or `auto` to detect each file's format from its content. */
  readonly format: ReportFormat | 'auto';
  /**
   * Auto-discovery (ms since the epoch): files modified before are skipped, files of no known
   * format are skipped silently, and patterns that match nothing are not reported.
   */
  readonly modifiedSince?: number;
}

/** What {@link collectReports} found. */
export interface CollectedReports {
  readonly tests: TestCase[];
  readonly figures: Figure[];
  /** One entry per report file read, with `error` set when it could not be parsed. */
  readonly reports: ReportFileSummary[];
  readonly warnings: string[];
}

interface Candidate {
  readonly absolute: string;
  readonly display: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/');
}

/** Expands the patterns; returns the files and the positive patterns that matched nothing. */
async function findFiles(
  options: CollectOptions,
): Promise<{ files: Candidate[]; unmatched: string[] }> {
  const cwd = resolve(options.cwd);
  const positive = options.patterns
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('!'));
  const ignore = [
    ...ALWAYS_IGNORED,
    ...options.patterns.filter((p) => p.trim().startsWith('!')).map((p) => p.trim().slice(1)),
  ];
  const glob = { cwd, absolute: true, onlyFiles: true, dot: true, ignore, suppressErrors: true };
  const found = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of positive) {
    let matches = await fg(pattern, glob);
    // A literal file name with glob characters in it, such as report[1].xml.
    if (matches.length === 0 && fg.isDynamicPattern(pattern)) {
      matches = await fg(fg.escapePath(pattern), glob);
    }
    if (matches.length === 0) unmatched.push(pattern);
    for (const match of matches) found.add(resolve(match));
  }
  const files: Candidate[] = [];
  for (const file of found) {
    try {
      const info = await stat(file);
      if (options.modifiedSince !== undefined && info.mtimeMs < options.modifiedSince) continue;
      files.push({
        absolute: file,
        display: displayPath(cwd, file),
        bytes: info.size,
        mtimeMs: info.mtimeMs,
      });
    } catch {
      // Vanished between the glob and the stat: nothing to read.
    }
  }
  // Oldest first, so that "later" in the merge means a later run (a rerun's report).
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.display.localeCompare(b.display));
  return { files, unmatched };
}

function infoScore(test: TestCase): number {
  let score = 0;
  for (const value of [test.file, test.line, test.durationSeconds, test.message, test.retries]) {
    if (value !== undefined) score += 1;
  }
  return score;
}

/**
 * Merges two reports of one test: `earlier` from an older (or same-age, earlier-named) file.
 * A failure followed by a pass is `flaky`; otherwise the later verdict stands. Fields come from
 * the entry with more information, the other filling what it lacks.
 */
export function mergeTests(earlier: TestCase, later: TestCase): TestCase {
  const [main, other] =
    infoScore(later) >= infoScore(earlier) ? [later, earlier] : [earlier, later];
  const merged: TestCase = {
    ...main,
    file: main.file ?? other.file,
    line: main.line ?? other.line,
    durationSeconds: main.durationSeconds ?? other.durationSeconds,
    message: main.message ?? other.message,
  };
  const laterPassed = later.status === 'passed' || later.status === 'flaky';
  if (FAILING_STATUSES.has(earlier.status) && earlier.status !== 'xpassed' && laterPassed) {
    const retries = (earlier.retries ?? 0) + 1 + (later.retries ?? 0);
    return { ...merged, status: 'flaky', retries, message: earlier.message ?? merged.message };
  }
  if (earlier.status === 'flaky' && later.status === 'passed') {
    return {
      ...merged,
      status: 'flaky',
      retries: Math.max(earlier.retries ?? 1, later.retries ?? 0),
    };
  }
  return { ...merged, status: later.status, message: later.message ?? merged.message };
}

function figureKey(figure: Figure): string {
  return [
    figure.test,
    figure.kind,
    figure.operation ?? '',
    figure.stat ?? '',
    figure.name ?? '',
  ].join('\u0000');
}

/**
 * Tests of several reports, a test seen in several reports merged into one. The id index is only
 * built once a second report arrives: one large report costs no map.
 */
class TestMerger {
  readonly tests: TestCase[] = [];
  private indexOf: Map<string, number> | undefined;
  /** Report that last gave each entry of `tests` (-1: an earlier report, before indexing). */
  private readonly reportOf: number[] = [];

  add(tests: readonly TestCase[], report: number): void {
    if (this.indexOf === undefined && this.tests.length > 0) {
      this.indexOf = new Map();
      for (const [index, test] of this.tests.entries()) {
        if (!this.indexOf.has(test.id)) this.indexOf.set(test.id, index);
        this.reportOf.push(-1);
      }
    }
    const indexOf = this.indexOf;
    for (const test of tests) {
      const index = indexOf?.get(test.id);
      if (index === undefined || this.reportOf[index] === report) {
        if (indexOf !== undefined) {
          if (index === undefined) indexOf.set(test.id, this.tests.length);
          this.reportOf.push(report);
        }
        this.tests.push(test);
      } else {
        this.tests[index] = mergeTests(this.tests[index] as TestCase, test);
        this.reportOf[index] = report;
      }
    }
  }
}

/** Figures of several reports; figures given again by a later report replace the earlier ones. */
class FigureMerger {
  private readonly figures: Figure[] = [];
  /** Tests with figures from earlier reports; built once a second report brings figures. */
  private earlier: Set<string> | undefined;
  private readonly overlapping = new Set<string>();

  add(figures: readonly Figure[]): void {
    if (figures.length === 0) return;
    if (this.figures.length > 0) {
      this.earlier ??= new Set(this.figures.map((figure) => figure.test));
      for (const figure of figures) {
        if (this.earlier.has(figure.test)) this.overlapping.add(figure.test);
      }
    }
    for (const figure of figures) this.figures.push(figure);
    if (this.earlier !== undefined) for (const figure of figures) this.earlier.add(figure.test);
  }

  result(): Figure[] {
    return dedupeFigures(this.figures, this.overlapping);
  }
}

/**
 * Drops figures that a later report gave again (same test, kind, operation, stat and name), for
 * the tests that several reports gave figures of (JUnit and pytest-json of one pytest run).
 */
function dedupeFigures(figures: Figure[], overlapping: ReadonlySet<string>): Figure[] {
  if (overlapping.size === 0) return figures;
  const seen = new Set<string>();
  const kept: Figure[] = [];
  for (let i = figures.length - 1; i >= 0; i--) {
    const figure = figures[i] as Figure;
    if (overlapping.has(figure.test)) {
      const key = figureKey(figure);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    kept.push(figure);
  }
  return kept.reverse();
}

/**
 * Collects every report matching `options.patterns`. A file that cannot be read or parsed gets a
 * summary with `error` and does not stop the others. A test seen in several files (same id) is
 * counted once ({@link mergeTests}); within one file every entry counts. A figure recorded
 * twice for the same test, kind, operation and stat keeps its latest value.
 */
export async function collectReports(options: CollectOptions): Promise<CollectedReports> {
  const discovering = options.modifiedSince !== undefined;
  const { files, unmatched } = await findFiles(options);
  const warnings = discovering
    ? []
    : unmatched.map((pattern) => `report pattern "${pattern}" matched no file`);
  const tests = new TestMerger();
  const figures = new FigureMerger();
  const reports: ReportFileSummary[] = [];

  for (const [reportIndex, file] of files.entries()) {
    const summary = { path: file.display, bytes: file.bytes };
    let format: ReportFormat | undefined;
    try {
      format =
        options.format === 'auto' ? detectFormat(await readHead(file.absolute)) : options.format;
    } catch (error) {
      if (!discovering)
        reports.push({ ...summary, tests: 0, figures: 0, error: (error as Error).message });
      continue;
    }
    if (format === undefined) {
      if (!discovering) {
        reports.push({
          ...summary,
          tests: 0,
          figures: 0,
          error: 'not a report of any known format',
        });
      }
      continue;
    }
    let parsed;
    try {
      parsed = await parserFor(format).parse(file.absolute);
    } catch (error) {
      const message = (error as Error).message.replace(file.absolute, file.display);
      reports.push({ ...summary, format, tests: 0, figures: 0, error: message });
      continue;
    }
    tests.add(parsed.tests, reportIndex);
    figures.add(parsed.figures);
    for (const warning of parsed.warnings.slice(0, MAX_WARNINGS_PER_FILE)) {
      warnings.push(`${file.display}: ${warning}`);
    }
    if (parsed.warnings.length > MAX_WARNINGS_PER_FILE) {
      warnings.push(
        `${file.display}: ${parsed.warnings.length - MAX_WARNINGS_PER_FILE} more warnings`,
      );
    }
    reports.push({
      ...summary,
      format,
      tests: parsed.tests.length,
      figures: parsed.figures.length,
    });
  }
  return { tests: tests.tests, figures: figures.result(), reports, warnings };
}

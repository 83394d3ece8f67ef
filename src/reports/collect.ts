/**
 * Finds report files ({@link discoverFiles}), parses each with its format's parser and merges
 * them into one list of tests and figures ({@link TestMerger}): a test reported twice by one run
 * counted once, tests of different packages never merged. Test file paths in the result are
 * relative to the working directory, whatever folder each report lies in.
 */
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import type { ReportFileSummary, ReportFormat } from '../model.js';
import type { FigureTable } from '../tables/figure-table.js';
import type { TestTable } from '../tables/test-table.js';
import { detectFormat, readHead } from './detect.js';
import { DISCOVERY_LIMITS, discoverFiles, displayPath, type FoundFile } from './discover.js';
import { relativePath } from './ids.js';
import { FigureMerger, mergeTests, TestMerger } from './merge.js';
import { parserFor } from './registry.js';

export { mergeTests };

/** Patterns searched when the user gives none (auto-discovery). */
export const DEFAULT_REPORT_PATTERNS: readonly string[] = ['**/*.xml', '**/*.json', '**/*.trx'];

/** Warnings kept per report file; the rest are counted in one line. */
const MAX_WARNINGS_PER_FILE = 50;

/** Files named in the warning about reports older than the command. */
const MAX_STALE_NAMED = 5;

/** Older files whose head is read to tell whether they are reports at all. */
const MAX_STALE_CHECKED = 2_000;

/** Error of a report-paths pattern that matched no file. */
export const UNMATCHED_PATTERN_ERROR =
  'the report-paths pattern matched no file (patterns are relative to working-directory)';

/** Options of {@link collectReports}. */
export interface CollectOptions {
  /** Globs relative to `cwd` or absolute; `!pattern` excludes. */
  readonly patterns: readonly string[];
  readonly cwd: string;
  /** A fixed format for every file, or `auto` to detect each file's format from its content. */
  readonly format: ReportFormat | 'auto';
  /**
   * Auto-discovery (ms since the epoch): reports modified before are skipped (with a warning),
   * files of no known format are skipped silently, and patterns that match nothing are not
   * reported.
   */
  readonly modifiedSince?: number;
  /** Stops discovery and reading; what was read so far is returned, with a warning. */
  readonly signal?: AbortSignal;
  /** Bounds of discovery; see {@link DISCOVERY_LIMITS}. */
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
}

/** What {@link collectReports} found. */
export interface CollectedReports {
  readonly tests: TestTable;
  readonly figures: FigureTable;
  /**
   * One entry per report file read, with `error` set when it could not be parsed, and one per
   * explicit pattern that matched no file.
   */
  readonly reports: ReportFileSummary[];
  readonly warnings: string[];
}

/**
 * Makes the test file paths of one report relative to `cwd`: an absolute path directly; a
 * relative one is taken from the report's folder when the file is there, else from `cwd`.
 */
function rebaseFiles(tests: TestTable, reportDir: string, cwd: string): TestTable {
  tests.mapFiles((file) => {
    if (isAbsolute(file)) return relativePath(file, cwd);
    if (reportDir === cwd || !existsSync(join(reportDir, file))) return file;
    return displayPath(cwd, join(reportDir, file));
  });
  return tests;
}

/** The real path of a folder, cached in `known`; the path itself when it cannot be resolved. */
async function realFolder(folder: string, known: Map<string, string>): Promise<string> {
  let real = known.get(folder);
  if (real === undefined) {
    real = await realpath(folder).catch(() => folder);
    known.set(folder, real);
  }
  return real;
}

/** The format of a file, or undefined when it is none this action reads. */
async function formatOf(
  file: FoundFile,
  format: CollectOptions['format'],
): Promise<ReportFormat | undefined> {
  return format === 'auto' ? detectFormat(await readHead(file.absolute)) : format;
}

/**
 * The warning for reports skipped because they are older than the command's start, when any of
 * the older files is a report of a known format (checked-in package.json files are not).
 */
async function staleWarning(
  stale: readonly FoundFile[],
  format: CollectOptions['format'],
  stopped: () => boolean,
): Promise<string[]> {
  const reports: string[] = [];
  for (const file of stale.slice(0, MAX_STALE_CHECKED)) {
    if (stopped()) break;
    try {
      if ((await formatOf(file, format)) !== undefined) reports.push(file.display);
    } catch {
      // Unreadable: it is no report we could have read anyway.
    }
  }
  if (reports.length === 0) return [];
  const named = reports.slice(0, MAX_STALE_NAMED).join(', ');
  const more =
    reports.length > MAX_STALE_NAMED ? ` and ${reports.length - MAX_STALE_NAMED} more` : '';
  return [
    `Skipped ${reports.length} report file(s) older than the command's start: ${named}${more}. Report discovery reads only reports the command wrote, so that reports checked into the repository or left by an earlier step are not taken for this run's; to read them anyway, name them in report-paths.`,
  ];
}

/**
 * Collects every report matching `options.patterns`. A file that cannot be read or parsed gets a
 * summary with `error` and does not stop the others. A test seen in several files of the same
 * folder (same id) is counted once ({@link mergeTests}); within one file every entry counts, and
 * tests of different folders are never merged. pytest-benchmark entries add figures and
 * durations to the test they measure, never a status. A figure recorded twice for the same
 * test, kind, operation and stat keeps its latest value.
 */
export async function collectReports(options: CollectOptions): Promise<CollectedReports> {
  const discovering = options.modifiedSince !== undefined;
  // Cancelled before reading began (the command was ended): read what it wrote, but briefly.
  const hurryUntil =
    options.signal?.aborted === true ? Date.now() + DISCOVERY_LIMITS.cancelledTimeoutMs : undefined;
  const stopped = (): boolean =>
    hurryUntil === undefined ? options.signal?.aborted === true : Date.now() > hurryUntil;
  const cwd = resolve(options.cwd);
  const discovery = await discoverFiles({
    patterns: options.patterns,
    cwd,
    signal: options.signal,
    maxDepth: options.maxDepth,
    timeoutMs: options.timeoutMs,
  });
  const warnings = [...discovery.warnings];
  const reports: ReportFileSummary[] = discovering
    ? []
    : discovery.unmatched.map((pattern) => ({
        path: pattern,
        tests: 0,
        figures: 0,
        bytes: 0,
        error: UNMATCHED_PATTERN_ERROR,
        unmatchedPattern: true,
      }));
  const since = options.modifiedSince;
  const stale = since === undefined ? [] : discovery.files.filter((f) => f.mtimeMs < since);
  const files =
    since === undefined ? discovery.files : discovery.files.filter((f) => f.mtimeMs >= since);
  warnings.push(...(await staleWarning(stale, options.format, stopped)));

  const tests = new TestMerger();
  const figures = new FigureMerger();
  const folders = new Map<string, string>();
  const benchmarks: { tests: TestTable; group: string }[] = [];
  for (const [reportIndex, file] of files.entries()) {
    if (stopped()) {
      warnings.push(
        `Reading the reports was cancelled: ${files.length - reportIndex} of ${files.length} report file(s) were not read.`,
      );
      break;
    }
    const summary = { path: file.display, bytes: file.bytes };
    let format: ReportFormat | undefined;
    try {
      format = await formatOf(file, options.format);
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
      parsed = await parserFor(format).parse(file.absolute, { root: cwd });
    } catch (error) {
      const message = (error as Error).message.replace(file.absolute, file.display);
      reports.push({ ...summary, format, tests: 0, figures: 0, error: message });
      continue;
    }
    // Reports of one folder are one run of one suite; the real folder, so a link is no escape.
    const group = await realFolder(dirname(file.absolute), folders);
    const parsedTests = rebaseFiles(parsed.tests, dirname(file.absolute), cwd);
    if (format === 'pytest-benchmark') benchmarks.push({ tests: parsedTests, group });
    else tests.add(parsedTests, reportIndex, group);
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
  for (const bench of benchmarks) tests.addBenchmarks(bench.tests, bench.group);
  return { tests: tests.tests, figures: figures.result(), reports, warnings };
}

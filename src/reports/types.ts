import type { ReportFormat } from '../model.js';
import type { FigureTable } from '../tables/figure-table.js';
import type { TestTable } from '../tables/test-table.js';

/** What a parser returns for one file. */
export interface ParsedReport {
  readonly format: ReportFormat;
  /** The tests, in the order of the report, kept off the JS heap. */
  readonly tests: TestTable;
  readonly figures: FigureTable;
  /**
   * Problems that did not stop the parse, each naming the test and property or element
   * (a malformed figure, an unknown status); the action turns them into warnings.
   */
  readonly warnings: string[];
}

/** What a parser is told besides the file. */
export interface ParseContext {
  /**
   * The folder test file paths are made relative to (the working directory), so that every
   * report's paths share one root; defaults to the report's own folder.
   */
  readonly root?: string;
}

/**
 * One parser per report format. Parsers are pure with respect to the action: they read the
 * file they are given and nothing else, log nothing and never touch `@actions/core`.
 */
export interface ReportParser {
  readonly format: ReportFormat;
  /**
   * Whether `head` (the first few KiB of a file, decoded as UTF-8 with any BOM removed) looks
   * like this format. Must be cheap and must not throw.
   */
  detect(head: string): boolean;
  /** Parses the file; throws {@link ReportError} when it is not a valid report of this format. */
  parse(filePath: string, context?: ParseContext): Promise<ParsedReport>;
}

/** A report that cannot be read as its format; the message names the file and what is wrong. */
export class ReportError extends Error {
  constructor(
    readonly filePath: string,
    message: string,
  ) {
    super(`${filePath}: ${message}`);
    this.name = 'ReportError';
  }
}

/** Warnings of a run: what went wrong after the command, in words a user can act on. */
import type { ReportFileSummary } from '../model.js';

/** A report that could not be used, named, with what to do. */
export function reportWarning(report: ReportFileSummary): string {
  if (report.unmatchedPattern === true) {
    return `Report pattern "${report.path}" in report-paths matched no file: check it against where the command writes its reports (patterns are relative to working-directory).`;
  }
  const error = (report.error ?? '').replace(`${report.path}: `, '').replace(/\.$/, '');
  const hint =
    report.format === undefined
      ? ' Set report-format to force a parser, or narrow report-paths.'
      : '';
  return `Report ${report.path}: ${error}.${hint}`;
}

/** What a step that must not cost the verdict gave: its value, or the fallback and a warning. */
export interface Guarded<T> {
  readonly value: T;
  readonly warnings: readonly string[];
}

/** Runs a step whose failure must not cost the verdict: its error becomes a warning. */
export async function orWarn<T>(
  what: string,
  step: () => Promise<T>,
  fallback: T,
): Promise<Guarded<T>> {
  try {
    return { value: await step(), warnings: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { value: fallback, warnings: [`${what} failed: ${message}`] };
  }
}

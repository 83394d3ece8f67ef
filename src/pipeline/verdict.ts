/** What decides the step: the test command, and push or report problems only when asked. */
import type { RunOptions } from './options.js';
import { isSuccess, type RunResult } from '../model.js';

/** Why the command's run is not a success, in one sentence. */
export function verdictMessage(run: RunResult): string {
  if (run.cancelled) return 'The run was cancelled.';
  if (run.timedOut) return `The test command timed out after ${run.durationSeconds.toFixed(0)} s.`;
  if (run.signal !== undefined) {
    return `The test command was ended by ${run.signal} (exit code ${run.exitCode}).`;
  }
  return `The test command failed with exit code ${run.exitCode}.`;
}

/** Every reason the step fails; empty when it passes. */
export function stepFailures(
  inputs: Pick<
    RunOptions,
    'failOnTestFailure' | 'failOnPushError' | 'failOnReportError' | 'pushgatewayUrl'
  >,
  run: RunResult,
  pushed: boolean,
): string[] {
  const failures: string[] = [];
  if (inputs.failOnTestFailure && !isSuccess(run)) failures.push(verdictMessage(run));
  if (inputs.failOnPushError && inputs.pushgatewayUrl !== undefined && !pushed) {
    failures.push('The metrics could not be pushed (fail-on-push-error is true).');
  }
  if (inputs.failOnReportError) {
    const broken = run.reports.filter((report) => report.error !== undefined).length;
    if (broken > 0) {
      failures.push(`${broken} report file(s) could not be parsed (fail-on-report-error is true).`);
    } else if (run.reports.length === 0) {
      failures.push('No report file was found (fail-on-report-error is true).');
    }
  }
  return failures;
}

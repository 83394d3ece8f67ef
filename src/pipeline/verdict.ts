/** What decides the step: the test command, and push or report problems only when asked. */
import { budgetFailures } from './compare.js';
import type { RunOptions } from './options.js';
import type { SuiteResult } from './run-suite.js';
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
    'failOnTestFailure' | 'failOnPushError' | 'failOnReportError' | 'pushgatewayUrl' | 'remoteWrite'
  >,
  run: RunResult,
  pushed: boolean,
): string[] {
  const failures: string[] = [];
  if (inputs.failOnTestFailure && !isSuccess(run)) failures.push(verdictMessage(run));
  const anyTarget = inputs.pushgatewayUrl !== undefined || inputs.remoteWrite !== undefined;
  if (inputs.failOnPushError && anyTarget && !pushed) {
    failures.push('The metrics could not be pushed (fail-on-push-error is true).');
  }
  if (inputs.failOnReportError) {
    const broken = run.reports.filter((r) => r.error !== undefined && r.unmatchedPattern !== true);
    const unmatched = run.reports.filter((r) => r.unmatchedPattern === true);
    const problems = [
      ...(broken.length > 0 ? [`${broken.length} report file(s) could not be parsed`] : []),
      ...(unmatched.length > 0
        ? [`${unmatched.length} report-paths pattern(s) matched no file`]
        : []),
    ];
    if (problems.length > 0) {
      failures.push(`${problems.join(' and ')} (fail-on-report-error is true).`);
    } else if (run.reports.length === 0) {
      failures.push('No report file was found (fail-on-report-error is true).');
    }
  }
  return failures;
}

/**
 * Every reason a suite's run fails the step, for every adapter: the step's rules above, and
 * the budgets whose `on-breach` is `fail`.
 */
export function suiteFailures(
  options: Parameters<typeof stepFailures>[0],
  result: Pick<SuiteResult, 'run' | 'delivery' | 'comparison'>,
): string[] {
  return [
    ...stepFailures(options, result.run, result.delivery.pushed),
    ...budgetFailures(result.comparison),
  ];
}

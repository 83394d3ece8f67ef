/**
 * The action: the runner's inputs and context in, the core's run, then what the workflow gets
 * back (warnings, annotations, outputs, the job summary) and the step's verdict.
 */
import * as core from '@actions/core';
import { readGithubContext } from '../ci/github.js';
import { onCancellation } from '../pipeline/cancellation.js';
import { runSuite } from '../pipeline/run-suite.js';
import { redact } from '../pipeline/secrets.js';
import { suiteFailures } from '../pipeline/verdict.js';
import { runStepEnvironment } from '../runner/step-environment.js';
import { commentOnPullRequest } from './comment-step.js';
import { readActionInputs } from './inputs.js';
import { actionLog } from './log.js';
import { publish } from './publish.js';

/** Runs the action; every failure ends in core.setFailed with a message a user can act on. */
export async function run(): Promise<void> {
  const secrets: string[] = [];
  // A stray rejection must not end the process before the command's verdict is reported.
  process.on('unhandledRejection', (reason) => {
    core.warning(redact(`Internal error, ignored: ${String(reason)}`, secrets));
  });
  const cancellation = onCancellation((message) => {
    core.warning(message);
  });
  try {
    const { options, comment } = readActionInputs(secrets);
    const ci = readGithubContext();
    const log = actionLog(secrets);
    log.debug('Phase: run the suite');
    const result = await runSuite(options, {
      ci,
      log,
      signal: cancellation.signal,
      // What a run: step would see: not the inputs (the gateway's credentials) nor the runtime
      // tokens the runner gives JavaScript actions only.
      commandEnv: runStepEnvironment(process.env),
    });
    log.debug('Phase: comment on the pull request');
    // The comment must never cost the verdict: whatever goes wrong there is a warning.
    const notice = await commentOnPullRequest(result, options, ci, comment, secrets).catch(
      (error: unknown) => {
        core.warning(redact(`Commenting on the pull request failed: ${String(error)}`, secrets));
        return undefined;
      },
    );
    log.debug('Phase: publish the run');
    await publish(result, options, ci, secrets, notice);
    const failures = suiteFailures(options, result);
    if (failures.length > 0) core.setFailed(redact(failures.join(' '), secrets));
  } catch (error) {
    core.setFailed(redact(error instanceof Error ? error.message : String(error), secrets));
  } finally {
    cancellation.dispose();
  }
}

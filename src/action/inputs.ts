/** The action's inputs, read from the runner's INPUT_* variables, with every secret masked first. */
import * as core from '@actions/core';
import { readOptions, secretsOf, type RunOptions } from '../pipeline/options.js';
import { urlCredentials } from '../pipeline/secrets.js';

/** The run's options, and every secret value they hold (for redaction). */
export interface ActionInputs {
  readonly options: RunOptions;
  readonly secrets: readonly string[];
}

/**
 * Masks the credentials of the gateway and remote-write URLs before anything else is read (a later input's error
 * must not print them), then reads and validates every input. Secrets found before a failure
 * are added to `secrets` as they are found, so the caller can redact the error.
 */
export function readActionInputs(secrets: string[]): ActionInputs {
  const urls = [core.getInput('pushgateway-url'), core.getInput('remote-write-url')];
  for (const secret of urls.flatMap(urlCredentials)) {
    core.setSecret(secret);
    secrets.push(secret);
  }
  const options = readOptions((name) => core.getInput(name));
  for (const secret of secretsOf(options)) {
    core.setSecret(secret);
    secrets.push(secret);
  }
  return { options, secrets };
}

/** The core's log on the runner: workflow commands, every line redacted. */
import * as core from '@actions/core';
import type { Log } from '../pipeline/log.js';
import { redact } from '../pipeline/secrets.js';

/** A log that writes through `@actions/core`, with every secret replaced by `***`. */
export function actionLog(secrets: readonly string[]): Log {
  return {
    info: (message) => {
      core.info(redact(message, secrets));
    },
    debug: (message) => {
      core.debug(redact(message, secrets));
    },
    group: (title, body) => core.group(redact(title, secrets), body),
  };
}

/** The action's inputs, read from the runner's INPUT_* variables, with every secret masked first. */
import * as core from '@actions/core';
import { readOptions, secretsOf, type OptionReader, type RunOptions } from '../pipeline/options.js';
import { urlCredentials } from '../pipeline/secrets.js';
import type { CommentInputs } from './comment-step.js';
import { parseCommentMode } from './pr-comment.js';

/** The run's options, and every secret value they hold (for redaction). */
export interface ActionInputs {
  readonly options: RunOptions;
  readonly secrets: readonly string[];
  /** The pull-request comment's inputs (action-only). */
  readonly comment: CommentInputs;
}

/** The inputs only the action reads: the pull-request comment's. */
export function readCommentInputs(read: OptionReader): CommentInputs {
  return {
    mode: parseCommentMode(read('comment-on-pr')),
    token: read('github-token').trim(),
  };
}

/**
 * Masks the credentials of the gateway and remote-write URLs before anything else is read (a later input's error
 * must not print them), then reads and validates every input. Secrets found before a failure
 * are added to `secrets` as they are found, so the caller can redact the error.
 */
export function readActionInputs(secrets: string[]): ActionInputs {
  const urls = [
    core.getInput('pushgateway-url'),
    core.getInput('prometheus-url'),
    core.getInput('remote-write-url'),
  ];
  for (const secret of urls.flatMap((url) => urlCredentials(url))) {
    core.setSecret(secret);
    secrets.push(secret);
  }
  const options = readOptions((name) => core.getInput(name));
  for (const secret of secretsOf(options)) {
    core.setSecret(secret);
    secrets.push(secret);
  }
  const comment = readCommentInputs((name) => core.getInput(name));
  if (comment.token !== '') {
    core.setSecret(comment.token);
    secrets.push(comment.token);
  }
  return { options, secrets, comment };
}

/**
 * The action's step after the run: the comment as Markdown beside the comparison file, and on the
 * pull request when one is due.
 */
import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import { readEventPayload } from '../ci/github.js';
import type { CiContext } from '../ci/context.js';
import type { RunOptions } from '../pipeline/options.js';
import type { SuiteResult } from '../pipeline/run-suite.js';
import { redact } from '../pipeline/secrets.js';
import { commentMarker, renderComment } from '../summary/comparison.js';
import { publishComment, shouldComment, type CommentMode } from './pr-comment.js';

/** The comment inputs. */
export interface CommentInputs {
  readonly mode: CommentMode;
  readonly token: string;
}

/** The pull request's number from the event payload; undefined outside a pull request. */
export function pullRequestNumber(
  payload: Record<string, unknown> = readEventPayload(),
): number | undefined {
  const number = (payload.pull_request as { number?: unknown } | undefined)?.number;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/**
 * Posts or updates the comment when the run is part of a pull request and has something to say.
 * Returns the notice for the summary when the token may not write; never throws.
 */
export async function commentOnPullRequest(
  result: SuiteResult,
  options: Pick<RunOptions, 'suite'>,
  ci: CiContext,
  inputs: CommentInputs,
  secrets: readonly string[],
): Promise<string | undefined> {
  const { comparison, budgets, file } = result.comparison;
  if (file === undefined) return undefined;
  const marker = commentMarker(ci.workflow, ci.workflowJob, options.suite);
  const body = renderComment(
    { ...(comparison && { comparison }), ...(budgets && { budgets }) },
    {
      marker,
      workflow: ci.workflow,
      job: ci.workflowJob,
      suite: options.suite,
      commit: ci.commit,
      ...(ci.runUrl !== undefined && { runUrl: ci.runUrl }),
    },
  );
  // Beside the JSON, the comment as Markdown: what a workflow_run job posts for a fork.
  await writeFile(file.replace(/\.json$/, '.md'), redact(body, secrets)).catch((error: unknown) => {
    core.warning(`Writing the comment file: ${(error as Error).message}`);
  });
  const pullRequest = pullRequestNumber();
  if (pullRequest === undefined || !shouldComment(inputs.mode, result.comparison)) return undefined;
  if (inputs.token === '') {
    core.warning('No comment on the pull request: github-token is empty.');
    return undefined;
  }
  const outcome = await publishComment({
    token: inputs.token,
    repository: ci.repository,
    pullRequest,
    marker,
    body: redact(body, secrets),
  });
  if (outcome.action === 'created' || outcome.action === 'updated') {
    core.info(`Comment ${outcome.action} on pull request #${pullRequest}: ${outcome.url ?? ''}`);
  }
  if (outcome.warning !== undefined) core.warning(redact(outcome.warning, secrets));
  if (outcome.notice !== undefined) core.notice(redact(outcome.notice, secrets));
  return outcome.notice;
}

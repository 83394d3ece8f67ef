/**
 * The pull-request comment: one per workflow, job and suite, found by its hidden marker and
 * edited in place on every push. Action-only (it needs the GitHub API and a token). Never fails
 * the step: a token that may not write (pull requests from forks) gives a notice for the summary,
 * any other failure a warning.
 */
import { getOctokit } from '@actions/github';
import type { ComparisonResult } from '../pipeline/compare.js';
import { OptionError } from '../pipeline/options.js';

/** When to comment. */
export type CommentMode = 'off' | 'always' | 'changes';

/** Reads the `comment-on-pr` input. */
export function parseCommentMode(raw: string): CommentMode {
  const value = raw.trim().toLowerCase() || 'changes';
  if (value === 'off' || value === 'always' || value === 'changes') return value;
  throw new OptionError('comment-on-pr', `'${raw}' is not valid: use off, always or changes.`);
}

/** Whether the run has something to comment on, in `mode`. */
export function shouldComment(mode: CommentMode, result: ComparisonResult): boolean {
  if (mode === 'off' || (result.comparison === undefined && result.budgets === undefined)) {
    return false;
  }
  if (mode === 'always') return true;
  const changed = result.comparison?.quantities.some((q) => q.verdict === 'changed') ?? false;
  return (
    result.regressions + result.improvements + result.newFailures > 0 ||
    result.failBreaches + result.warnBreaches > 0 ||
    changed
  );
}

/** Where the comment goes. */
export interface CommentTarget {
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly pullRequest: number;
  readonly marker: string;
  readonly body: string;
  /** Bound on every request together. */
  readonly timeoutMs?: number;
}

/** How the comment went. */
export interface CommentOutcome {
  readonly action: 'created' | 'updated' | 'forbidden' | 'failed';
  readonly url?: string;
  /** For `forbidden`: what to tell the user in the summary. */
  readonly notice?: string;
  /** For `failed`: the warning. */
  readonly warning?: string;
}

/** What to do where the token may not write to the pull request. */
export const FORBIDDEN_NOTICE =
  'The comparison could not be posted to the pull request: the token may not write to it ({reason}). Pull requests from forks get a read-only token. To publish from a fork, upload the comparison-file output as an artifact and post it from a workflow_run job that has pull-requests: write (docs/regressions.md, "Pull requests from forks"); for pull requests from this repository, give the job permissions: pull-requests: write.';

/** Creates or updates the comment; never throws. */
export async function publishComment(target: CommentTarget): Promise<CommentOutcome> {
  const [owner = '', repo = ''] = target.repository.split('/');
  const signal = AbortSignal.timeout(target.timeoutMs ?? 30_000);
  try {
    const octokit = getOctokit(target.token, { request: { signal } });
    const issue = { owner, repo, issue_number: target.pullRequest };
    let existing: number | undefined;
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...issue,
      per_page: 100,
    })) {
      existing = page.data.find((comment) => comment.body?.includes(target.marker) === true)?.id;
      if (existing !== undefined) break;
    }
    if (existing !== undefined) {
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing,
        body: target.body,
      });
      return { action: 'updated', url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ ...issue, body: target.body });
    return { action: 'created', url: data.html_url };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const message = (error as Error).message.split('\n')[0] ?? '';
    if (status === 401 || status === 403) {
      const reason = `HTTP ${status}: ${message}`;
      return { action: 'forbidden', notice: FORBIDDEN_NOTICE.replace('{reason}', reason) };
    }
    const what = typeof status === 'number' ? `HTTP ${status}: ${message}` : message;
    return {
      action: 'failed',
      warning: `Could not post the comparison to pull request #${target.pullRequest}: ${what}.`,
    };
  }
}

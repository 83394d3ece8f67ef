/** The GitHub Actions run, read from the runner's GITHUB_* and RUNNER_* variables. */
import { readFileSync } from 'node:fs';
import { platformName, type CiContext } from './context.js';

/** The event payload the runner wrote (GITHUB_EVENT_PATH); empty when there is none. */
export function readEventPayload(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const path = env.GITHUB_EVENT_PATH?.trim();
  if (path === undefined || path === '') return {};
  try {
    const payload: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return payload !== null && typeof payload === 'object'
      ? (payload as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The pull request's base branch, else the repository's default branch from the payload. */
function baseBranch(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.GITHUB_BASE_REF?.trim();
  if (base !== undefined && base !== '') return base;
  const repository = readEventPayload(env).repository as { default_branch?: unknown } | undefined;
  const fallback = repository?.default_branch;
  return typeof fallback === 'string' && fallback !== '' ? fallback : undefined;
}

/** Events whose runs test a pull request rather than a branch. */
export const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

/** The number in the event payload (`number`, `pull_request.number`); empty when absent. */
function payloadNumber(env: NodeJS.ProcessEnv): string {
  const payload = readEventPayload(env) as {
    number?: unknown;
    pull_request?: { number?: unknown };
  };
  const number = payload.pull_request?.number ?? payload.number;
  return typeof number === 'number' && Number.isInteger(number) ? String(number) : '';
}

/**
 * The pull request a run tests: from `refs/pull/N/merge` (pull_request), else from the event
 * payload (pull_request_target runs on the base branch's ref). A pull-request event whose number
 * cannot be found still gets a pull-request group, `unknown`, never its branch's.
 */
export function pullRequestNumber(env: NodeJS.ProcessEnv): string {
  const ref = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(env.GITHUB_REF?.trim() ?? '');
  if (ref?.[1] !== undefined) return ref[1];
  if (!PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME?.trim() ?? '')) return '';
  return payloadNumber(env) || 'unknown';
}

/** Reads the context from `env` (the process environment by default). */
export function readGithubContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = (name: string): string => env[name]?.trim() ?? '';
  const repository = get('GITHUB_REPOSITORY');
  const runId = get('GITHUB_RUN_ID');
  const runAttempt = get('GITHUB_RUN_ATTEMPT');
  const serverUrl = get('GITHUB_SERVER_URL') || 'https://github.com';
  const attempt = runAttempt === '' ? '' : `/attempts/${runAttempt}`;
  const base = baseBranch(env);
  return {
    provider: 'github-actions',
    repository,
    branch: get('GITHUB_HEAD_REF') || get('GITHUB_REF_NAME'),
    workflow: get('GITHUB_WORKFLOW'),
    workflowJob: get('GITHUB_JOB'),
    commit: get('GITHUB_SHA'),
    runId,
    runAttempt,
    runNumber: get('GITHUB_RUN_NUMBER'),
    event: get('GITHUB_EVENT_NAME'),
    ref: get('GITHUB_REF'),
    pullRequest: pullRequestNumber(env),
    actor: get('GITHUB_ACTOR'),
    runnerOs: get('RUNNER_OS') || platformName(),
    workspace: get('GITHUB_WORKSPACE') || process.cwd(),
    runnerTemp: get('RUNNER_TEMP'),
    ...(base !== undefined && { baseBranch: base }),
    ...(repository !== '' &&
      runId !== '' && { runUrl: `${serverUrl}/${repository}/actions/runs/${runId}${attempt}` }),
  };
}

/** The GitHub Actions run, read from the runner's GITHUB_* and RUNNER_* variables. */
import { readFileSync } from 'node:fs';
import { platformName, type CiContext } from './context.js';

/** Events whose runs test a pull request rather than a branch. */
export const PULL_REQUEST_EVENTS: ReadonlySet<string> = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

/** The number in the event payload (`number`, `pull_request.number`); empty when absent. */
function payloadNumber(path: string): string {
  if (path === '') return '';
  try {
    const payload = JSON.parse(readFileSync(path, 'utf8')) as {
      number?: unknown;
      pull_request?: { number?: unknown };
    };
    const number = payload.pull_request?.number ?? payload.number;
    return typeof number === 'number' && Number.isInteger(number) ? String(number) : '';
  } catch {
    return '';
  }
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
  return payloadNumber(env.GITHUB_EVENT_PATH?.trim() ?? '') || 'unknown';
}

/** Reads the context from `env` (the process environment by default). */
export function readGithubContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = (name: string): string => env[name]?.trim() ?? '';
  const repository = get('GITHUB_REPOSITORY');
  const runId = get('GITHUB_RUN_ID');
  const runAttempt = get('GITHUB_RUN_ATTEMPT');
  const serverUrl = get('GITHUB_SERVER_URL') || 'https://github.com';
  const attempt = runAttempt === '' ? '' : `/attempts/${runAttempt}`;
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
    ...(repository !== '' &&
      runId !== '' && { runUrl: `${serverUrl}/${repository}/actions/runs/${runId}${attempt}` }),
  };
}

/** The GitHub Actions run, read from the runner's GITHUB_* and RUNNER_* variables. */
import { platformName, type CiContext } from './context.js';

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
    actor: get('GITHUB_ACTOR'),
    runnerOs: get('RUNNER_OS') || platformName(),
    workspace: get('GITHUB_WORKSPACE') || process.cwd(),
    runnerTemp: get('RUNNER_TEMP'),
    ...(repository !== '' &&
      runId !== '' && { runUrl: `${serverUrl}/${repository}/actions/runs/${runId}${attempt}` }),
  };
}

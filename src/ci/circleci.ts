/** A CircleCI job, read from its built-in variables (circleci.com/docs/reference/variables). */
import { platformName, type CiContext } from './context.js';
import { envGetter } from './env.js';

/** True inside a CircleCI job. */
export function isCircleci(env: NodeJS.ProcessEnv): boolean {
  return env.CIRCLECI === 'true';
}

/** Reads the context from `env`. */
export function readCircleciContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = envGetter(env);
  const owner = get('CIRCLE_PROJECT_USERNAME');
  const name = get('CIRCLE_PROJECT_REPONAME');
  const tag = get('CIRCLE_TAG');
  const branch = get('CIRCLE_BRANCH');
  // CIRCLE_PR_NUMBER is set for forked pull requests only; CIRCLE_PULL_REQUEST is the PR's URL.
  const pullRequest =
    get('CIRCLE_PR_NUMBER') || (/\/pull\/(\d+)$/.exec(get('CIRCLE_PULL_REQUEST'))?.[1] ?? '');
  const runUrl = get('CIRCLE_BUILD_URL');
  const workingDirectory = get('CIRCLE_WORKING_DIRECTORY').replace(/^~(?=$|\/)/, env.HOME ?? '~');
  return {
    provider: 'circleci',
    repository: owner !== '' && name !== '' ? `${owner}/${name}` : name,
    branch: branch || tag,
    // The workflow's name is not in the environment: the job name is the stable part.
    workflow: '',
    workflowJob: get('CIRCLE_JOB'),
    commit: get('CIRCLE_SHA1'),
    runId: get('CIRCLE_WORKFLOW_ID'),
    runAttempt: '',
    runNumber: get('CIRCLE_BUILD_NUM'),
    event: pullRequest !== '' ? 'pull_request' : '',
    ref: tag !== '' ? `refs/tags/${tag}` : branch !== '' ? `refs/heads/${branch}` : '',
    pullRequest,
    actor: get('CIRCLE_USERNAME'),
    runnerOs: platformName(),
    workspace: workingDirectory || process.cwd(),
    runnerTemp: '',
    ...(runUrl !== '' && { runUrl }),
  };
}

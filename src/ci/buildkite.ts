/** A Buildkite job, read from the agent's variables (buildkite.com/docs/pipelines/environment-variables). */
import { platformName, type CiContext } from './context.js';
import { envGetter, repositoryFromUrl } from './env.js';

/** True inside a Buildkite job. */
export function isBuildkite(env: NodeJS.ProcessEnv): boolean {
  return env.BUILDKITE === 'true';
}

/** Reads the context from `env`. */
export function readBuildkiteContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = envGetter(env);
  const pipeline = get('BUILDKITE_PIPELINE_SLUG');
  const organization = get('BUILDKITE_ORGANIZATION_SLUG');
  // "false" when the build is not for a pull request.
  const pr = get('BUILDKITE_PULL_REQUEST');
  const pullRequest = pr !== '' && pr !== 'false' ? pr : '';
  const tag = get('BUILDKITE_TAG');
  const branch = get('BUILDKITE_BRANCH');
  const runUrl = get('BUILDKITE_BUILD_URL');
  return {
    provider: 'buildkite',
    repository:
      repositoryFromUrl(get('BUILDKITE_REPO')) ||
      (organization !== '' ? `${organization}/${pipeline}` : pipeline),
    branch,
    workflow: pipeline,
    workflowJob: get('BUILDKITE_STEP_KEY') || get('BUILDKITE_LABEL'),
    commit: get('BUILDKITE_COMMIT'),
    runId: get('BUILDKITE_BUILD_ID'),
    runAttempt: get('BUILDKITE_RETRY_COUNT'),
    runNumber: get('BUILDKITE_BUILD_NUMBER'),
    event: pullRequest !== '' ? 'pull_request' : get('BUILDKITE_SOURCE'),
    ref: tag !== '' ? `refs/tags/${tag}` : branch !== '' ? `refs/heads/${branch}` : '',
    pullRequest,
    ...(get('BUILDKITE_PULL_REQUEST_BASE_BRANCH') !== '' && {
      baseBranch: get('BUILDKITE_PULL_REQUEST_BASE_BRANCH'),
    }),
    actor: get('BUILDKITE_BUILD_CREATOR') || get('BUILDKITE_BUILD_AUTHOR'),
    runnerOs: platformName(),
    workspace: get('BUILDKITE_BUILD_CHECKOUT_PATH') || process.cwd(),
    runnerTemp: '',
    ...(runUrl !== '' && { runUrl }),
  };
}

/**
 * A GitLab CI job, read from its predefined variables (docs.gitlab.com/ci/variables/predefined_variables).
 * A merge-request pipeline is grouped under its source branch and carries the MR's IID, as a
 * pull request is on GitHub.
 */
import { platformName, type CiContext } from './context.js';
import { envGetter } from './env.js';

/** True inside a GitLab CI job. */
export function isGitlab(env: NodeJS.ProcessEnv): boolean {
  return env.GITLAB_CI === 'true';
}

/** Reads the context from `env`. */
export function readGitlabContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = envGetter(env);
  const mergeRequest = get('CI_MERGE_REQUEST_IID');
  const tag = get('CI_COMMIT_TAG');
  const branch =
    get('CI_MERGE_REQUEST_SOURCE_BRANCH_NAME') ||
    get('CI_COMMIT_BRANCH') ||
    get('CI_COMMIT_REF_NAME');
  let ref = '';
  if (mergeRequest !== '') ref = `refs/merge-requests/${mergeRequest}/head`;
  else if (tag !== '') ref = `refs/tags/${tag}`;
  else if (branch !== '') ref = `refs/heads/${branch}`;
  const runUrl = get('CI_PIPELINE_URL');
  return {
    provider: 'gitlab-ci',
    repository: get('CI_PROJECT_PATH'),
    branch,
    // GitLab names no workflow; the pipeline's name, else its configuration file, plays that part.
    workflow: get('CI_PIPELINE_NAME') || get('CI_CONFIG_PATH') || '.gitlab-ci.yml',
    workflowJob: get('CI_JOB_NAME'),
    commit: get('CI_COMMIT_SHA'),
    runId: get('CI_PIPELINE_ID'),
    runAttempt: '',
    runNumber: get('CI_PIPELINE_IID'),
    event: get('CI_PIPELINE_SOURCE'),
    ref,
    pullRequest: mergeRequest,
    ...(get('CI_MERGE_REQUEST_TARGET_BRANCH_NAME') !== '' && {
      baseBranch: get('CI_MERGE_REQUEST_TARGET_BRANCH_NAME'),
    }),
    actor: get('GITLAB_USER_LOGIN'),
    runnerOs: platformName(),
    workspace: get('CI_PROJECT_DIR') || process.cwd(),
    runnerTemp: '',
    ...(runUrl !== '' && { runUrl }),
  };
}

/**
 * A Jenkins build, read from the variables Jenkins, its Git plugin and multibranch pipelines set
 * (`JENKINS_URL`, `JOB_NAME`, `BUILD_NUMBER`, `GIT_URL`, `GIT_BRANCH`, `GIT_COMMIT`, `BRANCH_NAME`,
 * `CHANGE_ID`, `CHANGE_BRANCH`: see $JENKINS_URL/env-vars.html). A change request (pull or merge
 * request) is grouped under its source branch and carries its number.
 */
import { platformName, type CiContext } from './context.js';
import { branchName, envGetter, repositoryFromUrl } from './env.js';

/** True inside a Jenkins build. */
export function isJenkins(env: NodeJS.ProcessEnv): boolean {
  return (env.JENKINS_URL ?? '') !== '' && (env.BUILD_NUMBER ?? '') !== '';
}

/** A multibranch job is named `folder/repo/<branch>`: the job without its branch stays stable. */
function jobWithoutBranch(jobName: string, branch: string): string {
  if (branch === '') return jobName;
  for (const suffix of [`/${branch}`, `/${encodeURIComponent(branch)}`]) {
    if (jobName.endsWith(suffix)) return jobName.slice(0, -suffix.length);
  }
  return jobName;
}

/** Reads the context from `env`. */
export function readJenkinsContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = envGetter(env);
  const change = get('CHANGE_ID');
  const branchJob = get('BRANCH_NAME');
  const branch = get('CHANGE_BRANCH') || branchName(get('GIT_BRANCH')) || branchJob;
  const jobName = get('JOB_NAME');
  const runUrl = get('BUILD_URL');
  return {
    provider: 'jenkins',
    repository: repositoryFromUrl(get('GIT_URL')) || jobWithoutBranch(jobName, branchJob),
    branch,
    workflow: jobWithoutBranch(jobName, branchJob),
    workflowJob: get('STAGE_NAME'),
    commit: get('GIT_COMMIT'),
    runId: get('BUILD_NUMBER'),
    runAttempt: '',
    runNumber: get('BUILD_NUMBER'),
    event: change !== '' ? 'change_request' : '',
    ref: get('GIT_BRANCH') || branchJob,
    pullRequest: change,
    ...(get('CHANGE_TARGET') !== '' && { baseBranch: get('CHANGE_TARGET') }),
    actor: get('CHANGE_AUTHOR'),
    runnerOs: platformName(),
    workspace: get('WORKSPACE') || process.cwd(),
    runnerTemp: '',
    ...(runUrl !== '' && { runUrl }),
  };
}

/**
 * An Azure Pipelines job, read from its predefined variables as the agent exports them
 * (`Build.SourceBranch` becomes `BUILD_SOURCEBRANCH`; learn.microsoft.com, "Use predefined variables").
 */
import { platformName, type CiContext } from './context.js';
import { branchName, envGetter } from './env.js';

/** True inside an Azure Pipelines job. */
export function isAzurePipelines(env: NodeJS.ProcessEnv): boolean {
  return (env.TF_BUILD ?? '').toLowerCase() === 'true';
}

/** Agent.OS as GitHub's runners name the platforms. */
const AGENT_OS: Record<string, string> = { Linux: 'Linux', Darwin: 'macOS', Windows_NT: 'Windows' };

/** Reads the context from `env`. */
export function readAzurePipelinesContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = envGetter(env);
  const pullRequest =
    get('SYSTEM_PULLREQUEST_PULLREQUESTNUMBER') || get('SYSTEM_PULLREQUEST_PULLREQUESTID');
  const sourceBranch = get('BUILD_SOURCEBRANCH');
  const branch = branchName(get('SYSTEM_PULLREQUEST_SOURCEBRANCH') || sourceBranch);
  const collection = get('SYSTEM_COLLECTIONURI');
  const project = get('SYSTEM_TEAMPROJECT');
  const buildId = get('BUILD_BUILDID');
  const runUrl =
    collection !== '' && project !== '' && buildId !== ''
      ? `${collection.replace(/\/?$/, '/')}${encodeURIComponent(project)}/_build/results?buildId=${buildId}`
      : '';
  const os = get('AGENT_OS');
  return {
    provider: 'azure-pipelines',
    repository: get('BUILD_REPOSITORY_NAME'),
    branch,
    workflow: get('BUILD_DEFINITIONNAME'),
    workflowJob: get('SYSTEM_JOBDISPLAYNAME') || get('AGENT_JOBNAME'),
    commit: get('BUILD_SOURCEVERSION'),
    runId: buildId,
    runAttempt: get('SYSTEM_JOBATTEMPT'),
    runNumber: get('BUILD_BUILDNUMBER'),
    event: get('BUILD_REASON'),
    ref: sourceBranch,
    pullRequest,
    ...(get('SYSTEM_PULLREQUEST_TARGETBRANCH') !== '' && {
      baseBranch: get('SYSTEM_PULLREQUEST_TARGETBRANCH').replace(/^refs\/heads\//, ''),
    }),
    actor: get('BUILD_REQUESTEDFOR'),
    runnerOs: AGENT_OS[os] ?? (os || platformName()),
    workspace: get('BUILD_SOURCESDIRECTORY') || process.cwd(),
    runnerTemp: get('AGENT_TEMPDIRECTORY'),
    ...(runUrl !== '' && { runUrl }),
  };
}

/** The CI run the action is part of, read from the runner's GITHUB_* and RUNNER_* variables. */

/** CI metadata that becomes grouping labels and `*_run_info` labels. */
export interface CiContext {
  readonly repository: string;
  /** Source branch of a pull request, else the branch or tag that triggered the run. */
  readonly branch: string;
  readonly workflow: string;
  readonly workflowJob: string;
  readonly commit: string;
  readonly runId: string;
  readonly runAttempt: string;
  readonly runNumber: string;
  readonly event: string;
  readonly ref: string;
  readonly actor: string;
  readonly runnerOs: string;
  readonly serverUrl: string;
  readonly workspace: string;
  readonly runnerTemp: string;
}

/** The runner's own names of the platforms, for runs outside a runner. */
const RUNNER_OS_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'Linux',
  darwin: 'macOS',
  win32: 'Windows',
};

/** Reads the context from `env` (the process environment by default). */
export function readCiContext(env: NodeJS.ProcessEnv = process.env): CiContext {
  const get = (name: string, fallback = ''): string => env[name]?.trim() ?? fallback;
  return {
    repository: get('GITHUB_REPOSITORY'),
    branch: get('GITHUB_HEAD_REF') || get('GITHUB_REF_NAME'),
    workflow: get('GITHUB_WORKFLOW'),
    workflowJob: get('GITHUB_JOB'),
    commit: get('GITHUB_SHA'),
    runId: get('GITHUB_RUN_ID'),
    runAttempt: get('GITHUB_RUN_ATTEMPT'),
    runNumber: get('GITHUB_RUN_NUMBER'),
    event: get('GITHUB_EVENT_NAME'),
    ref: get('GITHUB_REF'),
    actor: get('GITHUB_ACTOR'),
    runnerOs: get('RUNNER_OS') || RUNNER_OS_NAMES[process.platform] || process.platform,
    serverUrl: get('GITHUB_SERVER_URL') || 'https://github.com',
    workspace: get('GITHUB_WORKSPACE') || process.cwd(),
    runnerTemp: get('RUNNER_TEMP'),
  };
}

/** Link to the run's page on GitHub, when the context has one. */
export function runUrl(ci: CiContext): string | undefined {
  if (ci.repository === '' || ci.runId === '') return undefined;
  const attempt = ci.runAttempt === '' ? '' : `/attempts/${ci.runAttempt}`;
  return `${ci.serverUrl}/${ci.repository}/actions/runs/${ci.runId}${attempt}`;
}

/**
 * The environment a `run:` step would get, out of the environment the runner gives this
 * JavaScript action: the runner adds the action's inputs (`INPUT_*`) and the Actions runtime
 * service's URLs and token to a JavaScript action's environment only (actions/runner,
 * `NodeScriptActionHandler.cs`; a `run:` step gets neither, see `ScriptHandler.cs`). The test
 * command must not see them: the inputs hold the gateway's password, token, headers and URL with
 * its credentials, and the runtime token can write caches and artifacts of the run.
 */

/** Variables the runner sets for JavaScript actions only, by exact name. */
export const ACTION_ONLY_VARIABLES: readonly string[] = [
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_SERVICE_V2',
];

/**
 * Whether a variable is one the runner gives the action but not a `run:` step: an input, or the
 * runtime service's (with the `_ORIGINAL` copies a cache proxy may keep of the URLs). The OIDC
 * request variables (`ACTIONS_ID_TOKEN_REQUEST_URL`, `_TOKEN`) stay: the runner gives them to
 * `run:` steps too when the job may request an ID token, so that a test can log in to a cloud.
 */
export function isActionOnly(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.startsWith('INPUT_')) return true;
  if (ACTION_ONLY_VARIABLES.includes(upper)) return true;
  return /^ACTIONS_(CACHE|RESULTS)_URL_/.test(upper);
}

/**
 * The environment of a `run:` step out of this process' environment: everything the workflow,
 * the job, the step's `env:` and the runner give every step, without what only a JavaScript
 * action gets; `extra` (what the user adds) last.
 */
export function runStepEnvironment(
  env: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isActionOnly(name)) result[name] = value;
  }
  return { ...result, ...extra };
}

import { describe, expect, it } from 'vitest';
import { isActionOnly, runStepEnvironment } from '../../src/runner/step-environment.js';

describe('runStepEnvironment', () => {
  const actionEnv = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/runner',
    CI: 'true',
    GITHUB_WORKSPACE: '/work',
    GITHUB_TOKEN: 'given-by-the-step-env',
    RUNNER_TEMP: '/tmp/runner',
    RUNNER_TRACKING_ID: 'github_1234',
    'INPUT_PUSHGATEWAY-PASSWORD': 'pw',
    'INPUT_PUSHGATEWAY-URL': 'http://ci:pw@gw:9091',
    INPUT_COMMAND: 'pytest',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token',
    ACTIONS_RUNTIME_URL: 'https://pipelines.example/',
    ACTIONS_CACHE_URL: 'https://cache.example/',
    ACTIONS_RESULTS_URL: 'https://results.example/',
    ACTIONS_CACHE_SERVICE_V2: 'True',
    ACTIONS_CACHE_URL_ORIGINAL: 'https://cache.example/',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
    ACTIONS_STEP_DEBUG: 'true',
  };

  it('keeps what a run: step gets and drops what only a JavaScript action gets', () => {
    expect(runStepEnvironment(actionEnv)).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/runner',
      CI: 'true',
      GITHUB_WORKSPACE: '/work',
      GITHUB_TOKEN: 'given-by-the-step-env',
      RUNNER_TEMP: '/tmp/runner',
      RUNNER_TRACKING_ID: 'github_1234',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
      ACTIONS_STEP_DEBUG: 'true',
    });
  });

  it('adds what the caller adds, last', () => {
    expect(runStepEnvironment({ A: '1', INPUT_X: 'y' }, { A: '2', B: '3' })).toEqual({
      A: '2',
      B: '3',
    });
  });

  it('recognises inputs whatever the case', () => {
    expect(isActionOnly('input_pushgateway-token')).toBe(true);
    expect(isActionOnly('INPUTS')).toBe(false);
  });
});

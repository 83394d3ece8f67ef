/** A fresh copy of examples/python-suite in a temp workspace, as a checkout would have it. */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run-action.js';

/** Debian's interpreter, the one that has pytest and pytest-benchmark. */
export const PYTHON = '/usr/bin/python3';

/** Copies the example suite into `<workspace>/python-suite` and returns the workspace. */
export async function exampleWorkspace(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'rma-e2e-'));
  await cp(join(ROOT, 'examples', 'python-suite'), join(workspace, 'python-suite'), {
    recursive: true,
    filter: (source) => !source.includes('__pycache__'),
  });
  return workspace;
}

/** Inputs that run the example suite with a JUnit report. */
export function exampleInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    command: `${PYTHON} -m pytest --junitxml=report.xml tests`,
    'working-directory': 'python-suite',
    'report-paths': 'report.xml',
    'sample-interval': '0.2',
    'gateway-wait-seconds': '5',
    ...extra,
  };
}

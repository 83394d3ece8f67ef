/** `npm run demo`, the README's first command, on both of its example suites. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run-action.js';

function demo(env: Record<string, string>): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout };
}

describe('npm run demo', () => {
  it('runs the bundled action on the Python example and prints summary, outputs and metrics', () => {
    const { status, stdout } = demo({});
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('Running dist/index.js on examples/python-suite');
    expect(stdout).toContain('## ✅ Reliability tests passed');
    expect(stdout).toContain('Not pushed: `pushgateway-url` is not set.');
    expect(stdout).toMatch(/tests-total = 9/);
    expect(stdout).toMatch(/reliability_latency_seconds\{test="tests\.test_tracer\.TestLatency/);
    expect(stdout).toContain('The step would pass.');
  });

  it('shows a failing run with EXAMPLE_FAIL, and fails as the step would', () => {
    const { status, stdout } = demo({ EXAMPLE_FAIL: '1' });
    expect(status).toBe(1);
    expect(stdout).toContain('## ❌ Reliability tests failed (exit code 1)');
    expect(stdout).toContain('checkout returned HTTP 503');
  });

  it('falls back to the Node suite where there is no pytest', () => {
    const { status, stdout } = demo({ DEMO_SUITE: 'node' });
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('Running dist/index.js on examples/node-suite');
    expect(stdout).toMatch(/6 passed · 0 failed · 1 skipped/);
  });
});

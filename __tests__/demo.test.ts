/** `npm run demo`, the README's first command, on both of its example suites. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run-action.js';

function demo(
  env: Record<string, string>,
  path = process.env.PATH ?? '',
): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
    encoding: 'utf8',
    env: { PATH: path, HOME: process.env.HOME ?? '/tmp', ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout };
}

const hasStack = ['prometheus', 'prometheus-pushgateway'].every(
  (name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0,
);

describe('npm run demo', () => {
  it.skipIf(!hasStack)(
    `sends four runs through a throwaway Pushgateway and remote write, and shows what Prometheus holds${hasStack ? '' : ' [SKIPPED: prometheus and prometheus-pushgateway are not installed]'}`,
    () => {
      const { status, stdout } = demo({});
      // The last of the four runs passes, so the demo ends as that step would: green.
      expect(status, stdout).toBe(0);
      expect(stdout).toMatch(/Started a throwaway Pushgateway \(http:\/\/127\.0\.0\.1:\d+\)/);
      expect(stdout.match(/pushed true/g)).toHaveLength(4);
      expect(stdout).toMatch(
        /4 points: [\d:.]+ failed, [\d:.]+ passed, [\d:.]+ failed, [\d:.]+ passed/,
      );
      expect(stdout).toContain(
        'query: reliability_run_success{repository="acme/widgets", branch="demo/local", path=""}[15m]',
      );
      expect(stdout).toMatch(/remote write: 50\.0 % of runs/);
      expect(stdout).toMatch(/remote write: 0\.0 %/);
      expect(stdout).toMatch(/remote write: observe_decorator \d+\.\d{3} ms/);
      expect(stdout).toMatch(/Stopped the Pushgateway and Prometheus; removed /);
    },
  );

  it('runs the bundled action once on the Python example and prints summary, outputs and metrics', () => {
    const { status, stdout } = demo({ DEMO_STACK: '0' });
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('Running dist/index.js on examples/python-suite');
    expect(stdout).toContain('## ✅ Reliability tests passed');
    expect(stdout).toContain('Not pushed: `pushgateway-url` is not set.');
    expect(stdout).toMatch(/tests-total = 9/);
    expect(stdout).toMatch(/reliability_latency_seconds\{test="tests\.test_tracer\.TestLatency/);
    expect(stdout).toContain('The step would pass.');
  });

  it('without the Debian binaries, runs once and says how to get them', () => {
    // A PATH with a shell and nothing else: no prometheus, no prometheus-pushgateway.
    const bin = mkdtempSync(join(tmpdir(), 'rma-demo-path-'));
    for (const tool of ['bash', 'sh']) symlinkSync(`/bin/${tool}`, join(bin, tool));
    const { status, stdout } = demo({}, bin);
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('apt-get install prometheus prometheus-pushgateway');
    expect(stdout).toContain('Not pushed: `pushgateway-url` is not set.');
  });

  it('shows a failing run with EXAMPLE_FAIL, and fails as the step would', () => {
    const { status, stdout } = demo({ EXAMPLE_FAIL: '1', DEMO_STACK: '0' });
    expect(status).toBe(1);
    expect(stdout).toContain('## ❌ Reliability tests failed (exit code 1)');
    expect(stdout).toContain('checkout returned HTTP 503');
  });

  it('falls back to the Node suite where there is no pytest', () => {
    const { status, stdout } = demo({ DEMO_SUITE: 'node', DEMO_STACK: '0' });
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('Running dist/index.js on examples/node-suite');
    expect(stdout).toMatch(/6 passed · 0 failed · 1 skipped/);
  });
});

/**
 * Faults of the test command, met by the real bundled action: whatever the command does, the
 * verdict is kept, the whole tree is ended when it must be, and what was measured is pushed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, PYTHON } from '../helpers/example-suite.js';
import { runAction } from '../helpers/run-action.js';
import { startPushgateway, type Service } from '../helpers/services.js';
import { isAlive } from '../helpers/processes.js';

/** The gateway's current value of `metric` in the group of `suite`. */
async function gatewayValue(
  gateway: Service,
  suite: string,
  metric: string,
): Promise<number | undefined> {
  const body = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as {
    data: ({ labels: Record<string, string> } & Record<
      string,
      { metrics?: { value: string }[] }
    >)[];
  };
  const group = body.data.find((g) => g.labels.suite === suite && g.labels.record === undefined);
  const value = group?.[metric]?.metrics?.[0]?.value;
  return value === undefined ? undefined : Number(value);
}

/** Pids a command wrote to `pids` in its workspace. */
async function pidsOf(workspace: string): Promise<number[]> {
  const text = await readFile(join(workspace, 'pids'), 'utf8');
  return text.trim().split('\n').map(Number);
}

// A child, a grandchild, and a daemon that leaves the process group with setsid.
const TREE =
  'sleep 300 & echo $! >> pids; (sleep 301 & echo $! >> pids; wait) & setsid sleep 302 & echo $! >> pids; wait';

describe('command faults', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('command not found: exit code 127, the step fails and says so', async () => {
    const run = await runAction({ inputs: { command: 'no-such-test-runner --all' } });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('127');
    expect(run.stdout).toContain('::error::The test command failed with exit code 127.');
    expect(run.summary).toContain('failed (exit code 127)');
  });

  it('killed by a signal: 128 + signal, and the signal named', async () => {
    const run = await runAction({ inputs: { command: 'kill -KILL $$' } });
    expect(run.outputs['exit-code']).toBe('137');
    expect(run.stdout).toContain('::error::The test command was ended by SIGKILL (exit code 137).');
    expect(run.summary).toContain('(exit code 137, SIGKILL)');
  });

  it('a suite that hangs past timeout-minutes: the whole tree is ended and the run pushed as timed out', async () => {
    const workspace = await exampleWorkspace();
    const started = Date.now();
    const run = await runAction({
      workspace,
      inputs: {
        command: TREE,
        'timeout-minutes': '0.03',
        'pushgateway-url': gateway.url,
        suite: 'hang',
      },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('124');
    expect(run.summary).toContain('⏱️ Reliability tests timed out');
    for (const pid of await pidsOf(workspace)) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(await gatewayValue(gateway, 'hang', 'reliability_run_timed_out')).toBe(1);
    expect(await gatewayValue(gateway, 'hang', 'reliability_run_exit_code')).toBe(124);
  });

  it('a suite that forks workers (pytest-xdist): every worker is sampled', async () => {
    const run = await runAction({
      workspace: await exampleWorkspace(),
      inputs: {
        command: `${PYTHON} -m pytest -n 2 --junitxml=report.xml tests`,
        'working-directory': 'python-suite',
        'sample-interval': '0.1',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['tests-total']).toBe('9');
    const processes =
      /\| Processes \(max\) \| Samples \|\n\| [^\n]*\n\| (?:[^|]*\|){5} (\d+) \|/.exec(
        run.summary,
      )?.[1];
    expect(Number(processes)).toBeGreaterThanOrEqual(3); // pytest and its two workers
  });

  it('a suite that prints megabytes: streamed through, nothing held up', async () => {
    const run = await runAction({
      inputs: { command: "head -c 20000000 /dev/zero | tr '\\0' x | fold -w 200" },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(20_000_000);
  });

  it('cancellation (SIGINT, then SIGTERM): the tree is ended, partial metrics pushed within seconds, nothing left running', async () => {
    const workspace = await exampleWorkspace();
    let action = 0;
    const started = Date.now();
    const timers: NodeJS.Timeout[] = [];
    const run = await runAction({
      workspace,
      inputs: { command: TREE, 'pushgateway-url': gateway.url, suite: 'cancelled' },
      onSpawn: (pid) => {
        action = pid;
        timers.push(setTimeout(() => process.kill(action, 'SIGINT'), 1500));
        timers.push(setTimeout(() => process.kill(action, 'SIGTERM'), 1800));
      },
    });
    timers.forEach(clearTimeout);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(8_000);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Received SIGINT');
    expect(run.stdout).toContain('::error::The run was cancelled.');
    expect(run.outputs.pushed).toBe('true');
    expect(run.summary).toContain('🛑 Reliability tests cancelled');
    for (const pid of await pidsOf(workspace)) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(await gatewayValue(gateway, 'cancelled', 'reliability_run_success')).toBe(0);
  });
});

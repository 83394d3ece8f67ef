/**
 * Job cancellation in the phases around the command, signalled to the bundled action as the
 * runner does: while it waits for the gateway, and while a slow push is under way. Every phase
 * ends promptly, and the metrics file, the summary and the outputs still come out.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startFaultServer } from '../helpers/fault-server.js';
import { runAction } from '../helpers/run-action.js';

describe('cancellation around the command', () => {
  it('SIGTERM while waiting for the gateway: the wait ends, the command never runs, everything is written', async () => {
    let action = 0;
    let signalled = 0;
    const server = await startFaultServer((i, _req, res) => {
      if (i === 1) {
        signalled = Date.now();
        process.kill(action, 'SIGTERM');
      }
      res.writeHead(503).end('starting');
    });
    const run = await runAction({
      inputs: {
        command: 'echo COMMAND-RAN',
        'pushgateway-url': server.url,
        'gateway-wait-seconds': '120',
        'gateway-required': 'true',
      },
      onSpawn: (pid) => (action = pid),
    });
    const ended = Date.now();
    await server.close();
    expect(signalled).toBeGreaterThan(0);
    expect(ended - signalled).toBeLessThan(8_000);
    expect(run.signal).toBeNull();
    expect(run.stdout).toContain('Received SIGTERM');
    expect(run.stdout).toMatch(/The wait for Pushgateway .* was cancelled/);
    expect(run.stdout).not.toContain('COMMAND-RAN\n');
    expect(run.stdout).toContain('::error::The run was cancelled.');
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('143');
    expect(run.outputs.pushed).toBe('false');
    expect(run.summary).toContain('cancelled');
    const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
    expect(metrics).toContain('reliability_run_success 0');
  });

  it('SIGTERM during a slow push: the push gives way within seconds, the verdict stays the command’s', async () => {
    let action = 0;
    let signalled = 0;
    const server = await startFaultServer((_i, req, res) => {
      if (req.url === '/-/ready') {
        res.writeHead(200).end('OK');
        return;
      }
      // The PUT arrived in full: the push is under way, and never answered.
      signalled = Date.now();
      process.kill(action, 'SIGTERM');
    });
    const run = await runAction({
      inputs: {
        command: 'echo tests ran',
        'pushgateway-url': server.url,
        'push-timeout-seconds': '120',
      },
      onSpawn: (pid) => (action = pid),
    });
    const ended = Date.now();
    await server.close();
    expect(signalled).toBeGreaterThan(0);
    // 3 s of grace for the push, then the summary and the outputs: far from 120 s.
    expect(ended - signalled).toBeLessThan(8_000);
    expect(ended - signalled).toBeGreaterThanOrEqual(2_500);
    expect(run.signal).toBeNull();
    expect(run.exitCode).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.outputs.pushed).toBe('false');
    expect(run.stdout).toMatch(
      /::warning::Could not push the metrics to .*cancelled before the gateway answered \(the job was cancelled\)/,
    );
    expect(run.summary).toMatch(/❌ Push to .* failed/);
    const metrics = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
    expect(metrics).toContain('reliability_run_success 1');
  });
});

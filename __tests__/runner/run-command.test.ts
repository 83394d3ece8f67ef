import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand, TIMEOUT_EXIT_CODE } from '../../src/runner/run-command.js';
import { isAlive } from '../helpers/processes.js';

const base = { cwd: process.cwd(), sampleIntervalMs: 100, timeoutMs: 0 };

describe('runCommand', () => {
  it('reports the exit code of the command', async () => {
    expect((await runCommand({ ...base, command: 'exit 3' })).exitCode).toBe(3);
    expect((await runCommand({ ...base, command: 'true' })).exitCode).toBe(0);
  });

  it('fails a pipeline whose first command fails, as GitHub run steps do', async () => {
    expect((await runCommand({ ...base, command: 'false | cat' })).exitCode).toBe(1);
  });

  it('gives 127 for a command that does not exist', async () => {
    const run = await runCommand({ ...base, command: 'definitely-not-a-command-xyz' });
    expect(run.exitCode).toBe(127);
  });

  it('gives 128 + signal when a signal ends the command', async () => {
    const run = await runCommand({ ...base, command: 'kill -KILL $$' });
    expect(run.exitCode).toBe(137);
    expect(run.signal).toBe('SIGKILL');
  });

  it('runs in the working directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-cwd-'));
    await runCommand({ ...base, cwd: dir, command: 'pwd > where.txt' });
    expect((await readFile(join(dir, 'where.txt'), 'utf8')).trim()).toBe(dir);
  });

  it('samples the memory of the whole tree, grandchildren included', async () => {
    // bash -> python3 -> a child python3 that holds 150 MB for a second (the trailing `; true` stops bash from exec-ing python)
    const script =
      'import subprocess,sys; subprocess.run([sys.executable, "-c", "b=bytearray(150*1024*1024); b[::4096]=b\\"x\\"*len(b[::4096]); import time; time.sleep(1.2)"])';
    const run = await runCommand({ ...base, command: `/usr/bin/python3 -c '${script}'; true` });
    expect(run.exitCode).toBe(0);
    expect(run.resources.peakRssBytes).toBeGreaterThan(150 * 1024 * 1024);
    expect(Math.max(...run.resources.samples.map((s) => s.processes))).toBeGreaterThanOrEqual(3);
  });

  it('measures CPU of the tree', async () => {
    const run = await runCommand({
      ...base,
      command: 'timeout 1 sh -c "while :; do :; done"; true',
    });
    expect(run.resources.cpuSeconds).toBeGreaterThan(0.5);
    expect(run.resources.maxCpuPercent).toBeGreaterThan(50);
  });

  it('gives the mean CPU of a run shorter than one sample interval', async () => {
    const run = await runCommand({
      ...base,
      sampleIntervalMs: 1000,
      command: 'timeout 0.5 sh -c "while :; do :; done"; true',
    });
    expect(run.resources.samples.length).toBeLessThanOrEqual(1);
    expect(run.resources.meanCpuPercent).toBeGreaterThan(40);
  });

  it('ends the whole tree on timeout, daemons included, and records it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-timeout-'));
    const pids = join(dir, 'pids');
    // A child, a grandchild, and a daemon that leaves the process group with setsid.
    const command = `sleep 300 & echo $! >> ${pids}; (sleep 301 & echo $! >> ${pids}; wait) & setsid sleep 302 & echo $! >> ${pids}; sleep 0.3; wait`;
    const started = Date.now();
    const run = await runCommand({ ...base, command, timeoutMs: 1000, graceMs: 1000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.timedOut).toBe(true);
    expect(run.exitCode).toBe(TIMEOUT_EXIT_CODE);
    const started3 = (await readFile(pids, 'utf8')).trim().split('\n').map(Number);
    expect(started3).toHaveLength(3);
    for (const pid of started3) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
  });

  it('kills a tree that ignores SIGTERM after the grace period', async () => {
    const run = await runCommand({
      ...base,
      command: `/usr/bin/python3 -c 'import signal,time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)'`,
      timeoutMs: 500,
      graceMs: 500,
    });
    expect(run.timedOut).toBe(true);
    expect(run.durationSeconds).toBeLessThan(5);
  });

  it('ends the tree when cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 300);
    const run = await runCommand({ ...base, command: 'sleep 300', signal: controller.signal });
    expect(run.cancelled).toBe(true);
    expect(run.durationSeconds).toBeLessThan(5);
  });

  it('reports a working directory that does not exist as a start failure', async () => {
    const run = await runCommand({ ...base, cwd: '/nonexistent/dir', command: 'true' });
    expect(run.exitCode).toBe(127);
    expect(run.spawnError).toMatch(/could not start/);
    expect(existsSync('/nonexistent/dir')).toBe(false);
  });
});

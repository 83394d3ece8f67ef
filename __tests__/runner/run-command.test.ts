import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftRunningWarning, runCommand, TIMEOUT_EXIT_CODE } from '../../src/runner/run-command.js';
import { isAlive } from '../helpers/processes.js';

/** A python3 that uses `seconds` of CPU time (not wall time: the machine may be busy), then exits. */
const busy = (seconds: number): string =>
  `/usr/bin/python3 -c 'import time\nwhile time.process_time() < ${seconds}: pass'`;

/** Pids a command wrote to a file, one a line. */
const pidsIn = async (file: string): Promise<number[]> =>
  (await readFile(file, 'utf8')).trim().split('\n').map(Number);

/**
 * A daemon as test suites start servers: a double fork plus setsid, so that it is neither a
 * descendant of the command nor in its process group; it holds 100 MiB and writes its pid.
 */
const daemon = (pidFile: string): string =>
  `( setsid /usr/bin/python3 -c 'import os,time\nb=bytearray(100<<20)\nb[::4096]=b"x"*len(b[::4096])\nopen("${pidFile}","a").write(f"{os.getpid()}\\n")\ntime.sleep(300)' & )`;

const base = { cwd: process.cwd(), sampleIntervalMs: 100, timeoutMs: 0, env: process.env };

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

  it('adds up the CPU of a known shape: two busy processes and a child shorter than one interval', async () => {
    // Two processes use 1.5 s of CPU each (python's process time counts its start-up), and a
    // child started and ended between two samples uses 0.3 s: 3.3 s, and a few ms of bash.
    // Without the child it would be 3.0 s.
    const run = await runCommand({
      ...base,
      sampleIntervalMs: 2000,
      command: `${busy(1.5)} & ${busy(1.5)} & sleep 0.4; ${busy(0.3)}; wait`,
    });
    const { resources } = run;
    expect(resources.cpuSeconds).toBeGreaterThan(3.25);
    expect(resources.cpuSeconds).toBeLessThan(3.5);
    expect(resources.meanCpuPercent).toBeCloseTo(
      (resources.cpuSeconds / run.durationSeconds) * 100,
      6,
    );
    const cpu = resources.samples.map((s) => s.cpuPercent);
    expect(resources.maxCpuPercent).toBe(Math.max(...cpu));
    expect(resources.maxCpuPercent).toBeGreaterThanOrEqual(resources.meanCpuPercent);
    expect(cpu[0]).toBeGreaterThan(0);
    const last = resources.samples[resources.samples.length - 1];
    expect(last?.t).toBeGreaterThan(run.durationSeconds - 0.1);
  });

  it("stamps the run's end to the millisecond, so a short run never ends before the previous one", async () => {
    // Remote write stamps a run's points with its end: whole seconds put it up to 1 s early.
    const ends: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      const run = await runCommand({ ...base, command: 'true' });
      const after = Date.now();
      const end = (run.startedAt + run.durationSeconds) * 1000;
      expect(end).toBeGreaterThanOrEqual(before);
      expect(end).toBeLessThanOrEqual(after);
      ends.push(end);
    }
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
  });

  it('gives the CPU of a run shorter than one sample interval', async () => {
    const run = await runCommand({ ...base, sampleIntervalMs: 60_000, command: busy(0.3) });
    expect(run.resources.samples).toHaveLength(1);
    expect(run.resources.samples[0]?.cpuPercent).toBe(run.resources.maxCpuPercent);
    expect(run.resources.cpuSeconds).toBeGreaterThan(0.29);
    expect(run.resources.cpuSeconds).toBeLessThan(0.5);
    expect(run.resources.meanCpuPercent).toBeCloseTo(
      (run.resources.cpuSeconds / run.durationSeconds) * 100,
      6,
    );
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

  it('samples a daemon that detached with a double fork and setsid, and ends it on timeout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-daemon-'));
    const pids = join(dir, 'pids');
    const run = await runCommand({
      ...base,
      command: `${daemon(pids)}; sleep 300`,
      timeoutMs: 2500,
      graceMs: 1000,
    });
    expect(run.timedOut).toBe(true);
    const [pid = 0] = await pidsIn(pids);
    expect(pid).toBeGreaterThan(0);
    expect(run.resources.peakRssBytes).toBeGreaterThan(100 << 20);
    expect(isAlive(pid), `daemon ${pid} still alive`).toBe(false);
  });

  it('ends a detached daemon on cancellation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-daemon-'));
    const pids = join(dir, 'pids');
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 1500);
    const run = await runCommand({
      ...base,
      command: `${daemon(pids)}; sleep 300`,
      signal: controller.signal,
    });
    expect(run.cancelled).toBe(true);
    const [pid = 0] = await pidsIn(pids);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid), `daemon ${pid} still alive`).toBe(false);
  });

  it('names a daemon still running when the command ends on its own, and leaves it running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-daemon-'));
    const pids = join(dir, 'pids');
    const run = await runCommand({
      ...base,
      command: `${daemon(pids)}; while [ ! -s ${pids} ]; do sleep 0.1; done; sleep 0.5`,
    });
    const [pid = 0] = await pidsIn(pids);
    try {
      expect(run.exitCode).toBe(0);
      expect(run.resources.peakRssBytes).toBeGreaterThan(100 << 20);
      expect(run.leftRunning).toEqual([{ pid, name: 'python3' }]);
      expect(isAlive(pid)).toBe(true);
      expect(leftRunningWarning(run.leftRunning)).toContain(`python3 (pid ${pid})`);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  it('hands the command the environment it is given, with the tree’s marker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-env-'));
    await runCommand({
      ...base,
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY_THIS: 'yes' },
      command: 'env > env.txt',
    });
    const names = (await readFile(join(dir, 'env.txt'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(names).toContain('ONLY_THIS');
    expect(names).toContain('RELIABILITY_METRICS_TREE');
    expect(names).not.toContain('HOME');
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

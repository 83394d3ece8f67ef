/**
 * The command's process tree through the bundled action, against a real Pushgateway: CPU that
 * adds up on a command of known CPU shape (the chart, the Resources table, the outputs, the
 * metrics file and the pushed gauges agree), and daemons that detach with a double fork and
 * `setsid` found, sampled and ended on timeout and cancellation, proven by pid.
 */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/processes.js';
import { runAction, type ActionRun } from '../helpers/run-action.js';
import { startPushgateway, type Service } from '../helpers/services.js';

/** A python3 that uses `seconds` of CPU time (not wall time: the machine may be busy). */
const busy = (seconds: number): string =>
  `/usr/bin/python3 -c 'import time\nwhile time.process_time() < ${seconds}: pass'`;

/**
 * A daemon as suites start servers: double fork plus setsid, output away from the step's (or the
 * runner would wait for it), 100 MiB held, pid written.
 */
const daemon = (pidFile: string): string =>
  `( setsid /usr/bin/python3 -c 'import os,time\nb=bytearray(100<<20)\nb[::4096]=b"x"*len(b[::4096])\nopen("${pidFile}","a").write(f"{os.getpid()}\\n")\ntime.sleep(300)' </dev/null >/dev/null 2>&1 & )`;

/** The value of `metric` in an exposition, on the line whose labels include `labels`. */
function sampleOf(exposition: string, metric: string, labels = ''): number {
  const line = exposition
    .split('\n')
    .find((l) => /^[a-z_]+/.exec(l)?.[0] === metric && l.includes(labels));
  if (line === undefined) throw new Error(`${metric} ${labels} not in the exposition`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The x and y values of the summary's CPU chart. */
function cpuChart(summary: string): { t: number[]; v: number[] } {
  const block = summary.slice(summary.indexOf('title "CPU of the process tree'));
  const list = (prefix: RegExp): number[] =>
    (prefix.exec(block)?.[1] ?? '').split(',').map((x) => Number(x.trim()));
  return { t: list(/x-axis "seconds" \[([^\]]*)\]/), v: list(/\n {2}line \[([^\]]*)\]/) };
}

/** The Resources table's cells by header. */
function resourcesTable(summary: string): Record<string, string> {
  const lines = summary.split('\n');
  const at = lines.findIndex((l) => l.startsWith('| Peak RSS |'));
  const cells = (l: string | undefined): string[] =>
    (l ?? '')
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const headers = cells(lines[at]);
  const values = cells(lines[at + 2]);
  return Object.fromEntries(headers.map((h, i) => [h, values[i] ?? '']));
}

const pidsIn = async (file: string): Promise<number[]> =>
  (await readFile(file, 'utf8')).trim().split('\n').map(Number);

describe('the process tree through the bundle', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('CPU of a known shape adds up, and chart, table, outputs, file and gateway agree', async () => {
    // Two processes use 1.5 s of CPU each (python's process time counts its start-up); a child
    // that starts at 0.4 s and uses 0.3 s, ended before the first sample (1 s apart): 3.3 s in
    // all, and a few ms of bash. Without the child it would be 3.0 s. With samples 2 s apart a
    // fast machine ends the run before the first one, leaving the chart a single point.
    const run: ActionRun = await runAction({
      inputs: {
        command: `${busy(1.5)} & ${busy(1.5)} & sleep 0.4; ${busy(0.3)}; wait`,
        'sample-interval': '1',
        'pushgateway-url': gateway.url,
        suite: 'cpu-shape',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const file = await readFile(run.outputs['metrics-file'] ?? '', 'utf8');
    const cpuSeconds = sampleOf(file, 'reliability_process_cpu_seconds');
    const mean = sampleOf(file, 'reliability_process_cpu_percent', 'stat="mean"');
    const max = sampleOf(file, 'reliability_process_cpu_percent', 'stat="max"');
    const duration = sampleOf(file, 'reliability_run_duration_seconds');
    expect(cpuSeconds).toBeGreaterThan(3.25);
    expect(cpuSeconds).toBeLessThan(3.5);
    expect(mean).toBeCloseTo((cpuSeconds / duration) * 100, 1);
    expect(Number(run.outputs['cpu-mean-percent'])).toBeCloseTo(mean, 1);
    expect(max).toBeGreaterThanOrEqual(mean);
    expect(max).toBeLessThanOrEqual(cpus().length * 100 + 5);

    const chart = cpuChart(run.summary);
    expect(chart.v.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...chart.v)).toBeCloseTo(max, 1);
    expect(chart.t[chart.t.length - 1]).toBeGreaterThanOrEqual(duration - 0.1); // sampled to the end
    // The samples add up to the CPU time (times and values are rounded in the chart).
    const integral = chart.v.reduce(
      (sum, v, i) => sum + (v / 100) * ((chart.t[i] ?? 0) - (chart.t[i - 1] ?? 0)),
      0,
    );
    expect(integral).toBeGreaterThan(cpuSeconds * 0.97);
    expect(integral).toBeLessThan(cpuSeconds * 1.03);

    const table = resourcesTable(run.summary);
    expect(table['Max CPU']).toBe(`${max.toFixed(1)}%`);
    expect(table['Mean CPU']).toBe(`${mean.toFixed(1)}%`);

    const pushed = await (await fetch(`${gateway.url}/metrics`)).text();
    const inGroup = pushed
      .split('\n')
      .filter((l) => l.includes('suite="cpu-shape"'))
      .join('\n');
    expect(sampleOf(inGroup, 'reliability_process_cpu_percent', 'stat="max"')).toBeCloseTo(max, 6);
    expect(sampleOf(inGroup, 'reliability_process_cpu_percent', 'stat="mean"')).toBeCloseTo(
      mean,
      6,
    );
    expect(sampleOf(inGroup, 'reliability_process_cpu_seconds')).toBeCloseTo(cpuSeconds, 6);
  });

  it('a detached daemon is sampled and ended on timeout-minutes, with nothing left running', async () => {
    const run = await runAction({
      inputs: {
        command: `${daemon('pids')}; sleep 300`,
        'timeout-minutes': '0.05',
        'sample-interval': '0.5',
      },
    });
    expect(run.outputs['exit-code']).toBe('124');
    const [pid = 0] = await pidsIn(join(run.workspace, 'pids'));
    expect(pid).toBeGreaterThan(0);
    expect(Number(run.outputs['peak-memory-bytes'])).toBeGreaterThan(100 << 20);
    expect(isAlive(pid), `daemon ${pid} still alive`).toBe(false);
  });

  it('a detached daemon is ended on cancellation', async () => {
    const timers: NodeJS.Timeout[] = [];
    const run = await runAction({
      inputs: { command: `${daemon('pids')}; sleep 300` },
      onSpawn: (pid) => {
        timers.push(setTimeout(() => process.kill(pid, 'SIGINT'), 2000));
      },
    });
    timers.forEach(clearTimeout);
    expect(run.stdout).toContain('::error::The run was cancelled.');
    const [pid = 0] = await pidsIn(join(run.workspace, 'pids'));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid), `daemon ${pid} still alive`).toBe(false);
  });

  it('a daemon still running when the command ends is named in a warning and left running', async () => {
    const run = await runAction({
      inputs: { command: `${daemon('pids')}; while [ ! -s pids ]; do sleep 0.1; done` },
    });
    const [pid = 0] = await pidsIn(join(run.workspace, 'pids'));
    try {
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(
        `::warning::The command left 1 process(es) running: python3 (pid ${pid}).`,
      );
      expect(isAlive(pid)).toBe(true);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});

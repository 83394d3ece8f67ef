import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  environHas,
  parseFullStat,
  parseProcStat,
  processEnvironHas,
  readStat,
  systemUnits,
} from '../../src/runner/proc-files.js';

const STAT =
  '4242 (my (weird) name) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 50 30 20 20 0 1 0 987654 1000 200';

describe('parseProcStat', () => {
  it('reads the parent pid and start time even when the command name has spaces and parentheses', () => {
    expect(parseProcStat(STAT)).toEqual({ ppid: 17, start: 987654 });
  });

  it('reads this process from /proc', async () => {
    const parsed = parseProcStat(await readFile('/proc/self/stat', 'latin1'));
    expect(parsed?.ppid).toBe(process.ppid);
  });
});

describe('parseFullStat', () => {
  it('converts CPU ticks and RSS pages with the system’s units', () => {
    expect(parseFullStat(4242, STAT, { clockTicks: 250, pageSize: 16384 })).toEqual({
      pid: 4242,
      ppid: 17,
      start: 987654,
      threads: 1,
      state: 'S',
      cpuSeconds: 300 / 250,
      childCpuSeconds: 50 / 250,
      rssBytes: 200 * 16384,
      name: 'my (weird) name',
    });
  });
});

describe('systemUnits', () => {
  it('asks the system, as getconf answers', () => {
    const getconf = (name: string): number =>
      Number(execFileSync('getconf', [name], { encoding: 'utf8' }));
    expect(systemUnits()).toEqual({
      clockTicks: getconf('CLK_TCK'),
      pageSize: getconf('PAGESIZE'),
    });
  });

  it('gives this process’ CPU time as process.cpuUsage does, to the clock tick', () => {
    const started = Date.now();
    while (Date.now() - started < 300); // burn some CPU
    const usage = process.cpuUsage();
    const stat = readStat(process.pid);
    const tick = 1 / systemUnits().clockTicks;
    expect(stat?.cpuSeconds).toBeGreaterThan((usage.user + usage.system) / 1e6 - 2 * tick - 0.05);
    expect(stat?.rssBytes).toBeCloseTo(process.memoryUsage.rss(), -7);
  });
});

describe('environHas', () => {
  it('matches a whole NAME=value entry only', () => {
    const environ = 'A=1\0MARK=abc\0B=MARK=abcd\0';
    expect(environHas(environ, 'MARK=abc')).toBe(true);
    expect(environHas(environ, 'A=1')).toBe(true);
    expect(environHas(environ, 'MARK=ab')).toBe(false);
    expect(environHas('B=MARK=abcd\0', 'MARK=abcd')).toBe(false);
    expect(environHas('X=1\0MARK=abc', 'MARK=abc')).toBe(true);
  });

  it('reads the environment a process started with', () => {
    expect(processEnvironHas(process.pid, `PATH=${process.env.PATH ?? ''}`)).toBe(true);
    expect(processEnvironHas(process.pid, 'NO_SUCH_VARIABLE=1')).toBe(false);
    expect(processEnvironHas(1, 'PATH=/x')).toBe(false); // not ours to read, or no such entry
  });
});

/**
 * Reads Linux's /proc: one process' stat line (parent, start time, CPU time, RSS), its
 * environment, and the system's clock tick and page size. The reads are synchronous: /proc files
 * are generated in memory, and one synchronous read costs a fraction of an asynchronous one (no
 * thread-pool round trips, no promise per file).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** What /proc/<pid>/stat says about a process, CPU times in seconds. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in clock ticks since boot: with the pid, an identity that survives pid reuse. */
  readonly start: number;
  readonly threads: number;
  /** One-letter state: R running, S sleeping, Z zombie (ended, not yet waited for), … */
  readonly state: string;
  /** CPU time the process used itself (user + system), all its threads. */
  readonly cpuSeconds: number;
  /** CPU time of the children it waited for (cutime + cstime), theirs included. */
  readonly childCpuSeconds: number;
  readonly rssBytes: number;
  /** The command name the kernel keeps (15 characters at most). */
  readonly name: string;
}

/** The fields of /proc/<pid>/stat after "pid (comm) ", or undefined when it is not one. */
export function statFields(text: string): string[] | undefined {
  const close = text.lastIndexOf(')');
  return close < 0 ? undefined : text.slice(close + 2).split(' ');
}

/** Parses /proc/<pid>/stat; the command name may contain spaces and parentheses. */
export function parseProcStat(text: string): { ppid: number; start: number } | undefined {
  const fields = statFields(text);
  if (fields === undefined) return undefined;
  // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss ...
  const ppid = Number(fields[1]);
  const start = Number(fields[19]);
  if (!Number.isInteger(ppid)) return undefined;
  return { ppid, start: Number.isFinite(start) ? start : 0 };
}

/** Clock ticks per second and page size of this system, as `getconf` gives them. */
export interface SystemUnits {
  readonly clockTicks: number;
  readonly pageSize: number;
}

/** Parses a full stat line with the system's units. */
export function parseFullStat(pid: number, text: string, units: SystemUnits): ProcStat | undefined {
  const fields = statFields(text);
  const parsed = parseProcStat(text);
  if (fields === undefined || parsed === undefined) return undefined;
  const number = (index: number): number => {
    const value = Number(fields[index]);
    return Number.isFinite(value) ? value : 0;
  };
  const open = text.indexOf('(');
  return {
    pid,
    ...parsed,
    threads: number(17),
    state: fields[0] ?? '',
    cpuSeconds: (number(11) + number(12)) / units.clockTicks,
    childCpuSeconds: (number(13) + number(14)) / units.clockTicks,
    rssBytes: number(21) * units.pageSize,
    name: text.slice(open + 1, text.lastIndexOf(')')),
  };
}

let units: SystemUnits | undefined;

/**
 * The system's clock ticks per second (CPU times in /proc count them) and page size (RSS counts
 * pages), asked once of `getconf`; USER_HZ is 100 on the common kernels, but not by contract.
 */
export function systemUnits(): SystemUnits {
  units ??= {
    clockTicks: getconf('CLK_TCK', 100),
    pageSize: getconf('PAGESIZE', 4096),
  };
  return units;
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 5_000 }));
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/** One buffer for every /proc read: they are synchronous, so never in use twice at once. */
const buffer = Buffer.allocUnsafe(1 << 16);

/** Reads a /proc file, or undefined when it is gone (the process exited) or not ours to read. */
export function readProc(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) return buffer.toString('latin1', 0, length);
      length += read;
      // Longer than the buffer (thousands of children, a huge environment): the slow way.
      if (length === buffer.length) return readFileSync(path, 'latin1');
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A process' stat, or undefined when it is gone. */
export function readStat(pid: number): ProcStat | undefined {
  const text = readProc(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseFullStat(pid, text, systemUnits());
}

/** Whether a NUL-separated environment block holds `entry` (`NAME=value`) as a whole entry. */
export function environHas(environ: string, entry: string): boolean {
  let at = environ.indexOf(entry);
  while (at >= 0) {
    const end = at + entry.length;
    if ((at === 0 || environ[at - 1] === '\0') && (end === environ.length || environ[end] === '\0'))
      return true;
    at = environ.indexOf(entry, at + 1);
  }
  return false;
}

/**
 * Whether the environment a process started with holds `entry`. Only processes of the same user
 * can be read, which is every process a command starts unless it changes user.
 */
export function processEnvironHas(pid: number, entry: string): boolean {
  const environ = readProc(`/proc/${pid}/environ`);
  return environ !== undefined && environHas(environ, entry);
}

/** CPU seconds the kernel accounted to this process' reaped children (Linux), else undefined. */
export function reapedChildrenCpuSeconds(): number | undefined {
  return readStat(process.pid)?.childCpuSeconds;
}

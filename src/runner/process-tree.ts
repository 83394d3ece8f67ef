/**
 * Finds every process of a command's tree: its descendants, plus processes once seen in the
 * tree that were orphaned since (a daemon a suite starts is reparented to init but is still the
 * suite's). Linux reads /proc; macOS asks `ps`; elsewhere the tree is the root alone.
 *
 * On Linux the tree is walked from the processes already known through
 * /proc/<pid>/task/<tid>/children, so a sample reads a few files per process of the tree rather
 * than the stat file of every process on the machine; a full /proc scan still runs every
 * {@link FULL_SCAN_INTERVAL_MS} (and wherever the kernel has no children files), since the
 * kernel documents those files as best effort while children come and go. The reads are
 * synchronous: /proc files are generated in memory, and one synchronous read costs a fraction of
 * an asynchronous one (no thread-pool round trips, no promise per file).
 */
import { execFile } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Longest time between two full /proc scans of a tree. */
export const FULL_SCAN_INTERVAL_MS = 10_000;

/** A process identity that survives pid reuse: the pid and its start time. */
interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in clock ticks since boot on Linux; 0 where unknown. */
  readonly start: number;
}

/** What /proc/<pid>/stat says about a process. */
interface LinuxStat extends ProcessEntry {
  readonly threads: number;
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

function parseLinuxStat(pid: number, text: string): LinuxStat | undefined {
  const fields = statFields(text);
  const parsed = parseProcStat(text);
  if (fields === undefined || parsed === undefined) return undefined;
  const number = (index: number): number => {
    const value = Number(fields[index]);
    return Number.isFinite(value) ? value : 0;
  };
  return { pid, ...parsed, threads: number(17) };
}

/** One buffer for every /proc read: they are synchronous, so never in use twice at once. */
const buffer = Buffer.allocUnsafe(1 << 16);

/** Reads a /proc file, or undefined when it is gone (the process exited). */
function readProc(path: string): string | undefined {
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
      // Longer than the buffer (a process with thousands of children): read it the slow way.
      if (length === buffer.length) return readFileSync(path, 'latin1');
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function readStat(pid: number): LinuxStat | undefined {
  const text = readProc(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseLinuxStat(pid, text);
}

/** Pids of the children of a process: those of each of its threads. */
function readChildren(stat: LinuxStat): number[] {
  let tids = [String(stat.pid)];
  if (stat.threads !== 1) {
    try {
      tids = readdirSync(`/proc/${stat.pid}/task`);
    } catch {
      return [];
    }
  }
  const children: number[] = [];
  for (const tid of tids) {
    const text = readProc(`/proc/${stat.pid}/task/${tid}/children`);
    if (text === undefined) continue;
    for (const pid of text.split(' ')) if (pid !== '' && pid !== '\n') children.push(Number(pid));
  }
  return children;
}

function listLinuxStats(): LinuxStat[] {
  const stats: LinuxStat[] = [];
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue; // not a pid
    const stat = readStat(Number(name)); // undefined: exited between readdir and read
    if (stat !== undefined) stats.push(stat);
  }
  return stats;
}

/** Whether this kernel has /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN); probed once. */
let childrenFiles: boolean | undefined;
function hasChildrenFiles(): boolean {
  childrenFiles ??= readProc(`/proc/${process.pid}/task/${process.pid}/children`) !== undefined;
  return childrenFiles;
}

async function listLinux(): Promise<ProcessEntry[]> {
  return Promise.resolve(listLinuxStats().map(({ pid, ppid, start }) => ({ pid, ppid, start })));
}

async function listPs(): Promise<ProcessEntry[]> {
  const { stdout } = await execFileAsync('ps', ['-A', '-o', 'pid=,ppid='], { maxBuffer: 16 << 20 });
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, ppid]) => Number.isInteger(pid) && Number.isInteger(ppid))
    .map(([pid = 0, ppid = 0]) => ({ pid, ppid, start: 0 }));
}

/** Lists every process on the machine with its parent, or undefined where that is not possible. */
export async function listProcesses(
  platform: NodeJS.Platform = process.platform,
): Promise<ProcessEntry[] | undefined> {
  if (platform === 'linux') return listLinux();
  if (platform === 'darwin' || platform === 'freebsd') return listPs();
  return undefined;
}

/** Tracks the process tree of one root process across samples. */
export class ProcessTree {
  private readonly known = new Map<number, number>();
  private lastFullScan = -Infinity;

  constructor(
    readonly rootPid: number,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Whether the tree is read from /proc (Linux). */
  private get readsProc(): boolean {
    return this.platform === 'linux' && process.platform === 'linux';
  }

  /** Pids of the tree now: the root's descendants and the orphans seen before that still live. */
  async pids(): Promise<number[]> {
    if (this.readsProc) return Promise.resolve([...this.linuxTree().keys()]);
    const all = await listProcesses(this.platform);
    if (all === undefined) return [this.rootPid];
    return this.walkAll(all).map((entry) => entry.pid);
  }

  /** The tree out of a list of every process on the machine. */
  private walkAll<T extends ProcessEntry>(all: readonly T[]): T[] {
    const byPid = new Map(all.map((entry) => [entry.pid, entry]));
    const children = new Map<number, number[]>();
    for (const entry of all) {
      const siblings = children.get(entry.ppid);
      if (siblings === undefined) children.set(entry.ppid, [entry.pid]);
      else siblings.push(entry.pid);
    }
    return this.walk(
      (pid) => byPid.get(pid),
      (entry) => children.get(entry.pid) ?? [],
    );
  }

  /** The tree by pid: walked through the children files, or from a full scan when one is due. */
  private linuxTree(): Map<number, LinuxStat> {
    const now = Date.now();
    let result: LinuxStat[];
    if (!hasChildrenFiles() || now - this.lastFullScan >= FULL_SCAN_INTERVAL_MS) {
      this.lastFullScan = now;
      result = this.walkAll(listLinuxStats());
    } else {
      const read = new Map<number, LinuxStat | undefined>();
      const cachedStat = (pid: number): LinuxStat | undefined => {
        if (!read.has(pid)) read.set(pid, readStat(pid));
        return read.get(pid);
      };
      result = this.walk(cachedStat, readChildren);
    }
    return new Map(result.map((stat) => [stat.pid, stat]));
  }

  /**
   * The root's descendants and the known orphans that are still the same processes (same start
   * time), with their descendants; remembers them all for the next call.
   */
  private walk<T extends ProcessEntry>(
    entryOf: (pid: number) => T | undefined,
    childrenOf: (entry: T) => number[],
  ): T[] {
    const queue = [this.rootPid];
    for (const [pid, start] of this.known) {
      if (entryOf(pid)?.start === start) queue.push(pid);
      else this.known.delete(pid); // exited, or the pid now belongs to another process
    }
    const tree = new Map<number, T>();
    while (queue.length > 0) {
      const pid = queue.pop() ?? 0;
      if (tree.has(pid)) continue;
      const entry = entryOf(pid);
      if (entry === undefined) continue;
      tree.set(pid, entry);
      queue.push(...childrenOf(entry));
    }
    for (const [pid, entry] of tree) this.known.set(pid, entry.start);
    return [...tree.values()];
  }
}

/** Sends `signal` to a pid or process group, ignoring processes that are already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends the whole tree: TERM to the root's process group and every process of the tree, then KILL
 * to whatever still lives after `graceMs`. Resolves when nothing of the tree is left, or after
 * the KILL.
 */
export async function killTree(tree: ProcessTree, graceMs: number): Promise<void> {
  const isWindows = process.platform === 'win32';
  const signalAll = async (signal: NodeJS.Signals): Promise<number> => {
    const pids = await tree.pids();
    if (!isWindows) signalProcess(-tree.rootPid, signal);
    for (const pid of pids) signalProcess(pid, signal);
    return pids.length;
  };
  if ((await signalAll('SIGTERM')) === 0) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if ((await tree.pids()).length === 0) return;
  }
  await signalAll('SIGKILL');
}

/**
 * Finds every process of a command's tree: its descendants, plus processes once seen in the
 * tree that were orphaned since (a daemon a suite starts is reparented to init but is still the
 * suite's). Linux reads /proc; macOS asks `ps`; elsewhere the tree is the root alone.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A process identity that survives pid reuse: the pid and its start time. */
interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in clock ticks since boot on Linux; 0 where unknown. */
  readonly start: number;
}

/** Parses /proc/<pid>/stat; the command name may contain spaces and parentheses. */
export function parseProcStat(text: string): { ppid: number; start: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice threads itrealvalue starttime ...
  const ppid = Number(fields[1]);
  const start = Number(fields[19]);
  if (!Number.isInteger(ppid)) return undefined;
  return { ppid, start: Number.isFinite(start) ? start : 0 };
}

async function listLinux(): Promise<ProcessEntry[]> {
  const names = await readdir('/proc');
  const entries = await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          const stat = parseProcStat(await readFile(`/proc/${name}/stat`, 'latin1'));
          return stat === undefined ? undefined : { pid: Number(name), ...stat };
        } catch {
          return undefined; // exited between readdir and read
        }
      }),
  );
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined);
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

  constructor(
    readonly rootPid: number,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Pids of the tree now: the root's descendants and the orphans seen before that still live. */
  async pids(): Promise<number[]> {
    const all = await listProcesses(this.platform);
    if (all === undefined) return [this.rootPid];
    const byPid = new Map(all.map((entry) => [entry.pid, entry]));
    const children = new Map<number, number[]>();
    for (const entry of all) {
      const siblings = children.get(entry.ppid);
      if (siblings === undefined) children.set(entry.ppid, [entry.pid]);
      else siblings.push(entry.pid);
    }
    const tree = new Set<number>();
    const queue = [this.rootPid];
    for (const [pid, start] of this.known) {
      if (byPid.get(pid)?.start === start) queue.push(pid);
      else this.known.delete(pid); // exited, or the pid now belongs to another process
    }
    while (queue.length > 0) {
      const pid = queue.pop() ?? 0;
      if (tree.has(pid) || !byPid.has(pid)) continue;
      tree.add(pid);
      queue.push(...(children.get(pid) ?? []));
    }
    for (const pid of tree) this.known.set(pid, byPid.get(pid)?.start ?? 0);
    return [...tree];
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

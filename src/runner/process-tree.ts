/**
 * Finds every process of a command's tree: its descendants, the processes once seen in the tree
 * that were orphaned since, and, on Linux, every process whose environment carries the tree's
 * marker variable, however it detached (a double fork plus `setsid` leaves no parent link to
 * follow). macOS asks `ps`; elsewhere the tree is the root alone.
 *
 * On Linux the tree is walked from the processes already known through
 * /proc/<pid>/task/<tid>/children, so a sample reads a few files per process of the tree rather
 * than the stat file of every process on the machine; a full /proc scan still runs every
 * {@link FULL_SCAN_INTERVAL_MS} (and wherever the kernel has no children files), since the
 * kernel documents those files as best effort while children come and go. Between two samples
 * only the pids new in /proc have their environment read for the marker.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pidusage from 'pidusage';
import { processEnvironHas, readProc, readStat, type ProcStat } from './proc-files.js';

const execFileAsync = promisify(execFile);

/** Longest time between two full /proc scans of a tree. */
export const FULL_SCAN_INTERVAL_MS = 10_000;

/** One process of the tree at one sample. */
export interface TreeProcess {
  readonly pid: number;
  readonly ppid: number;
  /** Start time (clock ticks since boot on Linux, 0 where unknown). */
  readonly start: number;
  readonly cpuSeconds: number;
  /** CPU seconds of the children it waited for; 0 where the platform does not say. */
  readonly childCpuSeconds: number;
  readonly rssBytes: number;
  readonly name: string;
  /** One-letter state where known (Z: ended, not yet waited for). */
  readonly state?: string;
}

/** Options of a {@link ProcessTree}. */
export interface TreeOptions {
  /**
   * `NAME=value` the command's environment carries (see {@link treeMarker}); a process whose
   * environment holds it belongs to the tree wherever it sits (Linux).
   */
  readonly marker?: string;
  /** Pids that ran before the command started ({@link listPids} just before the spawn). */
  readonly preexisting?: readonly number[];
}

/** A process identity that survives pid reuse: the pid and its start time. */
interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly start: number;
}

/** Pids of the children of a process: those of each of its threads. */
function readChildren(stat: ProcStat): number[] {
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

/** The pid most recently created on the machine (the last field of /proc/loadavg). */
function lastCreatedPid(): number | undefined {
  const text = readProc('/proc/loadavg');
  const pid = Number(text?.slice(text.lastIndexOf(' ') + 1));
  return Number.isInteger(pid) ? pid : undefined;
}

/** Pids in /proc now (Linux), [] elsewhere. */
export function listPids(): number[] {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) pids.push(Number(name));
  }
  return pids;
}

function listLinuxStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of listPids()) {
    const stat = readStat(pid); // undefined: exited between readdir and read
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

async function listPs(): Promise<ProcessEntry[]> {
  const { stdout } = await execFileAsync('ps', ['-A', '-o', 'pid=,ppid='], { maxBuffer: 16 << 20 });
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, ppid]) => Number.isInteger(pid) && Number.isInteger(ppid))
    .map(([pid = 0, ppid = 0]) => ({ pid, ppid, start: 0 }));
}

/** Tracks the process tree of one root process across samples. */
export class ProcessTree {
  private readonly known = new Map<number, number>();
  private lastFullScan = -Infinity;
  /** Pids of /proc at the last marker look, so that only new ones have their environment read. */
  private pidsSeen: Set<number>;
  private readonly marker: string | undefined;
  /** The machine's most recently created pid at the last marker look. */
  private lastCreated: number | undefined;

  constructor(
    readonly rootPid: number,
    private readonly platform: NodeJS.Platform = process.platform,
    options: TreeOptions = {},
  ) {
    this.marker = options.marker;
    // Processes older than the command cannot carry its fresh marker: never read them.
    this.pidsSeen = new Set(options.preexisting);
  }

  /** Whether the tree is read from /proc (Linux). */
  private get readsProc(): boolean {
    return this.platform === 'linux' && process.platform === 'linux';
  }

  /** Pids of the tree now, zombies (ended, waiting for their parent) left out. */
  async pids(): Promise<number[]> {
    const entries = await this.entries();
    return entries.filter((entry) => !isZombie(entry)).map((entry) => entry.pid);
  }

  /** Every process of the tree now with its CPU times and RSS. */
  async snapshot(): Promise<TreeProcess[]> {
    if (this.readsProc) return Promise.resolve(this.linuxTree());
    const entries = await this.entries();
    if (entries.length === 0) return [];
    // One call for the whole tree: pidusage leaves out a pid that exited meanwhile.
    const stats = await pidusage(entries.map((entry) => entry.pid)).catch(() => ({}));
    const ppids = new Map(entries.map((entry) => [entry.pid, entry.ppid]));
    const result: TreeProcess[] = [];
    // A pid that vanished maps to null or undefined, whatever the typings say.
    for (const stat of Object.values(stats) as (pidusage.Status | null | undefined)[]) {
      if (stat === null || stat === undefined) continue;
      result.push({
        pid: stat.pid,
        ppid: ppids.get(stat.pid) ?? stat.ppid,
        start: 0,
        cpuSeconds: stat.ctime / 1000,
        childCpuSeconds: 0,
        rssBytes: stat.memory,
        name: '',
      });
    }
    return result;
  }

  /** Forgets pidusage's per-process history (open files) once sampling is over. */
  static release(): void {
    pidusage.clear();
  }

  private async entries(): Promise<ProcessEntry[]> {
    if (this.readsProc) return Promise.resolve(this.linuxTree());
    if (this.platform !== 'darwin' && this.platform !== 'freebsd') {
      return [{ pid: this.rootPid, ppid: 0, start: 0 }];
    }
    return this.walkAll(await listPs());
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

  /** The tree: walked through the children files, or from a full scan when one is due. */
  private linuxTree(): ProcStat[] {
    const now = Date.now();
    if (!hasChildrenFiles() || now - this.lastFullScan >= FULL_SCAN_INTERVAL_MS) {
      this.lastFullScan = now;
      const all = listLinuxStats();
      this.lastCreated = lastCreatedPid();
      this.adoptMarked(all.map((stat) => stat.pid));
      return this.walkAll(all);
    }
    // No process created since the last look (a quiet machine): no pid to read the marker of.
    const lastCreated = lastCreatedPid();
    if (lastCreated === undefined || lastCreated !== this.lastCreated) {
      this.lastCreated = lastCreated;
      this.adoptMarked(listPids());
    }
    const read = new Map<number, ProcStat | undefined>();
    const cachedStat = (pid: number): ProcStat | undefined => {
      if (!read.has(pid)) read.set(pid, readStat(pid));
      return read.get(pid);
    };
    return this.walk(cachedStat, readChildren);
  }

  /** Makes known the processes new since the last look whose environment has the marker. */
  private adoptMarked(pids: readonly number[]): void {
    if (this.marker === undefined) return;
    const seen = this.pidsSeen;
    this.pidsSeen = new Set(pids);
    for (const pid of pids) {
      if (seen.has(pid) || this.known.has(pid) || pid === process.pid) continue;
      if (!processEnvironHas(pid, this.marker)) continue;
      const stat = readStat(pid);
      if (stat !== undefined) this.known.set(pid, stat.start);
    }
  }

  /**
   * The root's descendants and the known processes that are still the same processes (same start
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

/** Whether a process has ended and only waits for its parent to read its status. */
export function isZombie(process: object): boolean {
  return 'state' in process && process.state === 'Z';
}

/** A fresh `NAME=value` marker for one command's environment. */
export function treeMarker(): { name: string; value: string; entry: string } {
  const name = 'RELIABILITY_METRICS_TREE';
  const value = `${process.pid}-${randomUUID()}`;
  return { name, value, entry: `${name}=${value}` };
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

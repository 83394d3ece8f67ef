/**
 * Adds up the CPU time a process tree used, from readings of each process' cumulative CPU time
 * taken at each sample. A process seen for the first time counts all its CPU time so far; a
 * process that ended between two readings is found again in its parent's reaped-children time
 * (cutime + cstime), less what was already counted of it, so a child shorter than one interval is
 * not lost and none is counted twice.
 */

/** One process' cumulative CPU times at one reading. */
export interface CpuReading {
  readonly pid: number;
  readonly ppid: number;
  /** Start time (any unit); with the pid, tells a reused pid from the process seen before. */
  readonly start: number;
  /** CPU seconds the process used itself. */
  readonly cpuSeconds: number;
  /** CPU seconds of the children it waited for; 0 where the platform does not say. */
  readonly childCpuSeconds: number;
}

/** The process outside the tree that waits for the tree's root (the action itself). */
export interface RootReaper {
  readonly pid: number;
  /** Its reaped-children CPU seconds when the root started. */
  readonly childCpuSeconds: number;
}

/** Cumulative CPU seconds of a process tree across readings. */
export class CpuLedger {
  private last = new Map<number, CpuReading>();
  /** Seconds counted of ended children not yet seen in their reaper's children time. */
  private pending = new Map<number, number>();
  private reaperChildSeconds: number;
  private total = 0;

  constructor(private readonly reaper?: RootReaper) {
    this.reaperChildSeconds = reaper?.childCpuSeconds ?? 0;
  }

  /** CPU seconds counted so far. */
  get cpuSeconds(): number {
    return this.total;
  }

  /**
   * Takes one reading of every process of the tree alive now, and the reaper's children time;
   * returns the CPU seconds counted so far.
   */
  update(readings: readonly CpuReading[], reaperChildCpuSeconds?: number): number {
    const now = new Map(readings.map((reading) => [reading.pid, reading]));
    const same = (a: CpuReading | undefined, b: CpuReading | undefined): boolean =>
      a !== undefined && b !== undefined && a.start === b.start;
    const credit = this.pending;
    this.pending = new Map();
    for (const [pid, old] of this.last) {
      if (same(now.get(pid), old)) continue;
      // Ended: its remaining CPU time lands in whichever live ancestor waits for it.
      const reaper = this.liveAncestor(old, now);
      if (reaper !== undefined) credit.set(reaper, (credit.get(reaper) ?? 0) + totalOf(old));
    }
    const counted = (pid: number, grown: number): number => {
      const owed = credit.get(pid) ?? 0;
      // What is still owed is carried to the next reading once (the child may be reaped just
      // after its parent was read); never longer, in case no one waits for it.
      if (owed > grown && (this.last.has(pid) || pid === this.reaper?.pid))
        this.pending.set(pid, owed - grown);
      return Math.max(0, grown - owed);
    };
    for (const reading of readings) {
      const before = this.last.get(reading.pid);
      if (!same(reading, before) || before === undefined) {
        this.total += totalOf(reading);
        continue;
      }
      this.total += Math.max(0, reading.cpuSeconds - before.cpuSeconds);
      this.total += counted(
        reading.pid,
        Math.max(0, reading.childCpuSeconds - before.childCpuSeconds),
      );
    }
    if (this.reaper !== undefined && reaperChildCpuSeconds !== undefined) {
      const grown = Math.max(0, reaperChildCpuSeconds - this.reaperChildSeconds);
      this.reaperChildSeconds = Math.max(this.reaperChildSeconds, reaperChildCpuSeconds);
      this.total += counted(this.reaper.pid, grown);
    }
    this.last = now;
    return this.total;
  }

  /** The nearest ancestor of an ended process that is still alive, or the reaper; by pid. */
  private liveAncestor(ended: CpuReading, now: Map<number, CpuReading>): number | undefined {
    let parent = ended.ppid;
    for (let depth = 0; depth < 4096; depth++) {
      if (parent === this.reaper?.pid) return parent;
      const seen = this.last.get(parent);
      if (seen === undefined) return undefined; // outside the tree: init or a subreaper waits
      const live = now.get(parent);
      if (live !== undefined && live.start === seen.start) return parent;
      parent = seen.ppid; // ended too: its own reaper gets both
    }
    return undefined;
  }
}

const totalOf = (reading: CpuReading): number => reading.cpuSeconds + reading.childCpuSeconds;

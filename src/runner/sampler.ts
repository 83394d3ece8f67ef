/**
 * Samples CPU and RSS of a process tree every interval, and once more when the command ends.
 *
 * A sample's CPU is the tree's CPU time used since the previous sample over the wall time between
 * them (see {@link CpuLedger}): the samples add up to the CPU time of the run, the mean is that
 * time over the wall time, and the max is the largest sample, so the chart, the table, the
 * outputs and the pushed gauges tell one story.
 */
import type { ResourceSample, Resources } from '../model.js';
import { CpuLedger } from './cpu-ledger.js';
import { reapedChildrenCpuSeconds } from './proc-files.js';
import { isZombie, ProcessTree, type TreeProcess } from './process-tree.js';

/** Samples kept at most; past that, pairs are merged keeping their peaks. */
const MAX_SAMPLES = 20_000;

/**
 * A last interval shorter than this share of the sample interval is merged into the sample
 * before it: CPU times count in clock ticks (10 ms), so a few milliseconds would make a spike.
 */
const SHORTEST_LAST_INTERVAL = 0.5;

/** Time to the first sample at most. */
const FIRST_SAMPLE_MS = 250;

/** Options of {@link Sampler}. */
export interface SamplerOptions {
  /** When the command started (ms since the epoch): sample times count from here. */
  readonly startedAtMs?: number;
  /**
   * Reads the CPU seconds this process' reaped children used (the command's shell is one);
   * {@link reapedChildrenCpuSeconds} by default.
   */
  readonly reapedChildCpu?: () => number | undefined;
  /**
   * Its value before the command started (read before the spawn, so that a shell that ends at
   * once is not in it); read when the sampler is made otherwise.
   */
  readonly reapedChildCpuBefore?: number;
}

/** Periodic sampler of one process tree. */
export class Sampler {
  private readonly samples: ResourceSample[] = [];
  private readonly ledger: CpuLedger;
  private readonly startedAt: number;
  private readonly reapedChildCpu: () => number | undefined;
  private lastAt: number;
  private lastCpuSeconds = 0;
  private lastIntervalSeconds = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped: Resources | undefined;
  private stopping = false;
  /** When the command ended, once known: the end of the final sample. */
  private endedAtMs: number | undefined;

  constructor(
    private readonly tree: ProcessTree,
    private readonly intervalMs: number,
    options: SamplerOptions = {},
  ) {
    this.startedAt = options.startedAtMs ?? Date.now();
    this.lastAt = this.startedAt;
    this.reapedChildCpu = options.reapedChildCpu ?? reapedChildrenCpuSeconds;
    const baseline = options.reapedChildCpuBefore ?? this.reapedChildCpu();
    this.ledger = new CpuLedger(
      baseline === undefined ? undefined : { pid: process.pid, childCpuSeconds: baseline },
    );
  }

  /**
   * Takes a sample every interval, the first one soon after the start (so that a command shorter
   * than one interval still has its memory read), and a final one in {@link stop}.
   */
  start(): void {
    const first = setTimeout(
      () => {
        if (this.stopping) return;
        void this.tick();
        this.timer = setInterval(() => void this.tick(), this.intervalMs);
        this.timer.unref();
      },
      Math.min(this.intervalMs, FIRST_SAMPLE_MS),
    );
    first.unref();
    this.timer = first;
  }

  private tick(final = false): Promise<void> {
    // A slow sample (a loaded machine) is never stacked on another one.
    this.inFlight ??= this.sample(final).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async sample(final: boolean): Promise<void> {
    // A sample that fails (a process gone mid-read) is skipped: it must never end the action.
    const processes = await Promise.resolve()
      .then(() => this.tree.snapshot())
      .catch(() => undefined);
    if (processes === undefined) return;
    // The final sample ends where the command ended, as the mean's wall time does: read later, its
    // interval would add idle time after the end, and the samples would average below the mean.
    const now = Date.now();
    const at =
      final && this.endedAtMs !== undefined
        ? Math.max(this.lastAt, Math.min(now, this.endedAtMs))
        : now;
    const cpuSeconds = this.ledger.update(processes, this.reapedChildCpu());
    const seconds = (at - this.lastAt) / 1000;
    if (seconds <= 0 || (processes.length === 0 && !final)) return;
    const rssBytes = processes.reduce((sum, p) => sum + p.rssBytes, 0);
    const cpuPercent = ((cpuSeconds - this.lastCpuSeconds) / seconds) * 100;
    const sample = {
      t: (at - this.startedAt) / 1000,
      cpuPercent,
      rssBytes,
      processes: processes.length,
    };
    this.lastAt = at;
    this.lastCpuSeconds = cpuSeconds;
    const previous = this.samples[this.samples.length - 1];
    const short = seconds < (this.intervalMs / 1000) * SHORTEST_LAST_INTERVAL;
    if (final && previous !== undefined && (short || processes.length === 0)) {
      // The previous sample extended to the end: the CPU of both intervals over their time; the
      // memory of the final reading, or of the previous one when nothing ran any more.
      const both = this.lastIntervalSeconds + seconds;
      const cpu = (previous.cpuPercent * this.lastIntervalSeconds + cpuPercent * seconds) / both;
      const memory = processes.length > 0 ? sample : previous;
      this.samples[this.samples.length - 1] = { ...memory, t: sample.t, cpuPercent: cpu };
    } else this.samples.push(sample);
    this.lastIntervalSeconds = seconds;
    if (this.samples.length > MAX_SAMPLES) compact(this.samples);
  }

  /** The processes of the tree alive now (after the command ended: what it left running). */
  async alive(): Promise<TreeProcess[]> {
    const processes = await this.tree.snapshot().catch(() => []);
    return processes.filter((p) => p.pid !== this.tree.rootPid && !isZombie(p));
  }

  /**
   * Stops sampling, takes the final sample (the command has ended) and sums up the run; the mean
   * CPU is the CPU time over the wall time up to `endedAtMs` (when the command ended).
   */
  async stop(endedAtMs = Date.now()): Promise<Resources> {
    if (this.stopped !== undefined) return this.stopped;
    clearTimeout(this.timer);
    this.stopping = true;
    this.endedAtMs = endedAtMs;
    await this.inFlight;
    await this.tick(true);
    ProcessTree.release();
    const samples = [...this.samples];
    const running = samples.filter((s) => s.processes > 0);
    const first = running[0];
    const last = running[running.length - 1];
    const cpuSeconds = this.ledger.cpuSeconds;
    const elapsedSeconds = (endedAtMs - this.startedAt) / 1000;
    let meanCpuPercent = elapsedSeconds > 0 ? (cpuSeconds / elapsedSeconds) * 100 : 0;
    const maxCpuPercent = samples.reduce((max, s) => Math.max(max, s.cpuPercent), 0);
    // The samples cover the run, so their maximum is at least their time-weighted mean; summed
    // in another order the two can differ in the last bits (190.25787965616040 < ...044, seen
    // in CI). Max CPU stays the largest sample; the mean gives up those bits.
    if (maxCpuPercent < meanCpuPercent && meanCpuPercent - maxCpuPercent <= meanCpuPercent * 1e-9) {
      meanCpuPercent = maxCpuPercent;
    }
    this.stopped = {
      samples,
      peakRssBytes: samples.reduce((max, s) => Math.max(max, s.rssBytes), 0),
      memoryGrowthBytes:
        first !== undefined && last !== undefined && first !== last
          ? last.rssBytes - first.rssBytes
          : 0,
      meanCpuPercent,
      maxCpuPercent,
      cpuSeconds,
    };
    return this.stopped;
  }
}

/** Halves the samples: each pair becomes its later time with the pair's peaks. */
function compact(samples: ResourceSample[]): void {
  const merged: ResourceSample[] = [];
  for (let i = 0; i < samples.length; i += 2) {
    const a = samples[i];
    const b = samples[i + 1] ?? a;
    if (a === undefined || b === undefined) continue;
    merged.push({
      t: b.t,
      cpuPercent: Math.max(a.cpuPercent, b.cpuPercent),
      rssBytes: Math.max(a.rssBytes, b.rssBytes),
      processes: Math.max(a.processes, b.processes),
    });
  }
  samples.splice(0, samples.length, ...merged);
}

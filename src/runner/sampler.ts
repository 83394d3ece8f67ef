/**
 * Samples CPU and RSS of a process tree with pidusage every interval, and sums up the run.
 */
import pidusage from 'pidusage';
import type { ResourceSample, Resources } from '../model.js';
import type { ProcessTree } from './process-tree.js';

/** Samples kept at most; past that, every other one is dropped (peaks are kept apart). */
const MAX_SAMPLES = 20_000;

/** One sample of the whole tree. */
interface Measured {
  readonly cpu: number;
  readonly rss: number;
  readonly processes: number;
}

/** Periodic sampler of one process tree. */
export class Sampler {
  private readonly samples: ResourceSample[] = [];
  /** CPU milliseconds (user + system) last seen per process. */
  private readonly cpuMsByPid = new Map<string, number>();
  private peakRss = 0;
  private maxCpu = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly startedAt = Date.now();

  constructor(
    private readonly tree: ProcessTree,
    private readonly intervalMs: number,
  ) {}

  /** Takes a first sample now, then one every interval. */
  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    // A slow sample (a loaded machine) is never stacked on another one.
    this.inFlight ??= this.sample().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async sample(): Promise<void> {
    // A sample that fails (a process gone mid-read) is skipped: it must never end the action.
    const measured = await this.measure().catch(() => undefined);
    if (measured === undefined) return;
    const { cpu, rss, processes } = measured;
    if (processes === 0) return;
    this.peakRss = Math.max(this.peakRss, rss);
    this.maxCpu = Math.max(this.maxCpu, cpu);
    this.samples.push({
      t: (Date.now() - this.startedAt) / 1000,
      cpuPercent: cpu,
      rssBytes: rss,
      processes,
    });
    if (this.samples.length > MAX_SAMPLES) {
      const kept = this.samples.filter((_, index) => index % 2 === 0);
      this.samples.splice(0, this.samples.length, ...kept);
    }
  }

  /** CPU percent, RSS and process count of the tree now. */
  private async measure(): Promise<Measured | undefined> {
    const pids = await this.tree.pids().catch(() => [] as number[]);
    if (pids.length === 0) return undefined;
    // One call for the whole tree: pidusage reads the system clock once instead of once per pid
    // (a third of the cost), and leaves out a pid that exited meanwhile instead of failing.
    const stats = await pidusage(pids).catch(() => ({}));
    let cpu = 0;
    let rss = 0;
    let processes = 0;
    // A pid that vanished maps to null or undefined, whatever the typings say.
    for (const stat of Object.values(stats) as (pidusage.Status | null | undefined)[]) {
      if (stat === null || stat === undefined) continue;
      cpu += Number.isFinite(stat.cpu) ? stat.cpu : 0;
      rss += stat.memory;
      processes++;
      const key = String(stat.pid);
      this.cpuMsByPid.set(key, Math.max(stat.ctime, this.cpuMsByPid.get(key) ?? 0));
    }
    return { cpu, rss, processes };
  }

  /**
   * Stops sampling and sums up. `childCpuSeconds` is the CPU time the kernel accounted to reaped
   * descendants (exact where available); the per-process sum covers what it cannot see.
   */
  async stop(childCpuSeconds?: number): Promise<Resources> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.inFlight;
    pidusage.clear();
    const samples = [...this.samples];
    const first = samples[0];
    const last = samples[samples.length - 1];
    const seenCpuSeconds = [...this.cpuMsByPid.values()].reduce((sum, ms) => sum + ms, 0) / 1000;
    const cpuSeconds = Math.max(seenCpuSeconds, childCpuSeconds ?? 0);
    // CPU time over wall time is exact, where an average of samples misses short runs.
    const elapsedSeconds = (Date.now() - this.startedAt) / 1000;
    const sampledMean =
      samples.length === 0 ? 0 : samples.reduce((sum, s) => sum + s.cpuPercent, 0) / samples.length;
    const meanCpu =
      elapsedSeconds > 0 && cpuSeconds > 0 ? (cpuSeconds / elapsedSeconds) * 100 : sampledMean;
    return {
      samples,
      peakRssBytes: this.peakRss,
      memoryGrowthBytes:
        first !== undefined && last !== undefined ? last.rssBytes - first.rssBytes : 0,
      meanCpuPercent: meanCpu,
      maxCpuPercent: Math.max(this.maxCpu, meanCpu),
      cpuSeconds,
    };
  }
}

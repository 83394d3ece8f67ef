/**
 * Samples CPU and RSS of a process tree with pidusage every interval, and sums up the run.
 */
import pidusage from 'pidusage';
import type { ResourceSample, Resources } from '../model.js';
import type { ProcessTree } from './process-tree.js';

/** Samples kept at most; past that, every other one is dropped (peaks are kept apart). */
const MAX_SAMPLES = 20_000;

/** Periodic sampler of one process tree. */
export class Sampler {
  private readonly samples: ResourceSample[] = [];
  /** CPU milliseconds (user + system) last seen per process. */
  private readonly cpuMsByPid = new Map<number, number>();
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
    const pids = await this.tree.pids().catch(() => [] as number[]);
    if (pids.length === 0) return;
    const stats = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
    let cpu = 0;
    let rss = 0;
    let processes = 0;
    for (const result of stats) {
      if (result.status !== 'fulfilled') continue;
      const { pid, cpu: cpuPercent, memory, ctime } = result.value;
      cpu += Number.isFinite(cpuPercent) ? cpuPercent : 0;
      rss += memory;
      processes++;
      this.cpuMsByPid.set(pid, Math.max(ctime, this.cpuMsByPid.get(pid) ?? 0));
    }
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
    const meanCpu =
      samples.length === 0 ? 0 : samples.reduce((sum, s) => sum + s.cpuPercent, 0) / samples.length;
    return {
      samples,
      peakRssBytes: this.peakRss,
      memoryGrowthBytes:
        first !== undefined && last !== undefined ? last.rssBytes - first.rssBytes : 0,
      meanCpuPercent: meanCpu,
      maxCpuPercent: this.maxCpu,
      cpuSeconds: Math.max(seenCpuSeconds, childCpuSeconds ?? 0),
    };
  }
}

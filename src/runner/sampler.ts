/**
 * Samples CPU and RSS of a process tree every interval, and sums up the run. On Linux the tree's
 * own /proc pass gives CPU time and RSS (one read of each process' stat file); elsewhere
 * pidusage asks the system for each pid.
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
  /** CPU milliseconds (user + system) last seen per process (pid, and start time where known). */
  private readonly cpuMsByPid = new Map<string, number>();
  /** CPU seconds and clock of the previous sample per process (Linux), keyed like cpuMsByPid. */
  private readonly previous = new Map<string, { cpuSeconds: number; uptimeSeconds: number }>();
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
    const measured = this.tree.readsUsage ? await this.sampleLinux() : await this.samplePidusage();
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

  /** CPU percent, RSS and process count of the tree from /proc, as pidusage computes them. */
  private async sampleLinux(): Promise<Measured | undefined> {
    const usage = await this.tree.usage().catch(() => undefined);
    if (usage === undefined || usage.processes.length === 0) return undefined;
    let cpu = 0;
    let rss = 0;
    const seen = new Set<string>();
    for (const proc of usage.processes) {
      const key = `${proc.pid}:${proc.startSeconds}`;
      seen.add(key);
      // First sight of a process gives 0 %, as pidusage does; then the share of the interval.
      const before = this.previous.get(key);
      const seconds = before === undefined ? 0 : usage.uptimeSeconds - before.uptimeSeconds;
      if (before !== undefined && seconds > 0) {
        cpu += (Math.max(0, proc.cpuSeconds - before.cpuSeconds) / seconds) * 100;
      }
      this.previous.set(key, {
        cpuSeconds: proc.cpuSeconds,
        uptimeSeconds: usage.uptimeSeconds,
      });
      rss += proc.rssBytes;
      const cpuMs = proc.cpuSeconds * 1000;
      this.cpuMsByPid.set(key, Math.max(cpuMs, this.cpuMsByPid.get(key) ?? 0));
    }
    for (const key of this.previous.keys()) if (!seen.has(key)) this.previous.delete(key);
    return { cpu, rss, processes: usage.processes.length };
  }

  /** The same with pidusage, where /proc is not there. */
  private async samplePidusage(): Promise<Measured | undefined> {
    const pids = await this.tree.pids().catch(() => [] as number[]);
    if (pids.length === 0) return undefined;
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
      const key = String(pid);
      this.cpuMsByPid.set(key, Math.max(ctime, this.cpuMsByPid.get(key) ?? 0));
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

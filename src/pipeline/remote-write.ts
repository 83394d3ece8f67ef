/**
 * The remote-write side of a run: every series of the run, stamped with its end time, to a
 * Prometheus remote-write endpoint (Prometheus, Mimir, Cortex, Thanos Receive, VictoriaMetrics).
 */
import type { BuiltMetrics } from '../metrics/build-registry.js';
import type { GroupingKey } from '../metrics/grouping.js';
import {
  DEFAULT_REMOTE_WRITE_POLICY,
  remoteWrite,
  type RemoteWriteResult,
} from '../metrics/remote-write.js';
import { runSeries, splitIntoBatches } from '../metrics/remote-write-series.js';
import type { RemoteWriteTarget } from '../metrics/remote-write-target.js';
import type { Log } from './log.js';

/** Options of {@link writeRun}. */
export interface WriteRunOptions {
  readonly timeoutSeconds: number;
  /** After a cancellation: try briefly, never hang. */
  readonly hurry: boolean;
  /** Unix seconds the run ended: the timestamp of every sample. */
  readonly endedAt: number;
}

/**
 * Sends the run's series (and, for a successful run, the last-success series) in requests of
 * bounded size, within `push-timeout-seconds` in all.
 */
export async function writeRun(
  target: RemoteWriteTarget,
  key: GroupingKey,
  built: BuiltMetrics,
  options: WriteRunOptions,
  log: Log,
): Promise<RemoteWriteResult> {
  const { series, metadata } = await runSeries(built, key, options.endedAt);
  const batches = splitIntoBatches(series, metadata);
  const totalTimeoutMs = options.timeoutSeconds * 1000;
  const policy = options.hurry
    ? {
        ...DEFAULT_REMOTE_WRITE_POLICY,
        totalTimeoutMs: Math.min(5_000, totalTimeoutMs),
        maxAttempts: 2,
      }
    : { ...DEFAULT_REMOTE_WRITE_POLICY, totalTimeoutMs };
  const result = await remoteWrite(target, batches, policy);
  if (result.ok) {
    log.info(
      `Remote-wrote ${result.series} series stamped ${new Date(Math.round(options.endedAt * 1000)).toISOString()} to ${result.url} in ${result.requests} request(s) (${result.bytes} bytes, ${result.attempts} attempt(s), ${(result.durationMs / 1000).toFixed(2)} s).`,
    );
  }
  return result;
}

/**
 * Where a run's metrics go. Each configured target is checked before the command runs and
 * takes the run after it; `pushed` is true only when every configured target took it.
 */
import type { BuiltMetrics } from '../metrics/build-registry.js';
import type { GroupingKey } from '../metrics/grouping.js';
import type { GatewayTarget, PushResult, ReadyResult } from '../metrics/pushgateway.js';
import type { RemoteWriteResult } from '../metrics/remote-write.js';
import type { RemoteWriteTarget } from '../metrics/remote-write-target.js';
import { checkGateway, displayUrl, pushRun } from './gateway.js';
import type { Log } from './log.js';
import type { RunOptions } from './options.js';

/** The targets of a run, as found before the command ran. */
export interface PreparedTargets {
  readonly gateway?: GatewayTarget;
  readonly remoteWrite?: RemoteWriteTarget;
  /** The gateway's readiness, when there is a gateway. */
  readonly ready?: ReadyResult;
  readonly warnings: readonly string[];
}

/** What the targets took. */
export interface Delivery {
  /** Gateway URL without credentials; undefined when pushing to a gateway is off. */
  readonly gateway?: string;
  readonly ready?: ReadyResult;
  /** The run's group, then the last-success group when there was one. */
  readonly pushes: readonly PushResult[];
  /** How the remote write went; undefined when remote-write-url is not set. */
  readonly remoteWrite?: RemoteWriteResult;
  /** True when at least one target is configured and every one took the run. */
  readonly pushed: boolean;
  /** True when no target is configured. */
  readonly none: boolean;
  readonly warnings: readonly string[];
}

/** Checks every configured target; throws only when the user asked a target to be required. */
export async function prepareTargets(
  options: RunOptions,
  log: Log,
  signal?: AbortSignal,
): Promise<PreparedTargets> {
  // A remote-write endpoint has no standard readiness path (Mimir's is not Prometheus'): the
  // write itself retries while the receiver starts.
  const remote = options.remoteWrite && { remoteWrite: options.remoteWrite };
  if (options.pushgatewayUrl === undefined) return { ...remote, warnings: [] };
  const gateway: GatewayTarget = { url: options.pushgatewayUrl, auth: options.auth };
  const check = await checkGateway(gateway, options, log, signal);
  return { gateway, ...remote, ready: check.ready, warnings: check.warnings };
}

/** What {@link deliver} sends. */
export interface DeliveryInput {
  readonly key: GroupingKey;
  readonly built: BuiltMetrics;
  readonly exposition: string;
  /** Where the exposition was written, for the warning when a push fails. */
  readonly metricsFile: string;
  /** Unix seconds the run ended: the timestamp of every remote-written sample. */
  readonly endedAt: number;
  /** Cancelled, or a target already failed its check: try briefly, never hang. */
  readonly hurry: boolean;
  /** The job's cancellation, which cuts a push under way short. */
  readonly signal?: AbortSignal;
}

/** Pushes to the gateway; the warnings of the pushes that failed. */
async function toGateway(
  gateway: GatewayTarget,
  hurry: boolean,
  input: DeliveryInput,
  options: RunOptions,
  log: Log,
): Promise<{ pushes: PushResult[]; warnings: string[] }> {
  const pushOptions = {
    timeoutSeconds: options.pushTimeoutSeconds,
    hurry,
    ...(input.signal && { signal: input.signal }),
  };
  const pushes = await pushRun(gateway, input.key, input.built, input.exposition, pushOptions, log);
  const warnings = pushes.flatMap((push, index) =>
    push.ok
      ? []
      : [
          `Could not push ${index === 0 ? 'the metrics' : 'the last-success group'} to ${displayUrl(gateway)}: ${push.error ?? ''}${push.cancelled === true ? ' (the job was cancelled)' : ''}. The metrics are in ${input.metricsFile}.`,
        ],
  );
  return { pushes, warnings };
}

/** Remote-writes the run; the warning when it failed. */
async function toRemoteWrite(
  target: RemoteWriteTarget,
  hurry: boolean,
  input: DeliveryInput,
  options: RunOptions,
  log: Log,
): Promise<{ result: RemoteWriteResult; warnings: string[] }> {
  const writeOptions = {
    timeoutSeconds: options.pushTimeoutSeconds,
    hurry,
    endedAt: input.endedAt,
  };
  // Evaluated only when remote write is on (eager: in the one bundle file, so its licenses stay
  // in dist/licenses.txt): protobufjs costs a gateway-only run nothing at start.
  const { writeRun } = await import(/* webpackMode: "eager" */ './remote-write.js');
  const result = await writeRun(target, input.key, input.built, writeOptions, log);
  if (result.ok) return { result, warnings: [] };
  const partly =
    result.requestsTaken > 0
      ? ` (${result.requestsTaken} of ${result.requests} requests were taken; sending the run again is harmless)`
      : '';
  return {
    result,
    warnings: [
      `Could not remote-write the metrics to ${result.url}${partly}: ${result.error ?? ''}. The metrics are in ${input.metricsFile}.`,
    ],
  };
}

/**
 * Sends the run to every prepared target, at the same time, each within push-timeout-seconds.
 * Never throws: a failure becomes a warning.
 */
export async function deliver(
  targets: PreparedTargets,
  input: DeliveryInput,
  options: RunOptions,
  log: Log,
): Promise<Delivery> {
  const { gateway, remoteWrite } = targets;
  if (gateway === undefined && remoteWrite === undefined) {
    return { pushes: [], pushed: false, none: true, warnings: [] };
  }
  const [pushed, written] = await Promise.all([
    gateway &&
      toGateway(gateway, input.hurry || targets.ready?.ready === false, input, options, log),
    remoteWrite && toRemoteWrite(remoteWrite, input.hurry, input, options, log),
  ]);
  const pushes = pushed?.pushes ?? [];
  const gatewayTook = pushes.length > 0 && pushes.every((push) => push.ok);
  return {
    ...(gateway && { gateway: displayUrl(gateway) }),
    ...(targets.ready && { ready: targets.ready }),
    pushes,
    ...(written && { remoteWrite: written.result }),
    pushed: (gateway === undefined || gatewayTook) && (written === undefined || written.result.ok),
    none: false,
    warnings: [...(pushed?.warnings ?? []), ...(written?.warnings ?? [])],
  };
}

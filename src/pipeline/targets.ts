/**
 * Where a run's metrics go. Each configured target is checked before the command runs and
 * takes the run after it; `pushed` is true only when every configured target took it.
 */
import type { BuiltMetrics } from '../metrics/build-registry.js';
import type { GroupingKey } from '../metrics/grouping.js';
import type { GatewayTarget, PushResult, ReadyResult } from '../metrics/pushgateway.js';
import { checkGateway, displayUrl, pushRun } from './gateway.js';
import type { Log } from './log.js';
import type { RunOptions } from './options.js';

/** The targets of a run, as found before the command ran. */
export interface PreparedTargets {
  readonly gateway?: GatewayTarget;
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
  if (options.pushgatewayUrl === undefined) return { warnings: [] };
  const gateway: GatewayTarget = { url: options.pushgatewayUrl, auth: options.auth };
  const check = await checkGateway(gateway, options, log, signal);
  return { gateway, ready: check.ready, warnings: check.warnings };
}

/** What {@link deliver} sends. */
export interface DeliveryInput {
  readonly key: GroupingKey;
  readonly built: BuiltMetrics;
  readonly exposition: string;
  /** Where the exposition was written, for the warning when a push fails. */
  readonly metricsFile: string;
  /** Cancelled, or a target already failed its check: try briefly, never hang. */
  readonly hurry: boolean;
  /** The job's cancellation, which cuts a push under way short. */
  readonly signal?: AbortSignal;
}

/** Sends the run to every prepared target. Never throws: a failure becomes a warning. */
export async function deliver(
  targets: PreparedTargets,
  input: DeliveryInput,
  options: RunOptions,
  log: Log,
): Promise<Delivery> {
  const { gateway } = targets;
  if (gateway === undefined) return { pushes: [], pushed: false, none: true, warnings: [] };
  const hurry = input.hurry || targets.ready?.ready === false;
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
  return {
    gateway: displayUrl(gateway),
    ...(targets.ready && { ready: targets.ready }),
    pushes,
    pushed: pushes.length > 0 && pushes.every((push) => push.ok),
    none: false,
    warnings,
  };
}

/** The Pushgateway side of a run: the readiness check before the command, the pushes after it. */
import type { BuiltMetrics } from '../metrics/build-registry.js';
import { groupPath, lastSuccessGroupingKey, type GroupingKey } from '../metrics/grouping.js';
import {
  afterGrace,
  DEFAULT_PUSH_POLICY,
  pushGroup,
  waitUntilReady,
  type GatewayTarget,
  type PushResult,
  type ReadyResult,
} from '../metrics/pushgateway.js';
import type { Log } from './log.js';
import type { RunOptions } from './options.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** The gateway as people may see it: base URL, no credentials, no trailing slash. */
export function displayUrl(target: GatewayTarget): string {
  return target.url.href.replace(/\/$/, '');
}

/** What the readiness check found, and the warning it left when the gateway did not answer. */
export interface GatewayCheck {
  readonly ready: ReadyResult;
  readonly warnings: readonly string[];
}

/**
 * Waits for `/-/ready`. Not ready: throws when `gateway-required`, else warns, since the tests
 * run anyway and their metrics still go to the metrics file.
 */
export async function checkGateway(
  target: GatewayTarget,
  options: Pick<RunOptions, 'gatewayWaitSeconds' | 'gatewayRequired'>,
  log: Log,
  signal?: AbortSignal,
): Promise<GatewayCheck> {
  const ready = await waitUntilReady(target, options.gatewayWaitSeconds, signal && { signal });
  const gateway = displayUrl(target);
  if (ready.ready) {
    log.info(`Pushgateway ${gateway} is ready (${seconds(ready.durationMs)}).`);
    return { ready, warnings: [] };
  }
  if (ready.cancelled === true) {
    // The run is over before it began: its verdict is the cancellation, not the gateway.
    const message = `The wait for Pushgateway ${gateway} was cancelled after ${seconds(ready.durationMs)}.`;
    log.info(message);
    return { ready, warnings: [message] };
  }
  const message = `Pushgateway ${gateway} did not answer /-/ready within ${options.gatewayWaitSeconds} s: ${ready.error ?? 'no answer'}`;
  if (options.gatewayRequired) {
    throw new Error(`${message}. gateway-required is true, so the tests were not run.`);
  }
  log.info(`${message}. The tests run anyway.`);
  return {
    ready,
    warnings: [`${message}. The tests run anyway; the metrics go to the metrics file.`],
  };
}

/** Options of {@link pushRun}. */
export interface PushRunOptions {
  readonly timeoutSeconds: number;
  /** After a failed readiness check or a cancellation: try briefly, never hang. */
  readonly hurry: boolean;
  /** The job's cancellation: a push under way then gets {@link CANCEL_PUSH_GRACE_MS} more. */
  readonly signal?: AbortSignal;
}

/**
 * How long a push may go on once the job is cancelled. The runner sends SIGTERM 7.5 s after
 * SIGINT and kills 2.5 s later: the summary and the outputs must be written before that.
 */
export const CANCEL_PUSH_GRACE_MS = 3_000;

/**
 * PUTs the run's group, then, for a successful run, the last-success group. After a failed
 * readiness check or a cancellation it tries briefly: the step must not hang on a dead gateway.
 */
export async function pushRun(
  target: GatewayTarget,
  key: GroupingKey,
  built: BuiltMetrics,
  exposition: string,
  options: PushRunOptions,
  log: Log,
): Promise<PushResult[]> {
  const totalTimeoutMs = options.timeoutSeconds * 1000;
  const policy = options.hurry
    ? {
        ...DEFAULT_PUSH_POLICY,
        attemptTimeoutMs: 3_000,
        totalTimeoutMs: Math.min(5_000, totalTimeoutMs),
        maxAttempts: 2,
      }
    : // A slow answer is a busy gateway: sending the PUT again would only queue a second copy
      // behind the first, so one attempt may take the whole budget; fast failures are retried.
      { ...DEFAULT_PUSH_POLICY, totalTimeoutMs, attemptTimeoutMs: totalTimeoutMs };
  const control = options.signal && { signal: afterGrace(options.signal, CANCEL_PUSH_GRACE_MS) };
  const pushes = [await pushGroup(target, groupPath(key), exposition, policy, 'PUT', control)];
  if (pushes[0]?.ok === true && built.lastSuccess !== undefined) {
    const path = groupPath(lastSuccessGroupingKey(key));
    const body = await built.lastSuccess.metrics();
    pushes.push(await pushGroup(target, path, body, policy, 'PUT', control));
  }
  for (const push of pushes) {
    if (push.ok) {
      log.info(
        `Pushed ${push.bytes} bytes to ${push.path} (${push.attempts} attempt(s), ${seconds(push.durationMs)}).`,
      );
    }
  }
  return pushes;
}

/**
 * The Pushgateway client: readiness check and group push with retries where they can help
 * (network errors, 5xx, 429), backoff, `Retry-After`, a per-attempt timeout, a total bound and an
 * AbortSignal. Redirects are never followed: a 3xx is a failure that names where it pointed.
 */
import type { PushAuth } from '../pipeline/options.js';
import { authHeaders } from './explain-answer.js';
import { explain, isRedirect } from './explain-answer.js';
import { requestOnce, type Answer } from './gateway-request.js';

export { authHeaders, explain } from './explain-answer.js';
export { describeNetworkError, parseRetryAfter } from './gateway-request.js';
/** Where and how to reach the gateway. */
export interface GatewayTarget {
  /** Base URL without credentials; a path prefix (`/pushgateway`) is kept. */
  readonly url: URL;
  readonly auth: PushAuth;
}

/** Retry settings of one operation. */
export interface RetryPolicy {
  /** Timeout of one request. */
  readonly attemptTimeoutMs: number;
  /** Bound on all attempts and waits together. */
  readonly totalTimeoutMs: number;
  readonly maxAttempts: number;
  /** First backoff; doubled after each failure, with jitter. */
  readonly initialBackoffMs: number;
}

/** Defaults for a push: 5 attempts, 30 s in all, one attempt as long as the whole bound. */
export const DEFAULT_PUSH_POLICY: RetryPolicy = {
  attemptTimeoutMs: 30_000,
  totalTimeoutMs: 30_000,
  maxAttempts: 5,
  initialBackoffMs: 500,
};

/** How a push ended. */
export interface PushResult {
  readonly ok: boolean;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly durationMs: number;
  readonly bytes: number;
  readonly status?: number;
  /** Cut short by a cancellation. */
  readonly cancelled?: boolean;
  /** What went wrong, in words a user can act on, with the gateway's own message. */
  readonly error?: string;
}

/** How the readiness check ended. */
export interface ReadyResult {
  readonly ready: boolean;
  readonly attempts: number;
  readonly durationMs: number;
  /** The wait was abandoned because the job was cancelled. */
  readonly cancelled?: boolean;
  readonly error?: string;
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal?.aborted === true) done();
    else signal?.addEventListener('abort', done, { once: true });
  });
}

/** Joins the base URL's path prefix and an API path. */
export function gatewayUrl(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url;
}

const retryable = (answer: Answer): boolean =>
  answer.cancelled !== true &&
  (answer.networkError !== undefined ||
    answer.status === 429 ||
    (answer.status !== undefined && answer.status >= 500));

/** What may end a request early. */
export interface RequestControl {
  /** Aborting abandons the request in flight and every retry. */
  readonly signal?: AbortSignal;
}

/** Sends one request, again while the answer is retryable and the time and attempt bounds allow. */
async function withRetries(
  method: string,
  target: GatewayTarget,
  path: string,
  body: string | null,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
): Promise<{ answer: Answer; attempts: number; durationMs: number }> {
  const started = Date.now();
  const deadline = started + policy.totalTimeoutMs;
  const headers = {
    ...authHeaders(target.auth),
    ...(body !== null ? { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' } : {}),
  };
  const url = gatewayUrl(target.url, path);
  let backoff = policy.initialBackoffMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    const timeoutMs = Math.max(1, Math.min(policy.attemptTimeoutMs, deadline - Date.now()));
    const answer = await requestOnce({
      method,
      url,
      body,
      headers,
      timeoutMs,
      ...(signal && { signal }),
    });
    const success = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
    if (success || !retryable(answer) || attempts >= policy.maxAttempts) {
      return { answer, attempts, durationMs: Date.now() - started };
    }
    const wait = Math.max(answer.retryAfterMs ?? 0, backoff * (0.75 + Math.random() * 0.5));
    if (Date.now() + wait >= deadline) {
      return { answer, attempts, durationMs: Date.now() - started };
    }
    await sleep(wait, signal);
    if (signal?.aborted === true) {
      return { answer: cancelledAnswer, attempts, durationMs: Date.now() - started };
    }
    backoff *= 2;
  }
}

const cancelledAnswer: Answer = {
  body: '',
  cancelled: true,
  networkError: 'cancelled before the gateway answered',
};

/** Replaces (`PUT`) or deletes (`DELETE`) a group. */
export async function pushGroup(
  target: GatewayTarget,
  path: string,
  exposition: string | null,
  policy: RetryPolicy = DEFAULT_PUSH_POLICY,
  method: 'PUT' | 'DELETE' = 'PUT',
  control: RequestControl = {},
): Promise<PushResult> {
  const { answer, attempts, durationMs } = await withRetries(
    method,
    target,
    path,
    exposition,
    policy,
    control.signal,
  );
  const ok = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
  return {
    ok,
    method,
    path,
    attempts,
    durationMs,
    bytes: exposition === null ? 0 : Buffer.byteLength(exposition),
    ...(answer.status !== undefined ? { status: answer.status } : {}),
    ...(answer.cancelled === true ? { cancelled: true } : {}),
    ...(ok ? {} : { error: explain(answer, path, target.auth) }),
  };
}

/**
 * Polls `GET /-/ready` until it answers 200 or `waitSeconds` have passed. A redirect or a 4xx
 * other than 429 ends the wait at once: waiting will not change them.
 */
export async function waitUntilReady(
  target: GatewayTarget,
  waitSeconds: number,
  control: RequestControl = {},
): Promise<ReadyResult> {
  const { signal } = control;
  const started = Date.now();
  const deadline = started + waitSeconds * 1000;
  const headers = authHeaders(target.auth);
  const url = gatewayUrl(target.url, READY_PATH);
  let attempts = 0;
  let last: Answer | undefined;
  for (;;) {
    attempts++;
    const timeoutMs = Math.max(1000, Math.min(5_000, deadline - Date.now()));
    last = await requestOnce({
      method: 'GET',
      url,
      body: null,
      headers,
      timeoutMs,
      ...(signal && { signal }),
    });
    if (last.status === 200) return { ready: true, attempts, durationMs: Date.now() - started };
    const hopeless =
      last.cancelled === true ||
      isRedirect(last) ||
      (last.status !== undefined && last.status >= 400 && last.status < 500 && last.status !== 429);
    if (hopeless || Date.now() + 1000 > deadline) break;
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())), signal);
    if (signal?.aborted === true) {
      last = cancelledAnswer;
      break;
    }
  }
  return {
    ready: false,
    attempts,
    durationMs: Date.now() - started,
    ...(last.cancelled === true ? { cancelled: true } : {}),
    error: explain(last, READY_PATH, target.auth),
  };
}

/** The gateway's readiness endpoint. */
export const READY_PATH = '/-/ready';

/**
 * A signal that aborts `graceMs` after `signal` does: a push under way when the job is cancelled
 * gets a moment to finish, then gives way, well before the runner's SIGKILL.
 */
export function afterGrace(signal: AbortSignal, graceMs: number): AbortSignal {
  const controller = new AbortController();
  const start = (): void => {
    setTimeout(() => {
      controller.abort(signal.reason);
    }, graceMs).unref();
  };
  if (signal.aborted) start();
  else signal.addEventListener('abort', start, { once: true });
  return controller.signal;
}

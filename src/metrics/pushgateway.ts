/**
 * The Pushgateway client: readiness check and group push with retries where they can help
 * (network errors, 5xx, 429), backoff, `Retry-After`, a per-attempt timeout and a total bound.
 * Uses @actions/http-client, so the runner's proxy settings (HTTPS_PROXY, NO_PROXY) apply.
 */
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import type { PushAuth } from '../pipeline/options.js';
import { ACTION_VERSION } from '../version.js';

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
  /** What went wrong, in words a user can act on, with the gateway's own message. */
  readonly error?: string;
}

/** How the readiness check ended. */
export interface ReadyResult {
  readonly ready: boolean;
  readonly attempts: number;
  readonly durationMs: number;
  readonly error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Joins the base URL's path prefix and an API path. */
export function gatewayUrl(base: URL, path: string): string {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Authorization and extra headers for every request. */
export function authHeaders(auth: PushAuth): Record<string, string> {
  const headers: Record<string, string> = { ...auth.headers };
  if (auth.token !== undefined) headers.Authorization = `Bearer ${auth.token}`;
  else if (auth.username !== undefined) {
    const pair = `${auth.username}:${auth.password ?? ''}`;
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  return headers;
}

interface Answer {
  readonly status?: number;
  readonly body: string;
  readonly retryAfterMs?: number;
  readonly networkError?: string;
}

/** Parses a Retry-After header: seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function requestOnce(
  method: string,
  url: string,
  body: string | null,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Answer> {
  // keepAlive gives the client its own agent, which dispose() destroys: a hung socket never
  // outlives its attempt.
  const client = new HttpClient(`reliability-metrics-action/${ACTION_VERSION}`, [], {
    socketTimeout: timeoutMs,
    keepAlive: true,
    allowRetries: false,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const response = await Promise.race([
      client.request(method, url, body, headers).then(async (res: HttpClientResponse) => ({
        status: res.message.statusCode,
        body: await res.readBody(),
        retryAfterMs: parseRetryAfter(res.message.headers['retry-after']),
      })),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs / 1000} s`));
        }, timeoutMs);
      }),
    ]);
    return response;
  } catch (error) {
    return { body: '', networkError: describeNetworkError(error) };
  } finally {
    clearTimeout(timer);
    client.dispose();
  }
}

/** Turns a socket error into words: refused, DNS, reset, TLS, timeout. */
export function describeNetworkError(error: unknown, service = 'the Pushgateway'): string {
  const err = error as NodeJS.ErrnoException;
  const code = err.code ?? '';
  const message = err.message || String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused: nothing listens at that address (is ${service} running?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name could not be resolved (${code}): check the URL`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection was reset (${code}) before ${service} answered`;
    default:
      if (/certificate|self.signed|SSL|TLS/i.test(`${code} ${message}`)) {
        return `TLS error (${code || message}): for a private CA set NODE_EXTRA_CA_CERTS to its PEM file`;
      }
      if (/timeout/i.test(message)) return `no answer in time (${message})`;
      return code !== '' ? `${code}: ${message}` : message;
  }
}

const retryable = (answer: Answer): boolean =>
  answer.networkError !== undefined ||
  answer.status === 429 ||
  (answer.status !== undefined && answer.status >= 500);

function explain(answer: Answer): string {
  if (answer.networkError !== undefined) return answer.networkError;
  const body = answer.body.trim().replace(/\s+/g, ' ').slice(0, 500);
  const said = body === '' ? '' : `: ${body}`;
  switch (answer.status) {
    case 400:
      return `the gateway rejected the metrics (HTTP 400)${said}. A metric name pushed by another group with another type or labels causes this; change metric-prefix or delete the old group`;
    case 401:
    case 403:
      return `the gateway refused the credentials (HTTP ${answer.status})${said}. Check pushgateway-username/pushgateway-password or pushgateway-token`;
    case 404:
      return `nothing at that path (HTTP 404)${said}. Check pushgateway-url: it is the gateway's base URL, without /metrics`;
    default:
      return `HTTP ${answer.status ?? '?'}${said}`;
  }
}

/** Sends one request, again while the answer is retryable and the time and attempt bounds allow. */
async function withRetries(
  method: string,
  target: GatewayTarget,
  path: string,
  body: string | null,
  policy: RetryPolicy,
): Promise<{ answer: Answer; attempts: number; durationMs: number }> {
  const started = Date.now();
  const deadline = started + policy.totalTimeoutMs;
  const headers = {
    ...authHeaders(target.auth),
    ...(body !== null ? { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' } : {}),
  };
  let backoff = policy.initialBackoffMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    const timeout = Math.max(1, Math.min(policy.attemptTimeoutMs, deadline - Date.now()));
    const answer = await requestOnce(method, gatewayUrl(target.url, path), body, headers, timeout);
    const success = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
    if (success || !retryable(answer) || attempts >= policy.maxAttempts) {
      return { answer, attempts, durationMs: Date.now() - started };
    }
    const wait = Math.max(answer.retryAfterMs ?? 0, backoff * (0.75 + Math.random() * 0.5));
    if (Date.now() + wait >= deadline)
      return { answer, attempts, durationMs: Date.now() - started };
    await sleep(wait);
    backoff *= 2;
  }
}

/** Replaces (`PUT`) or deletes (`DELETE`) a group. */
export async function pushGroup(
  target: GatewayTarget,
  path: string,
  exposition: string | null,
  policy: RetryPolicy = DEFAULT_PUSH_POLICY,
  method: 'PUT' | 'DELETE' = 'PUT',
): Promise<PushResult> {
  const { answer, attempts, durationMs } = await withRetries(
    method,
    target,
    path,
    exposition,
    policy,
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
    ...(ok ? {} : { error: explain(answer) }),
  };
}

/** Polls `GET /-/ready` until it answers 200 or `waitSeconds` have passed. */
export async function waitUntilReady(
  target: GatewayTarget,
  waitSeconds: number,
): Promise<ReadyResult> {
  const started = Date.now();
  const deadline = started + waitSeconds * 1000;
  const headers = authHeaders(target.auth);
  let attempts = 0;
  let last: Answer | undefined;
  for (;;) {
    attempts++;
    const timeout = Math.max(1000, Math.min(5_000, deadline - Date.now()));
    last = await requestOnce('GET', gatewayUrl(target.url, '/-/ready'), null, headers, timeout);
    if (last.status === 200) return { ready: true, attempts, durationMs: Date.now() - started };
    const hopeless =
      last.status !== undefined && last.status >= 400 && last.status < 500 && last.status !== 429;
    if (hopeless || Date.now() + 1000 > deadline) break;
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
  }
  return { ready: false, attempts, durationMs: Date.now() - started, error: explain(last) };
}

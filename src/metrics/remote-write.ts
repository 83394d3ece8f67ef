/**
 * The remote-write 1.0 client: sends the run's series as snappy-compressed protobuf
 * `WriteRequest`s, retrying network errors, 5xx and 429 with backoff and `Retry-After` within one
 * time budget. Never follows a redirect, so credentials only go where the user pointed them.
 *
 * Sending the same request twice is harmless: every sample carries the run's end time, so a
 * receiver that already holds it sees the same series, timestamp and value again and keeps one.
 * Sent with the gateway's request function, so the runner's proxy settings apply as for the gateway.
 */
import { requestOnce } from './gateway-request.js';
import { encodeWriteRequest, snappyCompress } from './remote-write-proto.js';
import type { WriteBatch } from './remote-write-series.js';
import { displayRemoteWriteUrl, type RemoteWriteTarget } from './remote-write-target.js';

/** Most bytes of an error answer read (and quoted); the rest is dropped unread. */
export const MAX_ERROR_BODY_BYTES = 4096;

/** Time and attempt bounds of one remote write (all requests together). */
export interface RemoteWritePolicy {
  /** Bound on all requests, attempts and waits together (`push-timeout-seconds`). */
  readonly totalTimeoutMs: number;
  /** Attempts per request. */
  readonly maxAttempts: number;
  /** First backoff; doubled after each failure, with jitter. */
  readonly initialBackoffMs: number;
}

/** Defaults: 30 s in all, 5 attempts per request, 500 ms first backoff. */
export const DEFAULT_REMOTE_WRITE_POLICY: RemoteWritePolicy = {
  totalTimeoutMs: 30_000,
  maxAttempts: 5,
  initialBackoffMs: 500,
};

/** How a remote write ended. */
export interface RemoteWriteResult {
  readonly ok: boolean;
  /** The endpoint without credentials or query. */
  readonly url: string;
  /** Requests the series were cut into, and how many of them were taken. */
  readonly requests: number;
  readonly requestsTaken: number;
  readonly series: number;
  /** Compressed bytes sent (each request once). */
  readonly bytes: number;
  readonly attempts: number;
  readonly durationMs: number;
  readonly status?: number;
  /** What went wrong, in words a user can act on, with the receiver's own message. */
  readonly error?: string;
}

interface Answer {
  readonly status?: number;
  readonly body: string;
  readonly retryAfterMs?: number;
  readonly location?: string;
  readonly networkError?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One POST, on the gateway's request function: no redirect followed, at most
 * {@link MAX_ERROR_BODY_BYTES} of the answer read, IPv6 literals, the runner's proxy.
 */
async function postOnce(
  target: RemoteWriteTarget,
  body: Buffer,
  timeoutMs: number,
): Promise<Answer> {
  const answer = await requestOnce({
    method: 'POST',
    url: target.url,
    body,
    headers: {
      ...target.headers,
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    timeoutMs,
    maxBodyBytes: MAX_ERROR_BODY_BYTES,
  });
  if (answer.networkError === undefined) return answer;
  return {
    ...answer,
    networkError: answer.networkError.replace(/the Pushgateway|the gateway/g, 'the receiver'),
  };
}

const retryable = (answer: Answer): boolean =>
  answer.networkError !== undefined ||
  answer.status === 429 ||
  (answer.status !== undefined && answer.status >= 500);

/** Where a redirect pointed, without credentials or query. */
function redirectTarget(location: string | undefined, base: URL): string {
  try {
    return displayRemoteWriteUrl(new URL(location ?? '', base));
  } catch {
    return 'an invalid Location';
  }
}

/** The failure in words: the status, the receiver's message and what to check. */
export function explainRemoteWriteFailure(answer: Answer, url: URL): string {
  if (answer.networkError !== undefined) return answer.networkError;
  const text = answer.body.trim().replace(/\s+/g, ' ').slice(0, 500);
  const said = text === '' ? '' : `: ${text}`;
  const status = answer.status ?? 0;
  if (status >= 300 && status < 400) {
    return `the endpoint redirects (HTTP ${status}) to ${redirectTarget(answer.location, url)}; redirects are not followed, so credentials never travel elsewhere. Put the final URL in remote-write-url`;
  }
  switch (status) {
    case 400:
      return /out of (order|bounds)|too old|outside/i.test(text)
        ? `the receiver refused samples as too old or out of order (HTTP 400)${said}. A receiver only takes samples near its own clock; check the runner's clock`
        : `the receiver rejected the samples (HTTP 400)${said}`;
    case 401:
    case 403:
      return `the receiver refused the credentials (HTTP ${status})${said}. Check the user and password in remote-write-url, or the Authorization and tenant headers in remote-write-headers`;
    case 404:
      return `nothing at that path (HTTP 404)${said}. remote-write-url is the full endpoint: /api/v1/write for Prometheus (started with --web.enable-remote-write-receiver) and VictoriaMetrics, /api/v1/push for Mimir and Cortex, /api/v1/receive for Thanos Receive`;
    case 413:
      return `the request was too large for the receiver (HTTP 413)${said}. Lower max-test-series`;
    default:
      return `HTTP ${status || '?'}${said}`;
  }
}

/** Sends the batches in order; stops at the first one that cannot be delivered. */
export async function remoteWrite(
  target: RemoteWriteTarget,
  batches: readonly WriteBatch[],
  policy: RemoteWritePolicy = DEFAULT_REMOTE_WRITE_POLICY,
): Promise<RemoteWriteResult> {
  const started = Date.now();
  const deadline = started + policy.totalTimeoutMs;
  let attempts = 0;
  let bytes = 0;
  let taken = 0;
  let last: Answer | undefined;
  const result = (ok: boolean): RemoteWriteResult => ({
    ok,
    url: displayRemoteWriteUrl(target.url),
    requests: batches.length,
    requestsTaken: taken,
    series: batches.reduce((sum, batch) => sum + batch.series.length, 0),
    bytes,
    attempts,
    durationMs: Date.now() - started,
    ...(last?.status !== undefined ? { status: last.status } : {}),
    ...(ok || last === undefined ? {} : { error: explainRemoteWriteFailure(last, target.url) }),
  });
  for (const batch of batches) {
    const body = snappyCompress(encodeWriteRequest(batch.series, batch.metadata));
    bytes += body.length;
    let backoff = policy.initialBackoffMs;
    for (let attempt = 1; ; attempt++) {
      attempts++;
      const remaining = deadline - Date.now();
      last =
        remaining > 0
          ? await postOnce(target, body, remaining)
          : { body: '', networkError: `no time left within push-timeout-seconds` };
      const status = last.status ?? 0;
      if (status >= 200 && status < 300) break;
      if (!retryable(last) || attempt >= policy.maxAttempts) return result(false);
      const wait = Math.max(last.retryAfterMs ?? 0, backoff * (0.75 + Math.random() * 0.5));
      if (Date.now() + wait >= deadline) return result(false);
      await sleep(wait);
      backoff *= 2;
    }
    taken++;
  }
  return result(true);
}

/**
 * One HTTP request to the gateway, on Node's own client, because what @actions/http-client does
 * is wrong for credentials: it follows redirects for every method (re-sending the body, and the
 * Authorization header to any port of the same host), reads bodies without a bound, takes no
 * AbortSignal and hands `[::1]` with its brackets to the socket layer. The runner's proxy settings
 * (HTTP(S)_PROXY, NO_PROXY) still apply: the proxy agent comes from @actions/http-client.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HttpClient } from '@actions/http-client';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import { ACTION_VERSION } from '../version.js';

/** Most bytes read of any answer's body; the rest is never read (a gateway may send megabytes). */
export const MAX_ANSWER_BODY_BYTES = 4096;

/** What one request got back. */
export interface Answer {
  readonly status?: number;
  /** At most {@link MAX_ANSWER_BODY_BYTES} of the body. */
  readonly body: string;
  /** The body was longer than what was read. */
  readonly truncated?: boolean;
  /** `Location` of a 3xx answer, resolved against the request URL. */
  readonly location?: string;
  readonly retryAfterMs?: number;
  readonly networkError?: string;
  /** The request was abandoned because the signal aborted. */
  readonly cancelled?: boolean;
}

/** One request to send. */
export interface GatewayRequest {
  readonly method: string;
  readonly url: URL;
  readonly body: string | Uint8Array | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Most bytes of the body read; {@link MAX_ANSWER_BODY_BYTES} (enough to explain an error) by default. */
  readonly maxBodyBytes?: number;
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

/** Turns a socket error into words: refused, DNS, reset, TLS, timeout. */
export function describeNetworkError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  const code = err.code ?? '';
  const message = err.message || String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing listens at that address (is the Pushgateway running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name could not be resolved (${code}): check the URL`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection was reset (${code}) before the gateway answered`;
    default:
      if (/certificate|self.signed|SSL|TLS/i.test(`${code} ${message}`)) {
        return `TLS error (${code || message}): for a private CA set NODE_EXTRA_CA_CERTS to its PEM file`;
      }
      if (/timeout/i.test(message)) return `no answer in time (${message})`;
      return code !== '' ? `${code}: ${message}` : message;
  }
}

/** Where the socket goes: the proxy's tunnel when one applies, else the host itself. */
function connection(url: URL): Pick<RequestOptions, 'host' | 'agent'> {
  if (getProxyUrl(url) !== undefined) {
    // The tunnel agent writes `CONNECT host:port`, where an IPv6 literal keeps its brackets.
    const agent = new HttpClient('', [], { keepAlive: false }).getAgent(url.href);
    return { host: url.hostname, agent };
  }
  // The socket layer wants `::1`, not `[::1]` (Node's own URL-to-options conversion does this).
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { host, agent: false };
}

function readBounded(
  res: IncomingMessage,
  maxBytes: number,
  done: (body: string, truncated: boolean) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) {
      // Enough to explain the error: the rest is never read, the socket is closed.
      res.destroy();
      done(Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), true);
    }
  });
  res.on('end', () => {
    done(Buffer.concat(chunks).toString('utf8'), false);
  });
  res.on('error', () => {
    done(Buffer.concat(chunks).toString('utf8'), size > 0);
  });
}

/**
 * Sends one request and never follows a redirect: a 3xx comes back as the answer, with its
 * `Location`. Ends within `timeoutMs` (answer included), or as soon as `signal` aborts.
 */
export function requestOnce(request: GatewayRequest): Promise<Answer> {
  const { url, body, signal } = request;
  return new Promise<Answer>((resolve) => {
    let settled = false;
    const finish = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(answer);
    };
    const onAbort = (): void => {
      finish({ body: '', cancelled: true, networkError: 'cancelled before the gateway answered' });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send({
      ...connection(url),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: {
        'User-Agent': `reliability-metrics-action/${ACTION_VERSION}`,
        ...request.headers,
        ...(body !== null ? { 'Content-Length': Buffer.byteLength(body) } : {}),
      },
    });
    const timer = setTimeout(() => {
      finish({ body: '', networkError: `no answer within ${request.timeoutMs / 1000} s` });
    }, request.timeoutMs);
    req.on('error', (error) => {
      finish({ body: '', networkError: describeNetworkError(error) });
    });
    req.on('response', (res) => {
      const raw = res.headers.location;
      let location: string | undefined;
      if (raw !== undefined && res.statusCode !== undefined && res.statusCode < 400) {
        try {
          const resolved = new URL(raw, url);
          resolved.username = '';
          resolved.password = '';
          location = resolved.href;
        } catch {
          location = raw;
        }
      }
      readBounded(res, request.maxBodyBytes ?? MAX_ANSWER_BODY_BYTES, (text, truncated) => {
        finish({
          ...(res.statusCode !== undefined ? { status: res.statusCode } : {}),
          body: text,
          ...(truncated ? { truncated } : {}),
          ...(location !== undefined ? { location } : {}),
          ...(res.headers['retry-after'] !== undefined
            ? { retryAfterMs: parseRetryAfter(res.headers['retry-after']) }
            : {}),
        });
      });
    });
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body ?? undefined);
  });
}

/**
 * A minimal client of the Prometheus HTTP query API (`POST /api/v1/query`), which Prometheus,
 * Thanos Query, Mimir and VictoriaMetrics all serve. Every request is bounded in time and never
 * follows a redirect, so credentials only ever go to the address the user gave. Uses
 * @actions/http-client, so the runner's proxy settings apply.
 */
import { HttpClient } from '@actions/http-client';
import { describeNetworkError, gatewayUrl } from '../metrics/pushgateway.js';
import { ACTION_VERSION } from '../version.js';

/** Where the history is and how to reach it. */
export interface PrometheusTarget {
  /** Base URL without credentials; a path prefix (`/prometheus`, `/select/0/prometheus`) is kept. */
  readonly url: URL;
  /** Authorization (from credentials in the URL) and the `prometheus-headers`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One series of an instant-vector answer. */
export interface VectorSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

/** The query API's answer envelope. */
interface ApiAnswer {
  readonly status?: string;
  readonly error?: string;
  readonly errorType?: string;
  readonly data?: { readonly resultType?: string; readonly result?: unknown };
}

function describeStatus(status: number, body: string, location?: string): string {
  const said = body.trim().replace(/\s+/g, ' ').slice(0, 300);
  if (status >= 300 && status < 400) {
    return `it answered with a redirect (HTTP ${status}${location ? ` to ${new URL(location, 'http://x').pathname}` : ''}), which is not followed so that credentials never travel: set prometheus-url to the final address`;
  }
  if (status === 401 || status === 403) {
    return `it refused the credentials (HTTP ${status}): check the credentials in prometheus-url or prometheus-headers`;
  }
  if (status === 404) {
    return `nothing at that path (HTTP 404): prometheus-url is the base of the query API, without /api/v1 (for Mimir add its /prometheus prefix)`;
  }
  return `HTTP ${status}${said === '' ? '' : `: ${said}`}`;
}

/**
 * Runs one instant query at `time` (Unix seconds); resolves with the vector, rejects with an
 * error a user can act on (the query itself is never in it: it may be long).
 */
export async function queryVector(
  target: PrometheusTarget,
  promql: string,
  time: number,
  timeoutMs: number,
): Promise<VectorSample[]> {
  const client = new HttpClient(`reliability-metrics-action/${ACTION_VERSION}`, [], {
    allowRedirects: false,
    allowRetries: false,
    socketTimeout: timeoutMs,
    keepAlive: true,
  });
  const body = new URLSearchParams({
    query: promql,
    time: String(time),
    timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s`,
  }).toString();
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      client
        .request('POST', gatewayUrl(target.url, '/api/v1/query'), body, {
          ...target.headers,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        })
        .then(async (res) => ({
          status: res.message.statusCode ?? 0,
          location: res.message.headers.location,
          text: await res.readBody(),
        })),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs / 1000} s`));
        }, timeoutMs);
      }),
    ]).catch((error: unknown) => {
      throw new Error(describeNetworkError(error).replace('Pushgateway', 'query API'));
    });
    let parsed: ApiAnswer | undefined;
    try {
      parsed = JSON.parse(answer.text) as ApiAnswer;
    } catch {
      parsed = undefined;
    }
    if (parsed?.status === 'error') {
      throw new Error(`the query was rejected (${parsed.errorType ?? 'error'}): ${parsed.error}`);
    }
    if (answer.status !== 200)
      throw new Error(describeStatus(answer.status, answer.text, answer.location));
    if (parsed?.status !== 'success' || parsed.data?.resultType !== 'vector') {
      throw new Error(
        'the answer is not a Prometheus query API answer: check that prometheus-url points at the query API (Prometheus, Thanos Query, Mimir, VictoriaMetrics)',
      );
    }
    return (parsed.data.result ?? []) as VectorSample[];
  } finally {
    clearTimeout(timer);
    client.dispose();
  }
}

/**
 * A minimal client of the Prometheus HTTP query API (`POST /api/v1/query`), which Prometheus,
 * Thanos Query, Mimir and VictoriaMetrics all serve. Every request is bounded in time and never
 * follows a redirect, so credentials only ever go to the address the user gave. Sent with the
 * gateway's request function: the runner's proxy settings apply, IPv6 literals work, and the
 * answer read is bounded.
 */
import { requestOnce } from '../metrics/gateway-request.js';
import { gatewayUrl } from '../metrics/pushgateway.js';

/** Most bytes of one answer read: one run's series of one group at one instant fit many times. */
const MAX_QUERY_ANSWER_BYTES = 64 * 1024 * 1024;

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
  const body = new URLSearchParams({
    query: promql,
    time: String(time),
    timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s`,
  }).toString();
  const answer = await requestOnce({
    method: 'POST',
    url: gatewayUrl(target.url, '/api/v1/query'),
    body,
    headers: {
      ...target.headers,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    timeoutMs,
    maxBodyBytes: MAX_QUERY_ANSWER_BYTES,
  });
  if (answer.status === undefined) {
    throw new Error((answer.networkError ?? 'no answer').replace('Pushgateway', 'query API'));
  }
  let parsed: ApiAnswer | undefined;
  try {
    parsed = JSON.parse(answer.body) as ApiAnswer;
  } catch {
    parsed = undefined;
  }
  if (parsed?.status === 'error') {
    throw new Error(`the query was rejected (${parsed.errorType ?? 'error'}): ${parsed.error}`);
  }
  if (answer.status !== 200) {
    throw new Error(describeStatus(answer.status, answer.body, answer.location));
  }
  if (answer.truncated === true) {
    throw new Error(
      `the answer is larger than ${MAX_QUERY_ANSWER_BYTES / 1024 / 1024} MiB: narrow the group (fewer grouping labels or test series)`,
    );
  }
  if (parsed?.status !== 'success' || parsed.data?.resultType !== 'vector') {
    throw new Error(
      'the answer is not a Prometheus query API answer: check that prometheus-url points at the query API (Prometheus, Thanos Query, Mimir, VictoriaMetrics)',
    );
  }
  return (parsed.data.result ?? []) as VectorSample[];
}

/**
 * A failed answer of the gateway in words a user can act on: the status, what it means for this
 * action, and the gateway's own message, quoted safely (one line, no control characters, echoed
 * credentials replaced, cut at 500 characters).
 */
import type { PushAuth } from '../pipeline/options.js';
import type { Answer } from './gateway-request.js';

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

/** Whether the answer is a redirect (which is never followed). */
export const isRedirect = (answer: Answer): boolean =>
  answer.status !== undefined && answer.status >= 300 && answer.status < 400;

/** What a gateway may echo back of the request's credentials: password, token, headers. */
function credentialsOf(auth: PushAuth): string[] {
  // Authorization loses only its credentials ("Basic ***"): the scheme helps the reader.
  const sent = Object.entries(authHeaders(auth)).map(([name, value]) =>
    name === 'Authorization' ? value.slice(value.indexOf(' ') + 1) : value,
  );
  return [auth.password, auth.token, ...sent]
    .filter((value): value is string => value !== undefined && value.length >= 3)
    .sort((a, b) => b.length - a.length);
}

/**
 * The gateway's own words, on one line without control characters (no workflow commands), with
 * echoed credentials replaced before the cut (a cut could otherwise leave part of one).
 */
function excerpt(answer: Answer, secrets: readonly string[]): string {
  let text = answer.body;
  for (const secret of secrets) text = text.split(secret).join('***');
  text = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ')
    .trim();
  if (text === '') return '';
  const cut = text.length > MAX_EXCERPT_CHARS || answer.truncated === true;
  return `: ${text.slice(0, MAX_EXCERPT_CHARS)}${cut ? '… (cut)' : ''}`;
}

/** Most characters of a gateway's answer quoted in a message. */
const MAX_EXCERPT_CHARS = 500;

/** Where a redirect pointed, and the base URL to configure instead (its path minus the API path). */
function explainRedirect(answer: Answer, apiPath: string): string {
  const status = `the gateway answered HTTP ${answer.status ?? '?'}`;
  if (answer.location === undefined) {
    return `${status} (a redirect without a Location). Redirects are never followed: set pushgateway-url to the gateway's own address`;
  }
  let base = answer.location;
  try {
    const url = new URL(answer.location);
    if (url.pathname.endsWith(apiPath)) {
      url.pathname = url.pathname.slice(0, -apiPath.length) || '/';
      url.search = '';
      url.hash = '';
      base = url.href.replace(/\/$/, '');
    }
  } catch {
    // not a URL: show it as it came
  }
  return `${status} redirecting to ${answer.location}. Redirects are never followed, so that the metrics and credentials go only where pushgateway-url points: set pushgateway-url to the final address (${base})`;
}

/** Why an answer is not a success, for the warning and the summary; `apiPath` is what was asked. */
export function explain(answer: Answer, apiPath: string, auth: PushAuth): string {
  if (answer.networkError !== undefined) return answer.networkError;
  if (isRedirect(answer)) return explainRedirect(answer, apiPath);
  const said = excerpt(answer, credentialsOf(auth));
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

/** Where remote write goes: the endpoint URL, and the headers every request carries. */

/** A remote-write endpoint and its request headers (credentials included). */
export interface RemoteWriteTarget {
  /** The full endpoint (`…/api/v1/write`, `…/api/v1/push`), without credentials. */
  readonly url: URL;
  /** `Authorization`, a tenant header, …: values are secrets. */
  readonly headers: Readonly<Record<string, string>>;
  /** Every value to mask: the URL's password (as written and decoded), header values. */
  readonly secrets: readonly string[];
}

/** Header names the client sets itself; `remote-write-headers` may not replace them. */
const OWN_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-encoding',
  'content-length',
  'x-prometheus-remote-write-version',
  'host',
  'transfer-encoding',
]);

/** A header line or URL the user got wrong; the message says which and how to fix it. */
export class RemoteWriteConfigError extends Error {
  constructor(
    readonly input: 'remote-write-url' | 'remote-write-headers',
    readonly detail: string,
  ) {
    super(`Input '${input}': ${detail}`);
    this.name = 'RemoteWriteConfigError';
  }
}

/** Parses `Name: value` lines (blank lines and `#` comments skipped). */
export function parseRemoteWriteHeaders(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/).map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new RemoteWriteConfigError(
        'remote-write-headers',
        `a line is not 'Name: value' (for example 'X-Scope-OrgID: team-a'); the header name must be a token.`,
      );
    }
    if (OWN_HEADERS.has(name.toLowerCase())) {
      throw new RemoteWriteConfigError(
        'remote-write-headers',
        `'${name}' is set by the remote-write protocol itself: remove that line.`,
      );
    }
    const value = line.slice(colon + 1).trim();
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new RemoteWriteConfigError(
        'remote-write-headers',
        `the value of '${name}' holds control characters.`,
      );
    }
    headers[name] = value;
  }
  return headers;
}

/**
 * Builds the target from the inputs: `https://user:pass@host/…` becomes basic auth (unless a
 * header sets `Authorization` already) and the URL keeps no credentials.
 * Undefined when no URL is given.
 */
export function remoteWriteTarget(
  rawUrl: string,
  rawHeaders: string,
): RemoteWriteTarget | undefined {
  if (rawUrl.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    throw new RemoteWriteConfigError(
      'remote-write-url',
      'is not a valid URL: use the full endpoint, for example http://prometheus:9090/api/v1/write.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemoteWriteConfigError(
      'remote-write-url',
      `scheme '${url.protocol}' is not supported: use http:// or https://.`,
    );
  }
  const headers = parseRemoteWriteHeaders(rawHeaders);
  // Whole values here; the credential inside a value is added by the options (headerSecrets).
  const secrets = Object.values(headers).filter((value) => value !== '');
  if (url.username !== '' || url.password !== '') {
    let username: string;
    let password: string;
    try {
      username = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      throw new RemoteWriteConfigError(
        'remote-write-url',
        'the credentials in the URL are not valid percent-encoding (every % must start an escape like %40): write a literal % as %25.',
      );
    }
    if (password !== '') secrets.push(password, url.password);
    const hasAuthorization = Object.keys(headers).some((n) => n.toLowerCase() === 'authorization');
    if (!hasAuthorization) {
      const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
      headers.Authorization = `Basic ${basic}`;
      secrets.push(basic);
    }
    url = new URL(url.href);
    url.username = '';
    url.password = '';
  }
  url.hash = '';
  return { url, headers, secrets: [...new Set(secrets)] };
}

/** The endpoint as people may see it: no credentials, no query string (it may hold a key). */
export function displayRemoteWriteUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The remote-write inputs: the endpoint URL and the headers every request carries. */
import type { RemoteWriteTarget } from '../metrics/remote-write-target.js';
import { parseHeaderLines, parseHttpUrl } from './endpoint-inputs.js';
import { OptionError } from './options.js';

/** Header names the client sets itself; `remote-write-headers` may not replace them. */
const OWN_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-encoding',
  'content-length',
  'x-prometheus-remote-write-version',
  'host',
  'transfer-encoding',
]);

/**
 * Builds the target from the inputs: `https://user:pass@host/…` becomes basic auth (unless a
 * header sets `Authorization` already) and the URL keeps no credentials.
 * Undefined when no URL is given; an {@link OptionError} names the input that is wrong.
 */
export function remoteWriteTarget(
  rawUrl: string,
  rawHeaders: string,
): RemoteWriteTarget | undefined {
  let url = parseHttpUrl(
    'remote-write-url',
    rawUrl,
    'use the full endpoint, for example http://prometheus:9090/api/v1/write',
  );
  if (url === undefined) return undefined;
  const headers = parseHeaderLines('remote-write-headers', rawHeaders, {
    names: OWN_HEADERS,
    by: 'the remote-write protocol',
  });
  // Whole values here; the credential inside a value is added by the options (headerSecrets).
  const secrets = Object.values(headers).filter((value) => value !== '');
  if (url.username !== '' || url.password !== '') {
    let username: string;
    let password: string;
    try {
      username = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      throw new OptionError(
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

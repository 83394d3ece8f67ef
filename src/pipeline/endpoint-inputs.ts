/**
 * Inputs that name an HTTP endpoint and the headers sent to it, read one way for the Pushgateway,
 * remote write, the Prometheus query API and Grafana: each error names the input and the fix.
 */
import { OptionError } from './options.js';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `Name: value` lines (blank lines and `#` comments skipped). A name that is not a token, a
 * value with control characters, or a name in `reserved.names` (lower case: headers a protocol
 * sets itself) is refused.
 */
export function parseHeaderLines(
  option: string,
  raw: string,
  reserved?: { readonly names: ReadonlySet<string>; readonly by: string },
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/).map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!HEADER_NAME.test(name)) {
      throw new OptionError(
        option,
        `a line is not 'Name: value' (for example 'X-Scope-OrgID: team-a'); the header name must be a token.`,
      );
    }
    if (reserved?.names.has(name.toLowerCase()) === true) {
      throw new OptionError(option, `'${name}' is set by ${reserved.by} itself: remove that line.`);
    }
    const value = line.slice(colon + 1).trim();
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new OptionError(option, `the value of '${name}' holds control characters.`);
    }
    headers[name] = value;
  }
  return headers;
}

/**
 * An http(s) URL, or undefined when the input is empty. `hint` ends the message for a value that
 * is not a URL ("use …, for example …").
 */
export function parseHttpUrl(option: string, raw: string, hint: string): URL | undefined {
  if (raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OptionError(option, `is not a valid URL: ${hint}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OptionError(
      option,
      `scheme '${url.protocol}' is not supported: use http:// or https://.`,
    );
  }
  return url;
}

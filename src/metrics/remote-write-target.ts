/**
 * Where remote write goes: the endpoint URL, and the headers every request carries (read from the
 * inputs by src/pipeline/remote-write-options.ts).
 */

/** A remote-write endpoint and its request headers (credentials included). */
export interface RemoteWriteTarget {
  /** The full endpoint (`…/api/v1/write`, `…/api/v1/push`), without credentials. */
  readonly url: URL;
  /** `Authorization`, a tenant header, …: values are secrets. */
  readonly headers: Readonly<Record<string, string>>;
  /** Every value to mask: the URL's password (as written and decoded), header values. */
  readonly secrets: readonly string[];
}

/** The endpoint as people may see it: no credentials, no query string (it may hold a key). */
export function displayRemoteWriteUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

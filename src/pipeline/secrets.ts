/** Keeps credentials out of everything the action writes. */

/** Every form in which a secret could show up: as given, URL-encoded and URL-decoded. */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret]);
  try {
    forms.add(encodeURIComponent(secret));
    forms.add(decodeURIComponent(secret));
  } catch {
    // not valid percent-encoding: the raw form is enough
  }
  return [...forms].filter((form) => form.length > 0);
}

/** The credentials written inside a URL (`https://user:pass@host`), in every form. */
export function urlCredentials(raw: string): string[] {
  try {
    const url = new URL(raw.trim());
    return url.password === '' ? [] : secretForms(url.password);
  } catch {
    // Not a URL: mask whatever sits between :// and @, which is where credentials would be.
    const match = /:\/\/([^/@]*)@/.exec(raw);
    return match?.[1] !== undefined ? secretForms(match[1]) : [];
  }
}

/** Shortest credential masked on its own (a shorter one would mask ordinary words of the log). */
const MIN_CREDENTIAL = 4;

/**
 * The secrets in the values of request headers, each in every form a server's answer or a log
 * could echo on its own: the whole value; after an authorization scheme (`Bearer <token>`,
 * `Token <token>`, `Basic <base64>`, in any header), the credential; for `Basic`, the decoded
 * `user:password` and the password.
 */
export function headerSecrets(headers: Readonly<Record<string, string>>): string[] {
  const secrets = new Set<string>();
  for (const value of Object.values(headers)) {
    if (value === '') continue;
    secrets.add(value);
    const [, scheme, credential] = /^\s*([A-Za-z][\w-]*)\s+(\S+)\s*$/.exec(value) ?? [];
    if (scheme === undefined || credential === undefined || credential.length < MIN_CREDENTIAL) {
      continue;
    }
    secrets.add(credential);
    if (scheme.toLowerCase() !== 'basic') continue;
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || Buffer.from(decoded, 'utf8').toString('base64') !== credential) continue;
    secrets.add(decoded);
    const password = decoded.slice(colon + 1);
    if (password.length >= MIN_CREDENTIAL)
      for (const form of secretForms(password)) secrets.add(form);
  }
  return [...secrets];
}

/** Replaces every occurrence of every secret by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) result = result.split(secret).join('***');
  }
  return result;
}

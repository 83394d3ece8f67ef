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

/** Replaces every occurrence of every secret by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) result = result.split(secret).join('***');
  }
  return result;
}

/** Small, total accessors for untrusted JSON report documents. */

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `object[key]` when it is a string. */
export function str(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** `object[key]` when it is a finite number. */
export function num(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `object[key]` when it is an array; an empty array otherwise. */
export function arr(object: JsonObject, key: string): readonly unknown[] {
  const value = object[key];
  return Array.isArray(value) ? value : [];
}

/** `object[key]` when it is an object. */
export function obj(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  return isObject(value) ? value : undefined;
}

/** Milliseconds to seconds; undefined stays undefined, negatives count as missing. */
export function msToSeconds(ms: number | undefined): number | undefined {
  return ms === undefined || ms < 0 ? undefined : ms / 1000;
}

/** Removes ANSI colour codes (Jest and Vitest colour their failure messages). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/** Whether `head` (the start of a file) is a JSON object whose text mentions every key. */
export function jsonHeadHas(head: string, ...keys: string[]): boolean {
  if (!/^\s*\{/.test(head)) return false;
  return keys.every((key) => head.includes(`"${key}"`));
}

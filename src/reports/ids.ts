/**
 * Test identities shared by the parsers, so that one test gets the same {@link TestCase.id} in
 * every report format that can name it the same way.
 */
import { isAbsolute, relative, sep } from 'node:path';

/** `classname.name`, or `name` alone when there is no classname (pytest's JUnit convention). */
export function testId(classname: string, name: string): string {
  return classname === '' ? name : `${classname}.${name}`;
}

/** A pytest node id split as pytest's JUnit writer does (`mangle_test_address`). */
export interface PytestAddress {
  readonly classname: string;
  readonly name: string;
  readonly file: string;
}

/**
 * Splits a pytest node id such as `tests/test_x.py::TestA::test_b[p::q]` into the JUnit
 * classname `tests.test_x.TestA`, name `test_b[p::q]` and file `tests/test_x.py`, exactly as
 * pytest's `--junitxml` writer does, so ids match between JUnit and JSON reports.
 */
export function splitPytestNodeId(nodeid: string): PytestAddress {
  const bracket = nodeid.indexOf('[');
  const path = bracket < 0 ? nodeid : nodeid.slice(0, bracket);
  const params = bracket < 0 ? '' : nodeid.slice(bracket);
  const names = path.split('::');
  const file = names[0] ?? '';
  names[0] = file.replace(/\//g, '.').replace(/\.py$/, '');
  const name = `${names.pop() ?? ''}${params}`;
  return { classname: names.join('.'), name, file };
}

/**
 * A test file path as the model keeps it: an absolute path under `base` (the working directory)
 * made relative to it, with `/` separators; a relative path, or one outside `base`, unchanged.
 */
export function relativePath(file: string, base: string): string {
  if (file === '' || !isAbsolute(file)) return file;
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel)) {
    return file;
  }
  return rel.split(sep).join('/');
}

/**
 * First non-empty line of a message, trimmed and capped at `max` characters, as a string of its
 * own (it does not keep the rest of the message in memory).
 */
export function firstLine(text: string | undefined, max = 1000): string | undefined {
  if (text === undefined) return undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, Math.min(end, start + max * 2)).trim();
    // A flat copy: a slice would keep the whole message (a stack trace) alive with the test.
    if (line !== '') return detach(line.length > max ? `${line.slice(0, max - 1)}…` : line);
    start = end + 1;
  }
  return undefined;
}

/** Parses a duration in seconds ("1.5", "1,234.5"); undefined when absent or not a number. */
export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value.includes(',') ? value.replace(/,/g, '') : value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * A copy of `text` that does not keep a larger string alive. V8 represents a slice of 13 or more
 * characters as a view into its parent: a test name sliced by the XML parser out of a 1 MiB chunk
 * would keep the whole chunk, and with one name per chunk the whole file, in memory.
 */
export function detach(text: string): string {
  // A JSON round trip yields a flat, exact copy (lone surrogates included), the most compact
  // representation; `(' ' + text).slice(1)` is a little faster but keeps a 32-byte view on top.
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/** Shares one detached copy of strings that repeat (classnames, files, operations). */
export class Interner {
  private readonly strings = new Map<string, string>();

  constructor(private readonly limit = 50_000) {}

  /** The shared copy of `text`. */
  get(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    const copy = detach(text);
    if (this.strings.size < this.limit) this.strings.set(copy, copy);
    return copy;
  }
}

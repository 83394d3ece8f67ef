/**
 * Reading JSON reports of any size: a document streamed through {@link JsonSplitter}, or a
 * stream of one JSON value per line (`go test -json`). Memory is bounded by the values the
 * parser keeps, never by the file. Errors name the file and say where (line, column, byte),
 * never what: a report may hold secrets, and V8's messages quote the input.
 */
import { open } from 'node:fs/promises';

import { MAX_STRING_CHARS } from './json-errors.js';
import {
  JsonSplitter,
  JsonSyntaxError,
  JsonValueTooLargeError,
  type JsonHandler,
  type JsonPath,
} from './json-splitter.js';
import { detectEncoding, readTextChunks } from './text.js';
import { ReportError } from './types.js';

/** Where character `offset` of a report's text is: 1-based line and column, 0-based byte. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
  readonly byte: number;
}

async function bomAndWidth(filePath: string): Promise<{ bom: number; utf16: boolean }> {
  const handle = await open(filePath, 'r');
  try {
    const start = Buffer.alloc(4);
    const { bytesRead } = await handle.read(start, 0, 4, 0);
    const bytes = start.subarray(0, bytesRead);
    const encoding = detectEncoding(bytes);
    if (encoding === 'utf-8') return { bom: bytes[0] === 0xef ? 3 : 0, utf16: false };
    return { bom: bytes[0] === 0xff || bytes[0] === 0xfe ? 2 : 0, utf16: true };
  } finally {
    await handle.close();
  }
}

/**
 * Line, column and byte of character `offset` of the decoded text of `filePath`, read again from
 * the start (error path only, so the happy path counts nothing).
 */
export async function positionOf(filePath: string, offset: number): Promise<TextPosition> {
  const { bom, utf16 } = await bomAndWidth(filePath);
  let seen = 0;
  let line = 1;
  let lineStart = 0;
  let byte = bom;
  for await (const chunk of readTextChunks(filePath)) {
    const part = offset - seen < chunk.length ? chunk.slice(0, offset - seen) : chunk;
    for (let at = part.indexOf('\n'); at >= 0; at = part.indexOf('\n', at + 1)) {
      line += 1;
      lineStart = seen + at + 1;
    }
    byte += utf16 ? part.length * 2 : Buffer.byteLength(part, 'utf8');
    seen += part.length;
    if (seen >= offset) break;
  }
  return { line, column: offset - lineStart + 1, byte };
}

/** `at line L, column C (byte B)`. */
export function describePosition(position: TextPosition): string {
  return `at line ${position.line}, column ${position.column} (byte ${position.byte})`;
}

async function syntaxError(filePath: string, error: unknown): Promise<unknown> {
  if (error instanceof JsonSyntaxError) {
    const where = describePosition(await positionOf(filePath, error.offset));
    return new ReportError(filePath, `invalid JSON ${where}: ${error.message}`);
  }
  if (error instanceof JsonValueTooLargeError) {
    const where = describePosition(await positionOf(filePath, error.offset));
    return new ReportError(
      filePath,
      `the JSON value starting ${where} is longer than a JavaScript string can hold ` +
        `(${error.chars} characters and more): this report cannot be read; split the run ` +
        'into several reports',
    );
  }
  return error;
}

/**
 * Streams the JSON document in `filePath` through `handler` (see {@link JsonHandler}). Throws a
 * {@link ReportError} naming the file when it is empty, cannot be read or is not valid JSON
 * where it was scanned; errors thrown by the handler pass through.
 */
export async function streamJsonFile(
  filePath: string,
  handler: JsonHandler,
  maxValueChars?: number,
): Promise<void> {
  const splitter = new JsonSplitter(handler, maxValueChars);
  try {
    for await (const chunk of readTextChunks(filePath)) splitter.write(chunk);
    if (!splitter.started) throw new ReportError(filePath, 'file is empty');
    splitter.end();
  } catch (error) {
    throw await syntaxError(filePath, error);
  }
}

/**
 * Calls `onLine` with each line of `filePath` (without its line break) and its 1-based number, as
 * the file streams. A line longer than a JavaScript string can hold is a {@link ReportError}.
 */
export async function forEachLine(
  filePath: string,
  onLine: (line: string, lineNumber: number) => void,
): Promise<void> {
  let pieces: string[] = [];
  let pending = 0;
  let lineNumber = 0;
  let offset = 0;
  let lineOffset = 0;
  for await (const chunk of readTextChunks(filePath)) {
    let start = 0;
    for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', start)) {
      const tail = chunk.slice(start, at);
      lineNumber += 1;
      onLine(pieces.length === 0 ? tail : pieces.join('') + tail, lineNumber);
      pieces = [];
      pending = 0;
      start = at + 1;
      lineOffset = offset + start;
    }
    if (start < chunk.length) {
      pending += chunk.length - start;
      if (pending > MAX_STRING_CHARS) {
        throw await syntaxError(filePath, new JsonValueTooLargeError(lineOffset, pending));
      }
      pieces.push(chunk.slice(start));
    }
    offset += chunk.length;
  }
  if (pieces.length > 0) onLine(pieces.join(''), lineNumber + 1);
}

/** Options of {@link streamJsonArrays}. */
export interface StreamedArrays {
  /** Paths (object keys from the root) of the arrays whose elements are handed over one by one. */
  readonly arrays: readonly (readonly string[])[];
  /** Keys of the root object never read (large parts the parser has no use for). */
  readonly skip?: readonly string[];
}

/** Whether `path` is `prefix` or leads to it. */
function leadsTo(path: JsonPath, prefix: readonly string[]): boolean {
  return path.length <= prefix.length && path.every((key, i) => key === prefix[i]);
}

/**
 * Sets a member as `JSON.parse` does: always an own property, so that a key `__proto__` in a
 * report is data, never the object's prototype.
 */
function setMember(container: unknown, key: string | number | undefined, value: unknown): void {
  Object.defineProperty(container, key as PropertyKey, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/**
 * Streams the JSON document in `filePath`, calling `onItem(element, index, array)` for each
 * element of the arrays named in `options.arrays` (`array` is the position of its path there) as
 * the file is read, and returns the rest of the document with those arrays left empty, for the
 * parser's shape checks. Memory: the rest plus one element at a time.
 */
export async function streamJsonArrays(
  filePath: string,
  options: StreamedArrays,
  onItem: (element: unknown, index: number, array: number) => void,
): Promise<unknown> {
  const { arrays } = options;
  const skip = new Set(options.skip ?? []);
  const containers: Record<string | number, unknown>[] = [];
  let root: unknown;
  /** Which streamed array the innermost open container is, or -1. */
  const streamedArray = (parentLength: number, path: JsonPath): number =>
    Array.isArray(containers.at(-1)) && containers.length === parentLength + 1
      ? arrays.findIndex((a) => a.length === parentLength && leadsTo(path.slice(0, -1), a))
      : -1;
  await streamJsonFile(filePath, {
    select(path, kind) {
      if (path.length === 1 && skip.has(path[0] as string)) return 'skip';
      if (kind === 'scalar') return 'parse';
      if (streamedArray(path.length - 1, path) >= 0) return 'parse';
      return arrays.some((array) => leadsTo(path, array)) ? 'descend' : 'parse';
    },
    value(path, value) {
      const array = path.length === 0 ? -1 : streamedArray(path.length - 1, path);
      if (array >= 0) onItem(value, path.at(-1) as number, array);
      else if (path.length === 0) root = value;
      else setMember(containers.at(-1), path.at(-1), value);
    },
    open(path, kind) {
      const container = (kind === 'array' ? [] : {}) as Record<string | number, unknown>;
      if (path.length === 0) root = container;
      else setMember(containers.at(-1), path.at(-1), container);
      containers.push(container);
    },
    close() {
      containers.pop();
    },
  });
  return root;
}

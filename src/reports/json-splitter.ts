/**
 * A streaming splitter for large JSON documents. It walks the structure of the document as text
 * chunks arrive and hands over, one at a time and parsed by `JSON.parse`, the values its handler
 * selects (typically each element of the arrays that hold the tests), so that memory is bounded
 * by the largest selected value, not by the file. Values the handler skips are scanned without
 * being kept. Strings are skipped with `indexOf`, so the splitter is about as fast as parsing
 * the whole document at once.
 */
import {
  JsonSyntaxError,
  JsonValueTooLargeError,
  locateSyntaxError,
  MAX_STRING_CHARS,
} from './json-errors.js';

export { JsonSyntaxError, JsonValueTooLargeError, locateSyntaxError } from './json-errors.js';

/** Keys (object members) and indices (array elements) from the root to a value. */
export type JsonPath = readonly (string | number)[];

/** What the splitter does with a value: walk into it, parse it whole, or skip it. */
export type JsonSelection = 'descend' | 'parse' | 'skip';

/** Kind of a value, known from its first character. */
export type JsonKind = 'object' | 'array' | 'scalar';

/** Callbacks of {@link JsonSplitter}. `path` is live: copy it to keep it. */
export interface JsonHandler {
  /** Decides for the value starting at `path`; `descend` applies to objects and arrays only. */
  select(path: JsonPath, kind: JsonKind): JsonSelection;
  /** A value selected with `parse`, parsed. */
  value?(path: JsonPath, value: unknown): void;
  /** An object or array selected with `descend` starts. */
  open?(path: JsonPath, kind: 'object' | 'array'): void;
  /** An object or array selected with `descend` ends. */
  close?(path: JsonPath, kind: 'object' | 'array'): void;
}

type FrameState = 'first' | 'key' | 'colon' | 'value' | 'comma';

interface Frame {
  readonly kind: 'object' | 'array';
  state: FrameState;
  index: number;
}

interface Capture {
  readonly keep: boolean;
  /** Parsing an object key: the parsed string becomes the frame's key, not a value. */
  readonly isKey: boolean;
  readonly start: number;
  readonly pieces: string[];
  chars: number;
  depth: number;
  inString: boolean;
  /** Scalar that is no string: ends at the first delimiter. */
  bare: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * Splits one JSON document fed as text chunks ({@link write}, then {@link end}). Structure errors
 * outside selected values are found here; errors inside a parsed value come from `JSON.parse`
 * and are thrown as {@link JsonSyntaxError} with the value's start offset and V8's message.
 */
export class JsonSplitter {
  private readonly frames: Frame[] = [];
  private readonly path: (string | number)[] = [];
  /** Characters before the current chunk. */
  private offset = 0;
  private capture: Capture | undefined;
  /** The first character of the current chunk is escaped (a backslash ended the last one). */
  private escaped = false;
  private rootDone = false;
  private rootSeen = false;

  /**
   * @param handler what to do with each value
   * @param maxValueChars longest value kept (V8's string limit; lower only to test that path)
   */
  constructor(
    private readonly handler: JsonHandler,
    private readonly maxValueChars = MAX_STRING_CHARS,
  ) {}

  /** Whether any non-whitespace character was seen. */
  get started(): boolean {
    return this.rootSeen;
  }

  /** Feeds the next chunk of text. */
  write(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.capture !== undefined) {
        i = this.scanCapture(chunk, i);
        continue;
      }
      const code = chunk.charCodeAt(i);
      if (isSpace(code)) {
        i += 1;
        continue;
      }
      this.structural(i, code);
      i += 1;
    }
    const capture = this.capture;
    if (capture !== undefined) {
      const piece = chunk.slice(Math.max(0, capture.start - this.offset));
      if (capture.keep) {
        capture.chars += piece.length;
        if (capture.chars > this.maxValueChars) {
          throw new JsonValueTooLargeError(capture.start, capture.chars);
        }
        capture.pieces.push(piece);
      }
    }
    this.offset += n;
  }

  /** Ends the document; throws when it is incomplete. */
  end(): void {
    if (this.capture?.bare === true && this.capture.depth === 0) {
      this.finishCapture('', 0);
    }
    if (!this.rootSeen) throw new JsonSyntaxError('no JSON value', this.offset);
    if (!this.rootDone) throw new JsonSyntaxError('unexpected end of the file', this.offset);
  }

  private fail(message: string, at: number): never {
    throw new JsonSyntaxError(message, this.offset + at);
  }

  /** One structural character outside any capture (whitespace already skipped). */
  private structural(i: number, code: number): void {
    const frame = this.frames.at(-1);
    if (frame === undefined) {
      if (this.rootDone) this.fail('unexpected content after the end of the document', i);
      this.rootSeen = true;
      this.startValue(i, code);
      return;
    }
    switch (frame.state) {
      case 'first':
      case 'key':
        if (frame.kind === 'object') {
          if (code === CLOSE_BRACE && frame.state === 'first') {
            this.closeFrame();
            return;
          }
          if (code !== QUOTE) this.fail('expected a property name in double quotes', i);
          this.capture = this.newCapture(i, true, true, false);
          this.capture.inString = true;
          return;
        }
        if (code === CLOSE_BRACKET && frame.state === 'first') {
          this.closeFrame();
          return;
        }
        this.path.push(frame.index);
        this.startValue(i, code);
        return;
      case 'colon':
        if (code !== COLON) this.fail("expected ':' after a property name", i);
        frame.state = 'value';
        return;
      case 'value':
        this.startValue(i, code);
        return;
      case 'comma':
        if (code === COMMA) {
          frame.state = 'key';
          frame.index += 1;
          return;
        }
        if (code === (frame.kind === 'object' ? CLOSE_BRACE : CLOSE_BRACKET)) {
          this.closeFrame();
          return;
        }
        this.fail(`expected ',' or '${frame.kind === 'object' ? '}' : ']'}'`, i);
    }
  }

  private newCapture(at: number, keep: boolean, isKey: boolean, bare: boolean): Capture {
    return {
      keep,
      isKey,
      start: this.offset + at,
      pieces: [],
      chars: 0,
      depth: 0,
      inString: false,
      bare,
    };
  }

  /** A value starts at `i` (its path is already pushed). */
  private startValue(i: number, code: number): void {
    const kind: JsonKind =
      code === OPEN_BRACE ? 'object' : code === OPEN_BRACKET ? 'array' : 'scalar';
    if (kind === 'scalar' && (code === CLOSE_BRACE || code === CLOSE_BRACKET || code === COMMA)) {
      this.fail('expected a value', i);
    }
    const selection = this.handler.select(this.path, kind);
    if (selection === 'descend' && kind !== 'scalar') {
      this.frames.push({ kind, state: 'first', index: 0 });
      this.handler.open?.(this.path, kind);
      return;
    }
    const capture = this.newCapture(i, selection !== 'skip', false, kind === 'scalar');
    if (kind === 'scalar') {
      if (code === QUOTE) {
        capture.bare = false;
        capture.inString = true;
      }
    } else {
      capture.depth = 1;
    }
    this.capture = capture;
  }

  /** Continues the open capture from `i`; returns where structural scanning resumes. */
  private scanCapture(chunk: string, from: number): number {
    const capture = this.capture as Capture;
    const n = chunk.length;
    // The first character of the value (quote, bracket, digit) was consumed by write().
    let i = from;
    if (capture.bare) {
      while (i < n) {
        const code = chunk.charCodeAt(i);
        if (isSpace(code) || code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET) {
          this.finishCapture(chunk, i);
          return i;
        }
        i += 1;
      }
      return n;
    }
    while (i < n) {
      if (capture.inString) {
        const quote = chunk.indexOf('"', i);
        if (quote < 0) {
          let run = 0;
          while (n - 1 - run >= i && chunk.charCodeAt(n - 1 - run) === BACKSLASH) run += 1;
          if (run === n && this.escaped) run += 1;
          this.escaped = run % 2 === 1;
          return n;
        }
        let run = 0;
        while (quote - 1 - run >= i && chunk.charCodeAt(quote - 1 - run) === BACKSLASH) run += 1;
        if (quote - run === 0 && this.escaped) run += 1;
        this.escaped = false;
        i = quote + 1;
        if (run % 2 === 1) continue;
        capture.inString = false;
        if (capture.depth === 0) {
          this.finishCapture(chunk, i);
          return i;
        }
        continue;
      }
      const code = chunk.charCodeAt(i);
      i += 1;
      if (code === QUOTE) capture.inString = true;
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) capture.depth += 1;
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        capture.depth -= 1;
        if (capture.depth === 0) {
          this.finishCapture(chunk, i);
          return i;
        }
      }
    }
    this.escaped = false;
    return n;
  }

  /** The capture ends before `end` of `chunk`: parse it, hand it over, move on. */
  private finishCapture(chunk: string, end: number): void {
    const capture = this.capture as Capture;
    this.capture = undefined;
    this.escaped = false;
    let value: unknown;
    if (capture.keep) {
      const last = chunk.slice(Math.max(0, capture.start - this.offset), end);
      if (capture.chars + last.length > this.maxValueChars) {
        throw new JsonValueTooLargeError(capture.start, capture.chars + last.length);
      }
      const text = capture.pieces.length === 0 ? last : capture.pieces.join('') + last;
      try {
        value = JSON.parse(text) as unknown;
      } catch {
        const found = locateSyntaxError(text);
        throw new JsonSyntaxError(found.problem, capture.start + found.offset);
      }
    }
    const frame = this.frames.at(-1);
    if (capture.isKey) {
      this.path.push(value as string);
      (frame as Frame).state = 'colon';
      return;
    }
    if (capture.keep) this.handler.value?.(this.path, value);
    this.afterValue();
  }

  private afterValue(): void {
    const frame = this.frames.at(-1);
    if (frame === undefined) {
      this.rootDone = true;
      return;
    }
    this.path.pop();
    frame.state = 'comma';
  }

  private closeFrame(): void {
    const frame = this.frames.pop() as Frame;
    this.handler.close?.(this.path, frame.kind);
    this.afterValue();
  }
}

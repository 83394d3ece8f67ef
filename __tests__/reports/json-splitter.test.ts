import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  JsonSplitter,
  JsonSyntaxError,
  locateSyntaxError,
  type JsonKind,
  type JsonPath,
  type JsonSelection,
} from '../../src/reports/json-splitter.js';

type Event = [string, JsonPath, unknown?];

/** Feeds `text` in chunks cut at `cuts` and returns every event. */
function split(
  text: string,
  cuts: readonly number[],
  select: (path: JsonPath, kind: JsonKind) => JsonSelection,
): Event[] {
  const events: Event[] = [];
  const splitter = new JsonSplitter({
    select,
    value: (path, value) => events.push(['value', [...path], value]),
    open: (path, kind) => events.push(['open', [...path], kind]),
    close: (path, kind) => events.push(['close', [...path], kind]),
  });
  let last = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    splitter.write(text.slice(last, Math.max(last, cut)));
    last = Math.max(last, cut);
  }
  splitter.write(text.slice(last));
  splitter.end();
  return events;
}

/** Rebuilds the document from the events of a splitter that descends into everything. */
function rebuild(events: readonly Event[]): unknown {
  const stack: unknown[] = [];
  let root: unknown;
  const place = (path: JsonPath, value: unknown): void => {
    if (path.length === 0) root = value;
    else {
      // An own property even for `__proto__`, as JSON.parse makes it.
      Object.defineProperty(stack.at(-1), path.at(-1) as PropertyKey, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  };
  for (const [kind, path, value] of events) {
    if (kind === 'open') {
      const container = value === 'array' ? [] : {};
      place(path, container);
      stack.push(container);
    } else if (kind === 'close') stack.pop();
    else place(path, value);
  }
  return root;
}

const texts = fc
  .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2))
  .map(([value, indent]) => JSON.stringify(value, null, indent));
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 12 });

describe('JsonSplitter', () => {
  it('rebuilds any document, whatever the chunking and the depth split at', () => {
    fc.assert(
      fc.property(texts, cuts, fc.nat({ max: 3 }), (text, at, depth) => {
        const events = split(text, at, (path) => (path.length < depth ? 'descend' : 'parse'));
        expect(rebuild(events)).toEqual(JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles escaped quotes and backslashes cut at every position', () => {
    const text = JSON.stringify({ a: ['x\\"y', '\\\\', '"', 'z\\'], b: '\\\\\\"' });
    for (let cut = 0; cut <= text.length; cut++) {
      for (const depth of [0, 1, 2]) {
        const events = split(text, [cut], (path) => (path.length < depth ? 'descend' : 'parse'));
        expect(rebuild(events)).toEqual(JSON.parse(text));
      }
    }
  });

  it('skips values without handing them over', () => {
    const events = split('{"a": [1, {"b": "}"}], "c": 2}', [5], (path) =>
      path.length === 0 ? 'descend' : path[0] === 'a' ? 'skip' : 'parse',
    );
    expect(events).toEqual([
      ['open', [], 'object'],
      ['value', ['c'], 2],
      ['close', [], 'object'],
    ]);
  });

  it('rejects what JSON.parse rejects, at the offset of the problem', () => {
    const cases: [string, number][] = [
      ['{"a": 1,}', 8],
      ['[1, 2', 5],
      ['{"a" 1}', 5],
      ['{"a": 1} x', 9],
      ['', 0],
      ['[1,]', 3],
    ];
    for (const [text, offset] of cases) {
      let error: unknown;
      try {
        split(text, [], (path) => (path.length < 1 ? 'descend' : 'parse'));
      } catch (caught) {
        error = caught;
      }
      expect(error, text).toBeInstanceOf(JsonSyntaxError);
      expect((error as JsonSyntaxError).offset, text).toBe(offset);
    }
  });

  it('locates an error inside a parsed value without quoting it', () => {
    const text = '[{"secret": "hunter2"}, {"secret": hunter2}]';
    let error: JsonSyntaxError | undefined;
    try {
      split(text, [], (path) => (path.length === 0 ? 'descend' : 'parse'));
    } catch (caught) {
      error = caught as JsonSyntaxError;
    }
    expect(error?.offset).toBe(text.indexOf('hunter2}'));
    expect(error?.message).toBe('invalid token');
  });

  it('finds truncation anywhere', () => {
    const text = JSON.stringify({ a: [{ b: 'c\\"d' }, [1, 2, { e: null }]], f: true });
    for (let end = 1; end < text.length; end++) {
      for (const depth of [0, 1, 2]) {
        expect(() =>
          split(text.slice(0, end), [end >> 1], (path) =>
            path.length < depth ? 'descend' : 'parse',
          ),
        ).toThrow(JsonSyntaxError);
      }
    }
  });
});

describe('locateSyntaxError', () => {
  it('a value nested 100k deep is located at its start, without overflowing the stack', () => {
    const text = `${'['.repeat(100_000)}x${']'.repeat(100_000)}`;
    expect(locateSyntaxError(text)).toEqual({
      offset: 0,
      problem: 'invalid JSON value (nested too deep to locate the error)',
    });
    expect(locateSyntaxError('{"a": [1, 2,, 3]}')).toEqual({
      offset: 12,
      problem: 'expected a value',
    });
  });
});

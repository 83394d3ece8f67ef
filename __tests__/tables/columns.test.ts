import { describe, expect, it } from 'vitest';

import { CodeColumn, NO_STRING, NumberColumn, StringStore } from '../../src/tables/columns.js';

describe('StringStore', () => {
  it('gives back every string it was given, across many 1 MiB blocks', () => {
    const store = new StringStore();
    const texts = Array.from(
      { length: 60_000 },
      (_, i) => `tests.module_${i}.TestClass.test_${i}[param-${i % 7}]`,
    );
    const refs = texts.map((text) => store.put(text));
    expect(refs.at(-1)).toBeGreaterThan(2 ** 20);
    expect(refs.map((ref) => store.get(ref))).toEqual(texts);
  });

  it('keeps empty strings, non-ASCII text and a string longer than a block', () => {
    const store = new StringStore();
    const long = 'x'.repeat(3 * 2 ** 20);
    const texts = ['', 'café ✓ 日本語 🚀', long, 'after the long one'];
    const refs = texts.map((text) => store.put(text));
    expect(refs.map((ref) => store.get(ref))).toEqual(texts);
  });

  it('turns a lone surrogate into U+FFFD, as every label and summary does', () => {
    const store = new StringStore();
    expect(store.get(store.put('a\ud800b'))).toBe('a\ufffdb');
  });

  it('stores an interned string once and reads it back as one copy', () => {
    const store = new StringStore();
    const ref = store.intern('tests/test_api.py');
    expect(store.intern('tests/test_api.py')).toBe(ref);
    expect(store.intern('tests/test_db.py')).not.toBe(ref);
    expect(store.getInterned(ref)).toBe('tests/test_api.py');
    expect(store.getInterned(ref)).toBe(store.getInterned(ref));
  });

  it('maps undefined to NO_STRING and back', () => {
    const store = new StringStore();
    expect(store.putOptional(undefined)).toBe(NO_STRING);
    expect(store.internOptional(undefined)).toBe(NO_STRING);
    expect(store.getOptional(NO_STRING)).toBeUndefined();
    expect(store.getOptional(store.putOptional('x'))).toBe('x');
  });
});

describe('NumberColumn and CodeColumn', () => {
  it('hold values across blocks, NaN included, and replace them', () => {
    const numbers = new NumberColumn();
    const codes = new CodeColumn();
    for (let row = 0; row < 50_000; row++) {
      numbers.set(row, row % 3 === 0 ? Number.NaN : row / 7);
      codes.set(row, row % 256);
    }
    numbers.set(40_000, 1.5);
    expect(numbers.get(1)).toBe(1 / 7);
    expect(numbers.get(3)).toBeNaN();
    expect(numbers.get(49_999)).toBe(49_999 / 7);
    expect(numbers.get(40_000)).toBe(1.5);
    expect(codes.get(300)).toBe(300 % 256);
  });
});

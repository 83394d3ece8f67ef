import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  countDistinctKeys,
  DistinctKeys,
  RowIndex,
  TextIndex,
} from '../../src/tables/distinct-keys.js';

describe('countDistinctKeys and DistinctKeys', () => {
  it('count what a Set of the keys counts, undefined keys left out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string({ maxLength: 4 }), { nil: undefined }), { maxLength: 300 }),
        (keys) => {
          const expected = new Set(keys.filter((key) => key !== undefined)).size;
          expect(countDistinctKeys(keys.length, (row) => keys[row])).toBe(expected);
          const distinct = new DistinctKeys((row) => keys[row] ?? '');
          const firsts = keys.map((key, row) => (key === undefined ? false : distinct.add(row)));
          expect(distinct.size).toBe(expected);
          // Each key is new exactly at its first row.
          expect(firsts).toEqual(
            keys.map((key, row) => key !== undefined && keys.indexOf(key) === row),
          );
        },
      ),
    );
  });

  it('stay exact when 30-bit hashes meet (100k distinct keys)', () => {
    // Three pairs of these keys share a 30-bit hash: only the string comparison tells them apart.
    const keys = Array.from(
      { length: 100_000 },
      (_, i) => `tests.module_${i % 997}.test_${i}\u0000op`,
    );
    keys.push(keys[5] as string, keys[77_777] as string);
    expect(countDistinctKeys(keys.length, (row) => keys[row])).toBe(100_000);
  });
});

describe('TextIndex', () => {
  it('numbers strings in order of first sight and finds them again, hashes meeting or not', () => {
    const index = new TextIndex();
    const ids = Array.from(
      { length: 100_000 },
      (_, i) => `tests.module_${i % 997}.test_${i}\u0000op`,
    );
    expect(ids.map((id) => index.numberOf(id))).toEqual(ids.map((_, i) => i));
    // Three pairs of these ids share a 30-bit hash: each keeps its own number.
    expect(index.numberOf(ids[77_777] as string)).toBe(77_777);
    expect(index.find(ids[5] as string)).toBe(5);
    expect(index.find('never seen')).toBeUndefined();
    expect(index.size).toBe(100_000);
  });

  it('reads the texts it compares from the caller when given them', () => {
    const texts: string[] = [];
    const index = new TextIndex((n) => texts[n] ?? '');
    for (const text of ['a', 'b', 'a', 'c', 'b']) {
      if (index.numberOf(text) === texts.length) texts.push(text);
    }
    expect(texts).toEqual(['a', 'b', 'c']);
  });

  it('finds an id with a lone surrogate again (it is stored as U+FFFD)', () => {
    const index = new TextIndex();
    const n = index.numberOf('guid-\ud800');
    expect(index.numberOf('guid-\ud800')).toBe(n);
    expect(index.size).toBe(1);
  });
});

describe('RowIndex', () => {
  it('finds the first row added under a key, among 100k keys whose hashes sometimes meet', () => {
    const keys = Array.from(
      { length: 100_000 },
      (_, i) => `group\u0000tests.module_${i % 997}.test_${i}\u0000op`,
    );
    const index = new RowIndex((row) => keys[row] ?? '');
    keys.forEach((key, row) => {
      index.add(key, row);
    });
    expect(keys.every((key, row) => index.get(key) === row)).toBe(true);
    expect(index.get('group\u0000missing')).toBeUndefined();
  });

  it('keeps the earlier row of a key added twice', () => {
    const keys = ['a', 'b', 'a'];
    const index = new RowIndex((row) => keys[row] ?? '');
    keys.forEach((key, row) => {
      index.add(key, row);
    });
    expect(index.get('a')).toBe(0);
  });
});

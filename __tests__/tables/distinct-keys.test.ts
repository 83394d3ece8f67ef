import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { countDistinctKeys, DistinctKeys } from '../../src/tables/distinct-keys.js';

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

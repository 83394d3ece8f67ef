import { describe, expect, it } from 'vitest';

import { topK } from '../../src/metrics/top-k.js';

interface Item {
  readonly index: number;
  readonly group: number;
  readonly value: number;
}

const order = (a: Item, b: Item): number => a.group - b.group || b.value - a.value;

/** Pseudo-random items with many ties, so that the order of equal items is tested too. */
function items(count: number, seed: number): Item[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, (_, index) => ({
    index,
    group: next() < 0.1 ? 0 : 1,
    value: Math.floor(next() * 50),
  }));
}

describe('topK', () => {
  it('keeps the same items in the same order as a stable full sort', () => {
    for (const [count, k, seed] of [
      [1_000, 10, 1],
      [1_000, 500, 2],
      [5_000, 2_000, 3],
      [5_000, 2_001, 4],
      [300, 1_000, 5],
      [0, 5, 6],
    ] as const) {
      const list = items(count, seed);
      const expected = [...list].sort(order).slice(0, k);
      expect(topK(list, k, order).map((item) => item.index)).toEqual(
        expected.map((item) => item.index),
      );
    }
  });

  it('only selects the items it is told to keep', () => {
    const list = items(2_000, 7);
    const keep = (item: Item): boolean => item.value % 3 !== 0;
    const expected = list.filter(keep).sort(order).slice(0, 25);
    expect(topK(list, 25, order, keep)).toEqual(expected);
  });

  it('selects nothing for k of zero or less', () => {
    expect(topK(items(10, 8), 0, order)).toEqual([]);
    expect(topK(items(10, 8), -1, order)).toEqual([]);
  });

  it('selects from items in ascending and descending order alike', () => {
    const ascending = Array.from({ length: 3_000 }, (_, index) => ({
      index,
      group: 1,
      value: index,
    }));
    expect(topK(ascending, 3, order).map((item) => item.value)).toEqual([2_999, 2_998, 2_997]);
    expect(topK([...ascending].reverse(), 3, order).map((item) => item.value)).toEqual([
      2_999, 2_998, 2_997,
    ]);
  });
});

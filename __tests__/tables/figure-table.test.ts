import { describe, expect, it } from 'vitest';

import type { Figure } from '../../src/model.js';
import { FigureTable } from '../../src/tables/figure-table.js';

describe('FigureTable', () => {
  it('gives back every figure of every kind, fields a figure lacks left out', () => {
    const figures: Figure[] = [
      { test: 't.a', kind: 'latency', operation: 'checkout', stat: 'p95', value: 0.25 },
      { test: 't.a', kind: 'throughput', operation: 'checkout', value: 1200 },
      { test: 't.b', kind: 'memory_growth', value: 1048576 },
      { test: 't.b', kind: 'memory', operation: 'peak', value: 2e8 },
      { test: 'suite', kind: 'spans_generated', value: 10 },
      { test: 'suite', kind: 'spans_delivered', value: 9 },
      { test: 't.c', kind: 'metric', name: 'queue_depth', value: -3 },
      { test: 't.a', kind: 'latency', operation: 'checkout', stat: 'p99', value: Number.NaN },
    ];
    const table = FigureTable.from(figures);
    expect(table.length).toBe(figures.length);
    expect(table.toArray()).toEqual(figures);
    expect(Object.keys(table.at(2) ?? {})).toEqual(['test', 'kind', 'value']);
  });

  it('holds 100k figures', () => {
    const table = new FigureTable();
    for (let i = 0; i < 100_000; i++) {
      table.push({ test: `t.test_${i}`, kind: 'latency', operation: 'op', stat: 'p50', value: i });
    }
    expect(table.at(99_999)).toEqual({
      test: 't.test_99999',
      kind: 'latency',
      operation: 'op',
      stat: 'p50',
      value: 99_999,
    });
  });
});

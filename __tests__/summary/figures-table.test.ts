import { describe, expect, it } from 'vitest';

import type { Figure } from '../../src/model.js';
import { figuresSection } from '../../src/summary/figures-table.js';

const latency = (test: string, operation: string, stat: string, value: number): Figure => ({
  test,
  kind: 'latency',
  operation,
  stat,
  value,
});

describe('figuresSection', () => {
  it('lists the first rows in the order met, with figures given later for them, and counts the rest', () => {
    const figures: Figure[] = [];
    for (let i = 0; i < 10_000; i++) figures.push(latency(`t${i}`, 'op', 'p95', i / 1000));
    // A second operation of a listed test, a later stat of a listed row, and repeats.
    figures.push(latency('t1', 'other', 'p95', 0.5));
    figures.push(latency('t0', 'op', 'p50', 0.25));
    figures.push(latency('t9999', 'op', 'p95', 1));
    figures.push({ test: 't2', kind: 'throughput', operation: 'op', value: 42 });
    figures.push({ test: 't3', kind: 'memory_growth', value: 1024 });
    const section = figuresSection(figures, 3);
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));
    expect(rows).toEqual([
      '| Operation | p50 | p95 | p99 | mean | Throughput | Test |',
      '| op | 250 ms | 0 |  |  |  | t0 |',
      '| op |  | 1.00 ms |  |  |  | t1 |',
      '| op |  | 2.00 ms |  |  | 42 ops/s | t2 |',
      '| Figure | Value | Test |',
      '| memory growth (recorded by the test) | 1.0 KiB | t3 |',
    ]);
    // 10,000 rows of op, t1's second operation, one other figure: 4 listed.
    expect(section).toContain('…and 9998 more rows in the metrics file.');
  });
});

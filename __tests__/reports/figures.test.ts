import { describe, expect, it } from 'vitest';
import fc from 'fast-check';

import { sanitizeMetricName } from '../../src/metrics/names.js';
import { BYTES_PER_MB, parseFigure } from '../../src/reports/figures.js';

describe('parseFigure', () => {
  it('converts latency to seconds from ms, s and us', () => {
    expect(parseFigure('t', 'latency_ms.checkout.p95', 12.5)).toEqual({
      figure: { test: 't', kind: 'latency', operation: 'checkout', stat: 'p95', value: 0.0125 },
    });
    expect(parseFigure('t', 'latency_s.checkout.max', '2')).toMatchObject({
      figure: { value: 2, stat: 'max' },
    });
    const us = parseFigure('t', 'latency_us.rpc.p999', 250);
    expect(us && 'figure' in us ? us.figure.value : undefined).toBeCloseTo(0.00025, 12);
  });

  it('takes the last dot segment as the stat and the rest as the operation', () => {
    expect(parseFigure('t', 'latency_ms.db.query.users.p50', 1)).toMatchObject({
      figure: { operation: 'db.query.users', stat: 'p50' },
    });
  });

  it('reads throughput, memory in MiB, spans and metrics', () => {
    expect(parseFigure('t', 'throughput_ops_per_sec.observe', '8000.5')).toEqual({
      figure: { test: 't', kind: 'throughput', operation: 'observe', value: 8000.5 },
    });
    expect(parseFigure('t', 'memory_growth_mb', 100)).toEqual({
      figure: { test: 't', kind: 'memory_growth', value: 100 * 1024 * 1024 },
    });
    expect(BYTES_PER_MB).toBe(1048576);
    expect(parseFigure('t', 'memory_mb.peak', 1.5)).toEqual({
      figure: { test: 't', kind: 'memory', operation: 'peak', value: 1.5 * 1048576 },
    });
    expect(parseFigure('t', 'spans_generated', '410259')).toEqual({
      figure: { test: 't', kind: 'spans_generated', value: 410259 },
    });
    expect(parseFigure('t', 'spans_delivered', 3)).toMatchObject({
      figure: { kind: 'spans_delivered' },
    });
    expect(parseFigure('t', 'metric.queue depth-max', 17)).toEqual({
      figure: { test: 't', kind: 'metric', name: 'queue_depth_max', value: 17 },
    });
  });

  it('ignores ordinary properties', () => {
    for (const name of [
      'java.version',
      'owner',
      'latency',
      'spans_dropped',
      'memory_growth_mb.x',
    ]) {
      expect(parseFigure('t', name, 1)).toBeUndefined();
    }
  });

  it('warns, naming test and property, on values that are not finite numbers', () => {
    for (const value of [
      'fast',
      '',
      NaN,
      Infinity,
      -Infinity,
      true,
      null,
      undefined,
      {},
      [1],
      '1.5 ms',
    ]) {
      const result = parseFigure('tests.test_x.test_y', 'latency_ms.op.p95', value);
      expect(result).toHaveProperty('warning');
      const warning = (result as { warning: string }).warning;
      expect(warning).toContain('tests.test_x.test_y');
      expect(warning).toContain('latency_ms.op.p95');
    }
  });

  it('warns on an unknown stat or a missing part', () => {
    expect(parseFigure('t', 'latency_ms.op.p42', 1)).toEqual({
      warning: expect.stringContaining('unknown stat "p42"') as unknown,
    });
    expect(parseFigure('t', 'latency_ms.op', 1)).toHaveProperty('warning');
    expect(parseFigure('t', 'throughput_ops_per_sec', 1)).toHaveProperty('warning');
    expect(parseFigure('t', 'metric.', 1)).toHaveProperty('warning');
    expect(parseFigure('t', 'memory_mb', 1)).toHaveProperty('warning');
  });

  it('never throws, whatever the name and value', () => {
    fc.assert(
      fc.property(fc.string(), fc.anything(), (name, value) => {
        parseFigure('t', name, value);
        parseFigure('t', `latency_ms.${name}`, value);
        parseFigure('t', `metric.${name}`, value);
      }),
    );
  });
});

describe('sanitizeMetricName', () => {
  it('produces names of the Prometheus grammar', () => {
    expect(sanitizeMetricName('9lives')).toBe('_9lives');
    expect(sanitizeMetricName('a.b-c:d é')).toBe('a_b_c:d__');
    // One sanitiser for figure names and prefixes: an empty name is no valid name either.
    expect(sanitizeMetricName('')).toBe('_');
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(sanitizeMetricName(name)).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      }),
    );
  });
});

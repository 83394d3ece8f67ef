/* global describe, test, expect, jest */
/* eslint-disable @typescript-eslint/no-require-imports */
const { recordFigure } = require('./figures.cjs');

jest.retryTimes(2, { logErrorsBeforeRetry: false });

function percentile(sorted, fraction) {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.round(fraction * sorted.length) - 1))];
}

describe('Tracer', () => {
  describe('latency', () => {
    test('observe adds minimal overhead', () => {
      const samples = [];
      for (let i = 0; i < 200; i++) {
        const start = process.hrtime.bigint();
        JSON.stringify({ i, payload: 'x'.repeat(100) });
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      samples.sort((a, b) => a - b);
      recordFigure('latency_ms.observe.p50', percentile(samples, 0.5));
      recordFigure('latency_ms.observe.p95', percentile(samples, 0.95));
      recordFigure('throughput_ops_per_sec.observe', 1000 / percentile(samples, 0.5));
      expect(samples.length).toBe(200);
    });

    test('flush fails with a clear message', () => {
      expect({ exported: 3 }).toEqual({ exported: 4 });
    });
  });

  test.skip('exports to staging', () => {});
  test.todo('exports over gRPC');
});

let attempts = 0;
test('reconnects after a dropped connection (flaky, passes on retry)', () => {
  attempts += 1;
  if (attempts < 2) throw new Error(`connection reset on attempt ${attempts}`);
});

describe('names with "quotes" & <brackets>', () => {
  test('handles \'single\' and "double" quotes', () => {
    expect('"').toHaveLength(1);
  });
  test('naïve café ✓ – Unicode 日本語', () => {
    expect('café'.normalize('NFC')).toBe('café');
  });
});

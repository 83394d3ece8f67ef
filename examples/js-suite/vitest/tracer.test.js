import { describe, expect, test } from 'vitest';

describe('Tracer', () => {
  describe('latency', () => {
    test('observe adds minimal overhead', ({ task }) => {
      const samples = [];
      for (let i = 0; i < 200; i++) {
        const start = performance.now();
        JSON.stringify({ i, payload: 'x'.repeat(100) });
        samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      // Vitest's JSON reporter writes task.meta of each test: figures ride along there.
      task.meta['latency_ms.observe.p50'] = samples[99];
      task.meta['latency_ms.observe.p95'] = samples[189];
      task.meta['throughput_ops_per_sec.observe'] = 1000 / samples[99];
      expect(samples).toHaveLength(200);
    });

    test('flush fails with a clear message', () => {
      expect({ exported: 3 }).toEqual({ exported: 4 });
    });
  });

  test.skip('exports to staging', () => {});
  test.todo('exports over gRPC');
});

let attempts = 0;
test('reconnects after a dropped connection (flaky, passes on retry)', { retry: 2 }, () => {
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

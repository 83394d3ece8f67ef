import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

describe('Tracer', () => {
  describe('latency', () => {
    test('observe adds minimal overhead', () => {
      assert.equal(JSON.stringify({ a: 1 }), '{"a":1}');
    });
    test('flush fails with a clear message', () => {
      assert.deepEqual({ exported: 3 }, { exported: 4 });
    });
  });
  test('exports to staging', { skip: 'needs a staging collector' }, () => {});
  test('exports over gRPC', { todo: true }, () => {});
});

describe('names with "quotes" & <brackets>', () => {
  test('handles \'single\' and "double" quotes', () => {
    assert.equal('"'.length, 1);
  });
  test('naïve café ✓ – Unicode 日本語', () => {
    assert.equal('café'.normalize('NFC'), 'café');
  });
});

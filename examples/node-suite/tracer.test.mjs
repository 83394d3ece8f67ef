// The demo's fallback suite, for machines without pytest: Node's own test runner, no packages.
// `node --test --test-reporter=junit --test-reporter-destination=report.xml`
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

/** Collects spans in memory and exports them in batches, like the Python example's tracer. */
class Tracer {
  spans = [];
  exported = [];
  observe(fn) {
    return (...args) => {
      const start = process.hrtime.bigint();
      try {
        return fn(...args);
      } finally {
        this.spans.push([fn.name, process.hrtime.bigint() - start]);
      }
    };
  }
  flush() {
    this.exported = this.exported.concat(this.spans);
    this.spans = [];
  }
}

const work = (n = 200) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += i * i;
  return sum;
};

describe('latency', () => {
  test('observe adds minimal overhead', () => {
    const traced = new Tracer().observe(work);
    const samples = [];
    for (let i = 0; i < 300; i++) {
      const start = performance.now();
      traced();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    assert.ok(samples[150] < 50, `median ${samples[150]} ms`);
  });
});

describe('throughput', () => {
  test('every span is delivered', () => {
    const tracer = new Tracer();
    const traced = tracer.observe(work);
    const deadline = performance.now() + 200;
    let count = 0;
    while (performance.now() < deadline) {
      traced(10);
      count++;
    }
    tracer.flush();
    assert.equal(tracer.exported.length, count);
  });
});

// No quotes in these names: Node 20's JUnit reporter escapes them twice (&amp;quot;).
describe('payloads', () => {
  for (const payload of ['plain ascii', 'naïve café ✓', 'path/with/slashes']) {
    test(`round trip: ${payload}`, () => {
      assert.equal(Buffer.from(payload).toString(), payload);
    });
  }
});

test('checkout flow e2e', async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(
    process.env.EXAMPLE_FAIL,
    undefined,
    'checkout returned HTTP 503 (EXAMPLE_FAIL set)',
  );
});

test('export to staging', { skip: 'needs a staging collector' }, () => {});

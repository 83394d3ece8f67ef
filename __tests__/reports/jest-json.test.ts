import { describe, expect, it } from 'vitest';

import { jestJsonParser, parseJestJson } from '../../src/reports/jest-json.js';
import { byId, countByStatus, fixture } from './helpers.js';

const FILE = '/work/main/examples/js-suite/jest/tracer.test.cjs';

describe('Jest JSON (real Jest 30 run)', () => {
  it('counts statuses, marks the retried test flaky and keeps the failure message', async () => {
    const report = await parseJestJson(fixture('jest-json/jest.json'));
    expect(report.format).toBe('jest-json');
    expect(countByStatus(report.tests)).toEqual({ passed: 3, failed: 1, skipped: 2, flaky: 1 });
    expect(
      byId(report.tests, 'reconnects after a dropped connection (flaky, passes on retry)'),
    ).toMatchObject({
      status: 'flaky',
      retries: 1,
      classname: FILE,
    });
    const failed = byId(report.tests, 'flush fails with a clear message');
    expect(failed).toMatchObject({
      id: `${FILE} > Tracer > latency > flush fails with a clear message`,
      classname: `${FILE} > Tracer > latency`,
      name: 'flush fails with a clear message',
      file: FILE,
      message: 'Error: expect(received).toEqual(expected) // deep equality',
    });
    expect(byId(report.tests, 'observe adds minimal overhead').durationSeconds).toBe(0.002);
    expect(byId(report.tests, 'exports over gRPC')).toMatchObject({
      status: 'skipped',
      durationSeconds: undefined,
    });
    expect(report.tests.map((t) => t.name)).toContain('naïve café ✓ – Unicode 日本語');
    expect(report.tests.map((t) => t.name)).toContain('handles \'single\' and "double" quotes');
  });
});

describe('Vitest JSON (real Vitest 4 run)', () => {
  it('reads statuses, flaky from failure messages of a passed test, figures from meta', async () => {
    const report = await parseJestJson(fixture('vitest-json/vitest.json'));
    expect(countByStatus(report.tests)).toEqual({ passed: 3, failed: 1, skipped: 2, flaky: 1 });
    expect(byId(report.tests, '(flaky, passes on retry)')).toMatchObject({
      status: 'flaky',
      retries: 1,
    });
    expect(byId(report.tests, 'flush fails with a clear message').message).toBe(
      'AssertionError: expected { exported: 3 } to deeply equal { exported: 4 }',
    );
    const observe = byId(report.tests, 'observe adds minimal overhead');
    expect(report.figures.toArray().map((f) => [f.test, f.kind, f.operation, f.stat])).toEqual([
      [observe.id, 'latency', 'observe', 'p50'],
      [observe.id, 'latency', 'observe', 'p95'],
      [observe.id, 'throughput', 'observe', undefined],
    ]);
    expect(report.figures.at(0)?.value).toBeLessThan(0.01);
  });
});

describe('Jest/Vitest edge cases', () => {
  it('empty, zero tests, skipped-only, missing durations', async () => {
    await expect(parseJestJson(fixture('jest-json/edge/empty.json'))).rejects.toThrow(
      /file is empty/,
    );
    expect(
      (await parseJestJson(fixture('jest-json/edge/zero-tests.json'))).tests.toArray(),
    ).toEqual([]);
    expect(
      (await parseJestJson(fixture('jest-json/edge/empty-suite.json'))).tests.toArray(),
    ).toEqual([]);
    const skipped = await parseJestJson(fixture('jest-json/edge/skipped-only.json'));
    expect(countByStatus(skipped.tests)).toEqual({ skipped: 3 });
    const durations = await parseJestJson(fixture('jest-json/edge/missing-durations.json'));
    expect(durations.tests.map((t) => t.durationSeconds)).toEqual([undefined, undefined]);
  });

  it('Unicode, quotes, ANSI colours and 10k-character names', async () => {
    const name = 'naïve café ✓ – 日本語 "quoted" \'single\' <tag> & amp';
    const unicode = await parseJestJson(fixture('jest-json/edge/unicode-quotes.json'));
    expect(unicode.tests.at(0)).toMatchObject({
      name,
      message: `Error: ${name}`,
      file: '/repo/ü.test.ts',
    });
    const long = await parseJestJson(fixture('jest-json/edge/long-names.json'));
    expect(long.tests.at(0)?.name).toHaveLength(10_000);
    expect(long.tests.at(0)?.id.length).toBeGreaterThan(20_000);
  });

  it('a file that failed to run is one error test', async () => {
    const report = await parseJestJson(fixture('jest-json/edge/suite-failed-to-run.json'));
    expect(report.tests.toArray()).toEqual([
      expect.objectContaining({
        id: '/repo/broken.test.ts',
        status: 'error',
        message: '● Test suite failed to run',
      }),
    ]);
  });

  it('unknown fields are ignored, unknown statuses warn, location gives the line', async () => {
    const report = await parseJestJson(fixture('jest-json/edge/unknown-fields.json'));
    expect(report.tests.map((t) => [t.status, t.line])).toEqual([
      ['passed', 12],
      ['error', undefined],
    ]);
    expect(report.warnings).toEqual([
      'test "/repo/u.test.ts > strange status": unknown status "exploded", counted as error',
    ]);
  });

  it('malformed figures in meta warn', async () => {
    const report = await parseJestJson(fixture('jest-json/edge/malformed-figures.json'));
    expect(report.figures.toArray()).toEqual([
      { test: '/repo/m.test.ts > figs', kind: 'metric', name: 'ok', value: 2.5 },
    ]);
    expect(report.warnings).toHaveLength(3);
  });

  it('BOM and truncation', async () => {
    expect((await parseJestJson(fixture('jest-json/edge/bom.json'))).tests).toHaveLength(1);
    await expect(parseJestJson(fixture('jest-json/edge/truncated.json'))).rejects.toThrow(
      /truncated\.json: invalid JSON/,
    );
  });

  it('detects Jest and Vitest heads only', () => {
    expect(jestJsonParser.detect('{"numFailedTestSuites":1,"numTotalTests":7')).toBe(true);
    expect(jestJsonParser.detect('{\n  "numTotalTestSuites": 4,\n  "numTotalTests": 7')).toBe(true);
    expect(jestJsonParser.detect('{"created": 1, "tests": []}')).toBe(false);
  });
});

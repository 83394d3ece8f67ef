import { readFile } from 'node:fs/promises';

import { validate } from 'ctrf';
import { describe, expect, it } from 'vitest';

import { ctrfParser, parseCtrf } from '../../src/reports/ctrf.js';
import { byId, countByStatus, fixture } from './helpers.js';

describe('CTRF', () => {
  it('the fixtures are valid CTRF according to the reference implementation', async () => {
    for (const file of [
      'report.json',
      'edge/zero-tests.json',
      'edge/skipped-only.json',
      'edge/long-names.json',
      'edge/other-status.json',
    ]) {
      const result = validate(JSON.parse(await readFile(fixture(`ctrf/${file}`), 'utf8')));
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it('maps statuses, flaky, retries, rawStatus, durations, suites', async () => {
    const report = await parseCtrf(fixture('ctrf/report.json'));
    expect(report.format).toBe('ctrf');
    expect(countByStatus(report.tests)).toEqual({
      passed: 3,
      failed: 1,
      skipped: 2,
      flaky: 1,
      error: 1,
    });
    expect(byId(report.tests, 'flush fails with a clear message')).toMatchObject({
      id: 'Tracer > latency > flush fails with a clear message',
      classname: 'Tracer > latency',
      file: 'jest/tracer.test.cjs',
      line: 25,
      status: 'failed',
      retries: 2,
      message: 'expect(received).toEqual(expected) // deep equality',
    });
    expect(
      byId(report.tests, 'reconnects after a dropped connection (flaky, passes on retry)'),
    ).toMatchObject({
      status: 'flaky',
      retries: 1,
    });
    expect(byId(report.tests, 'checkout flow end to end')).toMatchObject({
      status: 'error',
      durationSeconds: 5.012,
      message: 'Test timeout of 5000ms exceeded.',
    });
    expect(report.tests.map((t) => t.name)).toContain('naïve café ✓ – Unicode 日本語');
  });

  it('reads figures from extra, numbers or numeric strings, ignoring other keys', async () => {
    const report = await parseCtrf(fixture('ctrf/report.json'));
    const id = 'Tracer > latency > observe adds minimal overhead';
    expect(report.figures.toArray()).toEqual([
      { test: id, kind: 'latency', operation: 'observe', stat: 'p50', value: 0.000911 / 1000 },
      { test: id, kind: 'latency', operation: 'observe', stat: 'p95', value: 0.001752 / 1000 },
      { test: id, kind: 'throughput', operation: 'observe', value: 1097694.840834248 },
      { test: id, kind: 'memory_growth', value: 1.5 * 1048576 },
      {
        test: 'names with "quotes" & <brackets> > naïve café ✓ – Unicode 日本語',
        kind: 'metric',
        name: 'payload_bytes',
        value: 16,
      },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('edge cases', async () => {
    await expect(parseCtrf(fixture('ctrf/edge/empty.json'))).rejects.toThrow(/file is empty/);
    expect((await parseCtrf(fixture('ctrf/edge/zero-tests.json'))).tests.toArray()).toEqual([]);
    expect(countByStatus((await parseCtrf(fixture('ctrf/edge/skipped-only.json'))).tests)).toEqual({
      skipped: 2,
    });
    const unicode = await parseCtrf(fixture('ctrf/edge/unicode-quotes.json'));
    const name = 'naïve café ✓ – 日本語 "quoted" \'single\' <tag> & amp';
    expect(unicode.tests.at(0)).toMatchObject({ name, message: name, id: `${name} > ${name}` });
    expect((await parseCtrf(fixture('ctrf/edge/long-names.json'))).tests.at(0)?.name).toHaveLength(
      10_000,
    );
    const missing = await parseCtrf(fixture('ctrf/edge/missing-durations.json'));
    expect(missing.tests.at(0)?.durationSeconds).toBeUndefined();
    const unknown = await parseCtrf(fixture('ctrf/edge/unknown-fields.json'));
    expect(unknown.tests.toArray()).toEqual([
      expect.objectContaining({
        id: 'Legacy Suite > legacy suite string',
        classname: 'Legacy Suite',
        status: 'other',
      }),
    ]);
    // "other" is one of CTRF's five statuses: no warning for it.
    expect(unknown.warnings).toEqual(['results.tests[1]: no name, entry ignored']);
    const figures = await parseCtrf(fixture('ctrf/edge/malformed-figures.json'));
    expect(figures.figures.toArray()).toEqual([
      { test: 'figs', kind: 'metric', name: '_9lives', value: 9 },
    ]);
    expect(figures.warnings).toHaveLength(3);
  });

  it('keeps "other", one of the five statuses of the CTRF spec, as its own status, unwarned', async () => {
    const report = await parseCtrf(fixture('ctrf/edge/other-status.json'));
    expect(report.tests.map((t) => [t.name, t.status])).toEqual([
      ['runs', 'passed'],
      ['blocked by a missing device', 'other'],
      // The producer's own word refines "other" when it names a known outcome.
      ['hit the time limit', 'error'],
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('detects CTRF documents', () => {
    expect(ctrfParser.detect('{"reportFormat": "CTRF", "specVersion": "0.0.0"')).toBe(true);
    expect(ctrfParser.detect('{"results": {"tool": {"name": "x"}, "summary": {')).toBe(true);
    expect(ctrfParser.detect('{"testResults": []}')).toBe(false);
  });
});

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { detectFormat, readHead } from '../../src/reports/detect.js';
import { parseMochaJson } from '../../src/reports/mocha-json.js';
import { byId, countByStatus, fixture } from './helpers.js';

const REPORT = fixture('mocha-json/report.json');

interface RawTest {
  title: string;
  fullTitle: string;
  duration?: number;
  currentRetry: number;
  err: { message?: string };
}
const raw = JSON.parse(readFileSync(REPORT, 'utf8')) as {
  stats: Record<string, number>;
  pending: RawTest[];
  failures: RawTest[];
  passes: RawTest[];
};
const rawByTitle = (title: string): RawTest =>
  [...raw.pending, ...raw.failures, ...raw.passes].find((t) => t.title === title) as RawTest;

describe('mocha JSON (real mocha 12 run)', () => {
  it('counts as mocha did: pending skipped, hook failure an error, retried pass flaky', async () => {
    const report = await parseMochaJson(REPORT);
    expect(report.format).toBe('mocha-json');
    expect(report.warnings).toEqual([]);
    const counts = countByStatus(report.tests);
    expect(counts).toEqual({ skipped: 2, failed: 3, error: 1, passed: 4, flaky: 1 });
    expect(counts.skipped).toBe(raw.stats.pending);
    expect((counts.failed ?? 0) + (counts.error ?? 0)).toBe(raw.stats.failures);
    expect((counts.passed ?? 0) + (counts.flaky ?? 0)).toBe(raw.stats.passes);
  });

  it('ids, durations, messages and retries from the report', async () => {
    const report = await parseMochaJson(REPORT);
    const file = '/work/wt/fmt-json/__tests__/fixtures/sources/mocha-suite/test/tracer.spec.cjs';
    const flush = byId(report.tests, 'flush fails with a clear message');
    expect(flush).toMatchObject({
      id: `${file} > Tracer latency > flush fails with a clear message`,
      classname: `${file} > Tracer latency`,
      file,
      status: 'failed',
      message: rawByTitle('flush fails with a clear message').err.message?.split('\n')[0],
    });
    expect(flush.message).toBe('Expected values to be strictly deep-equal:');
    for (const test of report.tests) {
      const source = rawByTitle(test.name);
      expect(test.durationSeconds).toBe(
        source.duration === undefined ? undefined : source.duration / 1000,
      );
    }
    expect(byId(report.tests, 'takes a while').durationSeconds).toBeGreaterThanOrEqual(0.03);
    expect(byId(report.tests, '(flaky, passes on retry)')).toMatchObject({
      status: 'flaky',
      retries: 1,
      message: undefined,
    });
    expect(byId(report.tests, 'gives up after three attempts')).toMatchObject({
      status: 'failed',
      retries: 2,
      message: 'still down after attempt 3',
    });
    expect(byId(report.tests, 'times out').message).toMatch(/^Timeout of 500ms exceeded\./);
    expect(byId(report.tests, 'hook for "is never run because its hook failed"')).toMatchObject({
      status: 'error',
      classname: `${file} > Exporter`,
      message: 'collector not reachable',
    });
    expect(byId(report.tests, 'exports over gRPC')).toMatchObject({
      status: 'skipped',
      durationSeconds: undefined,
    });
    expect(report.tests.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'naïve café ✓ – Unicode 日本語',
        'handles \'single\' and "double" quotes',
      ]),
    );
    expect(report.figures.toArray()).toEqual([]);
  });

  it('is detected from its content', async () => {
    expect(detectFormat(await readHead(REPORT))).toBe('mocha-json');
    expect(detectFormat(await readHead(fixture('mocha-json/edge/zero-tests.json')))).toBe(
      'mocha-json',
    );
  });
});

describe('mocha JSON edge cases', () => {
  it('empty, truncated, zero tests, not mocha', async () => {
    await expect(parseMochaJson(fixture('mocha-json/edge/empty.json'))).rejects.toThrow(
      /file is empty/,
    );
    await expect(parseMochaJson(fixture('mocha-json/edge/truncated.json'))).rejects.toThrow(
      /truncated\.json: invalid JSON at line \d+, column \d+ \(byte \d+\): unexpected end of the file$/,
    );
    expect(
      (await parseMochaJson(fixture('mocha-json/edge/zero-tests.json'))).tests.toArray(),
    ).toEqual([]);
    await expect(parseMochaJson(fixture('jest-json/jest.json'))).rejects.toThrow(
      /not a mocha JSON report/,
    );
  });

  it('a test both failed and passed counts once as failed; huge messages cut; bad entries warned', async () => {
    const report = await parseMochaJson(fixture('mocha-json/edge/odd-cases.json'));
    expect(report.tests.map((t) => [t.name, t.status])).toEqual([
      ['done() called twice', 'failed'],
      ['naïve café ✓ – 日本語 "quoted" \'single\' <tag> & amp', 'failed'],
      ['no file, no duration, no fullTitle', 'passed'],
    ]);
    expect(report.tests.at(1)?.message).toHaveLength(1000);
    expect(report.tests.at(2)).toEqual({
      id: 'no file, no duration, no fullTitle',
      name: 'no file, no duration, no fullTitle',
      classname: '',
      file: undefined,
      status: 'passed',
      durationSeconds: undefined,
      message: undefined,
      retries: undefined,
    });
    expect(report.warnings).toEqual(['failures[2]: no title, entry ignored']);
  });
});

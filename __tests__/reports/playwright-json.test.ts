import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { detectFormat, readHead } from '../../src/reports/detect.js';
import { parsePlaywrightJson } from '../../src/reports/playwright-json.js';
import { byId, countByStatus, fixture } from './helpers.js';

const REPORT = fixture('playwright-json/report.json');

interface RawResult {
  status: string;
  duration: number;
  error?: { message: string };
}
interface RawTest {
  projectName: string;
  status: string;
  results: RawResult[];
  annotations: { type: string; description?: string }[];
}
interface RawSpec {
  title: string;
  file: string;
  line: number;
  tests: RawTest[];
}
interface RawSuite {
  title: string;
  specs: RawSpec[];
  suites?: RawSuite[];
}

/** Every (project, suite titles, spec, test) of the report as Playwright wrote it. */
function rawTests(): { id: string; spec: RawSpec; test: RawTest }[] {
  const raw = JSON.parse(readFileSync(REPORT, 'utf8')) as { suites: RawSuite[] };
  const found: { id: string; spec: RawSpec; test: RawTest }[] = [];
  const walk = (suite: RawSuite, titles: string[]): void => {
    const path = [...titles, suite.title];
    for (const spec of suite.specs) {
      for (const test of spec.tests) {
        found.push({ id: [test.projectName, ...path, spec.title].join(' > '), spec, test });
      }
    }
    for (const child of suite.suites ?? []) walk(child, path);
  };
  for (const suite of raw.suites) walk(suite, []);
  return found;
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
const rawStats = (JSON.parse(readFileSync(REPORT, 'utf8')) as { stats: Record<string, number> })
  .stats;

describe('Playwright JSON (real @playwright/test 1.65 run)', () => {
  it('counts one test per project and spec, as Playwright counted them', async () => {
    const report = await parsePlaywrightJson(REPORT);
    expect(report.format).toBe('playwright-json');
    expect(report.warnings).toEqual([]);
    const counts = countByStatus(report.tests);
    expect(counts).toEqual({ passed: 5, xfailed: 1, failed: 2, flaky: 1, skipped: 3 });
    // Playwright's own stats: expected = passed + expected failures.
    expect((counts.passed ?? 0) + (counts.xfailed ?? 0)).toBe(rawStats.expected);
    expect(counts.failed).toBe(rawStats.unexpected);
    expect(counts.flaky).toBe(rawStats.flaky);
    expect(counts.skipped).toBe(rawStats.skipped);
  });

  it('ids carry the project; file, line and the last result duration come from the report', async () => {
    const report = await parsePlaywrightJson(REPORT);
    const raw = rawTests();
    expect(report.tests.map((t) => t.id)).toEqual(raw.map((r) => r.id));
    for (const { id, spec, test } of raw) {
      const parsed = byId(report.tests, id);
      expect(parsed).toMatchObject({ file: spec.file, line: spec.line, name: spec.title });
      const last = test.results.at(-1) as RawResult;
      expect(parsed.durationSeconds).toBe(
        test.status === 'skipped' ? undefined : last.duration / 1000,
      );
      expect(parsed.retries).toBe(
        test.status !== 'skipped' && test.results.length > 1 ? test.results.length - 1 : undefined,
      );
    }
    expect(
      byId(report.tests, 'api > checkout.spec.mjs > checkout > adds tax @smoke').classname,
    ).toBe('api > checkout.spec.mjs > checkout');
    expect(
      byId(report.tests, 'smoke > checkout.spec.mjs > checkout > adds tax @smoke').status,
    ).toBe('passed');
    expect(report.tests.map((t) => t.id)).toContain(
      'api > checkout.spec.mjs > naïve café ✓ – 日本語 > handles \'single\' and "double" quotes @smoke',
    );
  });

  it('statuses and messages: failed, timed out, flaky, skipped, expected failure', async () => {
    const report = await parsePlaywrightJson(REPORT);
    const raw = rawTests();
    const firstLineOf = (title: string, attempt: number): string => {
      const found = raw.find((r) => r.spec.title === title) as (typeof raw)[number];
      const error = found.test.results[attempt]?.error?.message ?? '';
      return stripAnsi(error).split('\n')[0] as string;
    };
    expect(byId(report.tests, 'totals the cart')).toMatchObject({
      status: 'failed',
      retries: 2,
      message: firstLineOf('totals the cart', 2),
    });
    expect(byId(report.tests, 'totals the cart').message).toBe('Error: cart total');
    expect(byId(report.tests, 'times out')).toMatchObject({
      status: 'failed',
      message: 'Test timeout of 200ms exceeded.',
    });
    expect(byId(report.tests, 'reconnects after a dropped connection (flaky)')).toMatchObject({
      status: 'flaky',
      retries: 1,
      message: firstLineOf('reconnects after a dropped connection (flaky)', 0),
    });
    expect(byId(report.tests, 'needs a staging collector')).toMatchObject({
      status: 'skipped',
      message: 'no staging collector here',
    });
    expect(byId(report.tests, 'exports over gRPC').status).toBe('skipped');
    expect(byId(report.tests, 'retries the upload').status).toBe('skipped');
    expect(byId(report.tests, 'rejects a negative quantity')).toMatchObject({
      status: 'xfailed',
      message: firstLineOf('rejects a negative quantity', 0),
    });
  });

  it('annotations of type metric and figure-named annotations are figures', async () => {
    const report = await parsePlaywrightJson(REPORT);
    const raw = rawTests().find((r) => r.spec.title === 'records its latency');
    const latency = raw?.test.annotations.find((a) => a.type === 'metric')?.description ?? '';
    const id = 'api > checkout.spec.mjs > checkout > records its latency';
    expect(report.figures.toArray()).toEqual([
      {
        test: id,
        kind: 'latency',
        operation: 'checkout',
        stat: 'p95',
        value: Number(latency.split('=')[1]) * 1e-3,
      },
      { test: id, kind: 'throughput', operation: 'checkout', value: 1250.5 },
      { test: id, kind: 'metric', name: 'queue_depth', value: 7 },
    ]);
  });

  it('is detected from its content', async () => {
    expect(detectFormat(await readHead(REPORT))).toBe('playwright-json');
    expect(detectFormat(await readHead(fixture('playwright-json/edge/load-error.json')))).toBe(
      'playwright-json',
    );
  });
});

describe('Playwright JSON edge cases', () => {
  it('empty, truncated, zero tests', async () => {
    await expect(parsePlaywrightJson(fixture('playwright-json/edge/empty.json'))).rejects.toThrow(
      /empty\.json: file is empty/,
    );
    const truncated = parsePlaywrightJson(fixture('playwright-json/edge/truncated.json'));
    await expect(truncated).rejects.toThrow(
      /truncated\.json: invalid JSON at line \d+, column \d+ \(byte \d+\): unexpected end of the file$/,
    );
    expect(
      (await parsePlaywrightJson(fixture('playwright-json/edge/zero-tests.json'))).tests.toArray(),
    ).toEqual([]);
  });

  it('a file that does not load is an error test named after it', async () => {
    const report = await parsePlaywrightJson(fixture('playwright-json/edge/load-error.json'));
    expect(report.tests.toArray()).toEqual([
      {
        id: 'tests/broken.spec.mjs',
        name: 'tests/broken.spec.mjs',
        classname: '',
        file: 'tests/broken.spec.mjs',
        line: 3,
        status: 'error',
        message: "Error: Cannot find module './missing-helper'",
      },
    ]);
  });

  it('huge messages, interrupted, unexpected pass, unknown status, bad figures, keys out of order', async () => {
    const report = await parsePlaywrightJson(fixture('playwright-json/edge/odd-cases.json'));
    expect(report.tests.map((t) => [t.classname, t.status])).toEqual([
      ['edge.spec.ts', 'failed'],
      ['edge.spec.ts', 'error'],
      ['edge.spec.ts', 'xpassed'],
      ['edge.spec.ts', 'error'],
      ['edge.spec.ts', 'passed'],
      ['edge.spec.ts', 'passed'],
    ]);
    const huge = report.tests.at(0);
    expect(huge?.name).toBe('naïve café ✓ – 日本語 "quoted" \'single\' <tag> & amp');
    expect(huge?.message).toHaveLength(1000);
    expect(huge?.message?.startsWith('Error: xxx')).toBe(true);
    expect(report.tests.at(2)?.message).toBe('bug #1');
    expect(report.tests.at(5)?.durationSeconds).toBeUndefined();
    expect(report.figures.toArray()).toEqual([]);
    expect(report.warnings).toEqual([
      'test "edge.spec.ts > strange status": unknown status "exploded", counted as error',
      'test "edge.spec.ts > bad figures": metric annotation without "<name>=<value>"',
      'test "edge.spec.ts > bad figures": property "latency_ms.op.p95": value "fast" is not a finite number',
      expect.stringMatching(/property "latency_ms\.op\.p42": unknown stat "p42"/),
    ]);
  });
});

import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { nunit2Parser, parseNunit2 } from '../../src/reports/nunit2.js';
import { ReportError } from '../../src/reports/types.js';
import { byId, countByStatus, fixture } from './helpers.js';

const REAL = 'nunit2/nunit-console.xml';

describe('NUnit 2 XML from a real nunit-console 2.6.4 run under Mono', () => {
  it('counts every test case as the console did', async () => {
    const report = await parseNunit2(fixture(REAL));
    expect(report.format).toBe('nunit2');
    // nunit-console: total 11 run (+2 not run), 2 failures, 1 error, 1 inconclusive, 1 ignored,
    // 1 invalid (NotRunnable); the [Explicit] test is not in the file at all.
    const xml = await readFile(fixture(REAL), 'utf8');
    expect(xml).toMatch(/total="11" errors="1" failures="2" not-run="2" inconclusive="1"/);
    expect(report.tests).toHaveLength(13);
    expect(countByStatus(report.tests)).toEqual({ passed: 7, failed: 2, error: 2, skipped: 2 });
    expect(report.tests.map((t) => t.id)).not.toContain(
      'Reliability.Checkout.ReconnectTests.SurvivesLongOutage',
    );
  });

  it('maps each result and keeps the first line of its message', async () => {
    const { tests } = await parseNunit2(fixture(REAL));
    const outcome = (suffix: string): [string, string | undefined] => {
      const test = byId(tests, suffix);
      return [test.status, test.message];
    };
    expect(outcome('.CheckoutReturnsReceipt')).toEqual([
      'failed',
      'checkout returned HTTP 503 (collector down)',
    ]);
    expect(outcome('.PaymentGatewayReachable')).toEqual([
      'error',
      'System.InvalidOperationException : payment gateway not reachable on 127.0.0.1:9',
    ]);
    expect(outcome('.NeedsArguments')).toEqual(['error', 'No arguments were provided']);
    expect(outcome('.RefundsReachStaging')).toEqual(['skipped', 'needs a staging gateway']);
    expect(outcome('.CurrencyRatesFresh')).toEqual([
      'skipped',
      'rates feed returned no data today',
    ]);
    // Assert.Pass("...") leaves a reason on a passed test: not a failure message.
    expect(outcome('.ReconnectsAfterDrop')).toEqual(['passed', undefined]);
    expect(byId(tests, '.RefundsReachStaging').durationSeconds).toBeUndefined();
  });

  it('splits the full name into the class (namespace and fixture suites) and the name', async () => {
    const { tests } = await parseNunit2(fixture(REAL));
    expect(byId(tests, 'Adds(2,2,5)')).toMatchObject({
      id: 'Reliability.Checkout.CheckoutTests.Adds(2,2,5)',
      classname: 'Reliability.Checkout.CheckoutTests',
      name: 'Adds(2,2,5)',
      status: 'failed',
      message: 'Expected: 5',
    });
    expect(tests.filter((t) => t.name.startsWith('Adds(')).map((t) => t.status)).toEqual([
      'passed',
      'passed',
      'failed',
    ]);
    expect(tests.map((t) => t.name)).toEqual(
      expect.arrayContaining(['Names naïve café ✓ – 日本語', 'RoundTrips("say \\"hi\\" & <bye>")']),
    );
    expect(byId(tests, '.ReconnectsAfterDrop').classname).toBe(
      'Reliability.Checkout.ReconnectTests',
    );
  });

  it('durations are the time attribute, as written', async () => {
    const { tests } = await parseNunit2(fixture(REAL));
    const xml = await readFile(fixture(REAL), 'utf8');
    const time =
      /name="Reliability\.Checkout\.CheckoutTests\.CheckoutCompletesWithinBudget"[^>]* time="([\d.]+)"/.exec(
        xml,
      )?.[1];
    expect(byId(tests, '.CheckoutCompletesWithinBudget').durationSeconds).toBe(Number(time));
    // The test sleeps 20 ms.
    expect(Number(time)).toBeGreaterThanOrEqual(0.02);
  });

  it('properties become figures; a malformed figure is a warning naming test and property', async () => {
    const report = await parseNunit2(fixture(REAL));
    const test = 'Reliability.Checkout.CheckoutTests.CheckoutCompletesWithinBudget';
    expect(report.figures.toArray()).toEqual([
      { test, kind: 'latency', operation: 'checkout', stat: 'p50', value: 0.0125 },
      { test, kind: 'latency', operation: 'checkout', stat: 'p95', value: 0.04825 },
      { test, kind: 'throughput', operation: 'checkout', value: 820 },
      {
        test: 'Reliability.Checkout.CheckoutTests.MalformedFigureIsAWarning',
        kind: 'memory',
        operation: 'peak',
        value: 64 * 1024 * 1024,
      },
    ]);
    expect(report.warnings).toEqual([
      'test "Reliability.Checkout.CheckoutTests.MalformedFigureIsAWarning": property "latency_ms.checkout.p42": unknown stat "p42" (expected one of p50, p90, p95, p99, p999, mean, median, min, max, stddev, iqr)',
    ]);
  });
});

describe('NUnit 2 edge cases', () => {
  it('an empty run has no tests; an empty file is an error', async () => {
    expect((await parseNunit2(fixture('nunit2/edge/empty-run.xml'))).tests.toArray()).toEqual([]);
    await expect(parseNunit2(fixture('nunit2/edge/empty.xml'))).rejects.toThrow(ReportError);
  });

  it('a truncated file names the file and the line', async () => {
    await expect(parseNunit2(fixture('nunit2/edge/truncated.xml'))).rejects.toThrow(
      /truncated\.xml: invalid NUnit 2 XML at line 7, column \d+: unclosed/,
    );
  });

  it('unknown results warn; the older schema without result reads executed and success', async () => {
    const report = await parseNunit2(fixture('nunit2/edge/unknown-result.xml'));
    expect(report.tests.map((t) => [t.name, t.status, t.message])).toEqual([
      ['Future', 'skipped', undefined],
      ['OldPass', 'passed', undefined],
      ['OldFail', 'failed', 'old schema failure'],
      ['OldNotRun', 'skipped', 'not run'],
      ['Stopped', 'error', undefined],
      ['Skipper', 'skipped', undefined],
    ]);
    expect(report.tests.every((t) => t.classname === 'Ns.Odd')).toBe(true);
    expect(report.warnings).toEqual(['test "Ns.Odd.Future": result "Exploded" counted as skipped']);
  });

  it('a huge message is cut to its first line, capped', async () => {
    const [test] = (await parseNunit2(fixture('nunit2/edge/huge-message.xml'))).tests;
    expect(test?.message).toHaveLength(1000);
    expect(test?.message?.startsWith('overflow overflow')).toBe(true);
  });

  it('Pester-style suites and missing times', async () => {
    const { tests } = await parseNunit2(fixture('nunit2/edge/missing-times.xml'));
    expect(tests.map((t) => [t.classname, t.name, t.durationSeconds])).toEqual([
      ['Checkout', 'returns a receipt', undefined],
      ['Checkout', 'naïve café ✓ – 日本語 "quoted" <tag> & amp', undefined],
    ]);
  });

  it('parameterised fixtures, and a name outside its suites split at its last dot', async () => {
    const { tests } = await parseNunit2(fixture('nunit2/edge/parameterised.xml'));
    expect(tests.map((t) => [t.classname, t.name, t.durationSeconds])).toEqual([
      ['Ns.Store("redis")', 'Saves(1.5,"a.b")', 0.25],
      ['Ns.Store("redis")', 'Saves(2.5,"c.d")', 0.5],
      ['Other.Place.Loose', 'Runs("x.y")', 0.1],
    ]);
  });

  it('refuses entity declarations; detects <test-results> only', async () => {
    await expect(parseNunit2(fixture('nunit2/edge/entity.xml'))).rejects.toThrow(
      /DOCTYPE\/entity declarations are not allowed/,
    );
    expect(nunit2Parser.detect('<?xml version="1.0"?><!--c--><test-results name="x">')).toBe(true);
    expect(nunit2Parser.detect('<test-run>')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';

import { ReportError } from '../../src/reports/types.js';
import { parseXunitNet, xunitNetParser } from '../../src/reports/xunit-net.js';
import { byId, countByStatus, fixture } from './helpers.js';

const CONSOLE = 'xunit-net/xunit-console.xml';

describe('xUnit.net v2 XML (console runner, written from the published format)', () => {
  it('reads every test of every collection, and the assembly-level error', async () => {
    const report = await parseXunitNet(fixture(CONSOLE));
    expect(report.format).toBe('xunit-net');
    // The assembly's counters: total 11, passed 6, failed 3, skipped 2, errors 1.
    expect(report.tests).toHaveLength(12);
    expect(countByStatus(report.tests)).toEqual({ passed: 6, failed: 3, skipped: 2, error: 1 });
  });

  it('a cleanup failure is an error test named after the class and the error type', async () => {
    const { tests } = await parseXunitNet(fixture(CONSOLE));
    expect(tests.at(0)).toEqual({
      id: 'Reliability.Checkout.ReconnectTests.[test-class-cleanup]',
      name: '[test-class-cleanup]',
      classname: 'Reliability.Checkout.ReconnectTests',
      file: undefined,
      line: undefined,
      status: 'error',
      durationSeconds: undefined,
      message: 'System.ObjectDisposedException : Cannot access a disposed object.',
    });
  });

  it('names relative to the type, time, source, messages and skip reasons', async () => {
    const { tests } = await parseXunitNet(fixture(CONSOLE));
    expect(byId(tests, '.CheckoutCompletesWithinBudget')).toEqual({
      id: 'Reliability.Checkout.CheckoutTests.CheckoutCompletesWithinBudget',
      name: 'CheckoutCompletesWithinBudget',
      classname: 'Reliability.Checkout.CheckoutTests',
      file: '/src/Reliability.Tests/CheckoutTests.cs',
      line: 18,
      status: 'passed',
      durationSeconds: 0.825123,
      message: undefined,
    });
    expect(byId(tests, '.CheckoutReturnsReceipt')).toMatchObject({
      status: 'failed',
      durationSeconds: 0.0212,
      message: 'Assert.Equal() Failure: Values differ',
    });
    expect(byId(tests, '.RefundsReachStaging')).toMatchObject({
      status: 'skipped',
      durationSeconds: 0,
      message: 'needs a staging gateway',
    });
    // A custom DisplayName that does not start with the type stays whole.
    expect(byId(tests, 'Settlement survives a 30 s outage')).toMatchObject({
      id: 'Reliability.Checkout.CheckoutTests.Settlement survives a 30 s outage',
      message: 'flaky upstream, see #42',
    });
  });

  it('theory rows are one test each, with Unicode and quotes in their arguments', async () => {
    const { tests } = await parseXunitNet(fixture(CONSOLE));
    expect(tests.filter((t) => t.name.startsWith('Adds(')).map((t) => [t.name, t.status])).toEqual([
      ['Adds(a: 1, b: 2, expected: 3)', 'passed'],
      ['Adds(a: -4, b: -6, expected: -10)', 'passed'],
      ['Adds(a: 2, b: 2, expected: 5)', 'failed'],
    ]);
    expect(tests.filter((t) => t.name.startsWith('RoundTrips(')).map((t) => t.name)).toEqual([
      'RoundTrips(payload: "naïve café ✓ – 日本語")',
      'RoundTrips(payload: "say \\"hi\\" & <bye>")',
    ]);
  });

  it('traits named by the figures convention are figures; a malformed one warns', async () => {
    const report = await parseXunitNet(fixture(CONSOLE));
    const test = 'Reliability.Checkout.CheckoutTests.CheckoutCompletesWithinBudget';
    expect(report.figures.toArray()).toEqual([
      { test, kind: 'latency', operation: 'checkout', stat: 'p50', value: 0.0125 },
      { test, kind: 'latency', operation: 'checkout', stat: 'p95', value: 0.04825 },
      { test, kind: 'throughput', operation: 'checkout', value: 820 },
      {
        test: 'Reliability.Checkout.ReconnectTests.ReconnectsAfterDrop',
        kind: 'metric',
        name: 'reconnect_attempts',
        value: 2,
      },
    ]);
    expect(report.warnings).toEqual([
      'test "Reliability.Checkout.CheckoutTests.Settlement survives a 30 s outage": property "memory_mb.peak": value "not measured" is not a finite number',
    ]);
  });
});

describe('xUnit.net edge cases', () => {
  it('an empty run has no tests; an empty file is an error', async () => {
    expect((await parseXunitNet(fixture('xunit-net/edge/empty-run.xml'))).tests.toArray()).toEqual(
      [],
    );
    await expect(parseXunitNet(fixture('xunit-net/edge/empty.xml'))).rejects.toThrow(ReportError);
  });

  it('a truncated file names the file and the line', async () => {
    await expect(parseXunitNet(fixture('xunit-net/edge/truncated.xml'))).rejects.toThrow(
      /truncated\.xml: invalid xUnit\.net XML at line 7, column \d+: unclosed tag: message/,
    );
  });

  it('schema 3: NotRun is skipped, time-rtf stands in for time, unknown results warn', async () => {
    const report = await parseXunitNet(fixture('xunit-net/edge/unknown-result.xml'));
    expect(report.tests.map((t) => [t.id, t.status, t.durationSeconds, t.message])).toEqual([
      ['Ns.Odd.Future', 'skipped', 0.1, undefined],
      ['Ns.Odd.OnlyWhenAsked', 'skipped', 0, undefined],
      ['Ns.Odd.Rtf', 'passed', 62.5, undefined],
      // A fatal error names no class: it belongs to the assembly.
      ['/src/odd.dll.[fatal]', 'error', undefined, 'runner ran out of memory'],
    ]);
    expect(report.warnings).toEqual(['test "Ns.Odd.Future": result "Exploded" counted as skipped']);
  });

  it('a huge message is cut to its first line, capped', async () => {
    const [test] = (await parseXunitNet(fixture('xunit-net/edge/huge-message.xml'))).tests;
    expect(test?.message).toHaveLength(1000);
    expect(test?.message?.startsWith('overflow overflow')).toBe(true);
  });

  it('missing times, Unicode display names and tests without a type', async () => {
    const { tests } = await parseXunitNet(fixture('xunit-net/edge/missing-times.xml'));
    expect(tests.map((t) => [t.id, t.classname, t.durationSeconds])).toEqual([
      ['Ns.NoTime.Untimed', 'Ns.NoTime', undefined],
      ['Ns.NoTime.naïve café ✓ – 日本語 "quoted" <tag> & amp', 'Ns.NoTime', undefined],
      ['NoType', '', 0.5],
    ]);
  });

  it('theory rows with dots in arguments; a repeated display name is two tests', async () => {
    const { tests } = await parseXunitNet(fixture('xunit-net/edge/theory-rows.xml'));
    expect(tests.map((t) => [t.classname, t.name, t.status])).toEqual([
      ['Ns.Store', 'Saves(value: 1.5, key: "a.b")', 'passed'],
      ['Ns.Store', 'Saves(value: 2.5, key: "c.d")', 'passed'],
      ['Ns.Store', 'Saves(value: 2.5, key: "c.d")', 'failed'],
    ]);
  });

  it('refuses entity declarations; detects <assemblies> only', async () => {
    await expect(parseXunitNet(fixture('xunit-net/edge/entity.xml'))).rejects.toThrow(
      /DOCTYPE\/entity declarations are not allowed/,
    );
    expect(xunitNetParser.detect('\n<assemblies timestamp="x">')).toBe(true);
    expect(xunitNetParser.detect('<assembly name="v1.dll">')).toBe(false);
  });
});

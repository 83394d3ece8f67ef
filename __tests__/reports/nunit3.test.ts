import { describe, expect, it } from 'vitest';

import { nunit3Parser, nunit3Status, parseNunit3 } from '../../src/reports/nunit3.js';
import { ReportError } from '../../src/reports/types.js';
import { byId, countByStatus, fixture } from './helpers.js';

describe('NUnit 3 XML (nunit3-console result, written from the published format)', () => {
  it('reads every test case of the nested suites with its status and duration', async () => {
    const report = await parseNunit3(fixture('nunit3/nunit3-console.xml'));
    expect(report.format).toBe('nunit3');
    // The run's own counters: 15 cases, passed 5 + warning 1, failed 6, inconclusive 1, skipped 2.
    expect(report.tests).toHaveLength(15);
    expect(countByStatus(report.tests)).toEqual({ passed: 6, failed: 2, error: 4, skipped: 3 });
    expect(report.warnings).toEqual([]);
    expect(byId(report.tests, '.CheckoutCompletesWithinBudget')).toEqual({
      id: 'Reliability.Checkout.CheckoutTests.CheckoutCompletesWithinBudget',
      name: 'CheckoutCompletesWithinBudget',
      classname: 'Reliability.Checkout.CheckoutTests',
      status: 'passed',
      durationSeconds: 0.825123,
      message: undefined,
    });
  });

  it('maps result and label: Error, Invalid and Cancelled are errors; Warning passes', async () => {
    const { tests } = await parseNunit3(fixture('nunit3/nunit3-console.xml'));
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
    expect(outcome('.LongSettlement')).toEqual(['error', 'Test cancelled by user']);
    expect(outcome('.RefundsReachStaging')).toEqual(['skipped', 'needs a staging gateway']);
    expect(outcome('.SurvivesLongOutage')).toEqual(['skipped', 'runs only when asked']);
    expect(outcome('.CurrencyRatesFresh')).toEqual([
      'skipped',
      'rates feed returned no data today',
    ]);
    // A warning passed; its advisory message is not a failure message.
    expect(outcome('.ReceiptTemplateDeprecated')).toEqual(['passed', undefined]);
    // A OneTimeSetUp failure reaches the fixture's tests as Failed/Error at site Parent.
    expect(outcome('ReconnectTests.ReconnectsAfterDrop')).toEqual([
      'error',
      'OneTimeSetUp: System.Net.Sockets.SocketException : Connection refused 127.0.0.1:4317',
    ]);
  });

  it('parameterised cases, Unicode and quotes keep their display names', async () => {
    const { tests } = await parseNunit3(fixture('nunit3/nunit3-console.xml'));
    expect(tests.filter((t) => t.name.startsWith('Adds(')).map((t) => [t.name, t.status])).toEqual([
      ['Adds(1,2,3)', 'passed'],
      ['Adds(-4,-6,-10)', 'passed'],
      ['Adds(2,2,5)', 'failed'],
    ]);
    expect(byId(tests, 'Adds(2,2,5)')).toMatchObject({
      message: 'Expected: 5',
      durationSeconds: 0.008,
    });
    expect(tests.map((t) => t.id)).toContain(
      'Reliability.Checkout.CheckoutTests.Names naïve café ✓ – 日本語',
    );
    expect(tests.map((t) => t.name)).toContain('RoundTrips("say \\"hi\\" & <bye>")');
  });

  it('properties named by the figures convention become figures, in base units', async () => {
    const report = await parseNunit3(fixture('nunit3/nunit3-console.xml'));
    const test = 'Reliability.Checkout.CheckoutTests.CheckoutCompletesWithinBudget';
    expect(report.figures.toArray()).toEqual([
      { test: 'Reliability.Tests.dll', kind: 'metric', name: 'suite_warmup_requests', value: 250 },
      { test, kind: 'latency', operation: 'checkout', stat: 'p50', value: 0.0125 },
      { test, kind: 'latency', operation: 'checkout', stat: 'p95', value: 0.04825 },
      { test, kind: 'throughput', operation: 'checkout', value: 820 },
      { test, kind: 'memory', operation: 'peak', value: 64 * 1024 * 1024 },
    ]);
  });
});

describe('NUnit 3 edge cases', () => {
  it('an empty run has no tests; an empty file is an error naming it', async () => {
    expect((await parseNunit3(fixture('nunit3/edge/empty-run.xml'))).tests.toArray()).toEqual([]);
    await expect(parseNunit3(fixture('nunit3/edge/empty.xml'))).rejects.toThrow(
      /empty\.xml: invalid NUnit 3 XML at line 1, column \d+: .*root element/,
    );
  });

  it('a truncated file names the file and the line', async () => {
    const error = await parseNunit3(fixture('nunit3/edge/truncated.xml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as Error).message).toMatch(
      /truncated\.xml: invalid NUnit 3 XML at line 6, column \d+: unclosed/,
    );
  });

  it('an unknown result is skipped with a warning; an unknown label keeps its result', async () => {
    const report = await parseNunit3(fixture('nunit3/edge/unknown-result.xml'));
    expect(report.tests.map((t) => [t.id, t.status, t.message])).toEqual([
      ['Ns.Odd.Future', 'skipped', undefined],
      ['Ns.Odd.Labelled', 'failed', 'second attempt failed'],
      // No classname attribute: the fullname without the name.
      ['Ns.Odd.NoClass', 'passed', undefined],
    ]);
    expect(report.warnings).toEqual(['test "Ns.Odd.Future": result "Exploded" counted as skipped']);
  });

  it('a huge message is cut to its first line, capped', async () => {
    const [test] = (await parseNunit3(fixture('nunit3/edge/huge-message.xml'))).tests;
    expect(test?.message).toHaveLength(1000);
    expect(test?.message?.startsWith('overflow overflow')).toBe(true);
    expect(test?.message?.endsWith('…')).toBe(true);
    expect(test?.durationSeconds).toBe(1.5);
  });

  it('missing or unreadable durations are undefined; Unicode names survive', async () => {
    const { tests } = await parseNunit3(fixture('nunit3/edge/missing-times.xml'));
    expect(tests.map((t) => [t.name, t.durationSeconds])).toEqual([
      ['Untimed', undefined],
      ['naïve café ✓ – 日本語 "quoted" <tag> & amp', undefined],
    ]);
  });

  it('parameterised fixtures: one id per fixture instance and case', async () => {
    const { tests } = await parseNunit3(fixture('nunit3/edge/parameterised.xml'));
    // The same class and case run in two fixture instances are two tests, as NUnit 2 names them.
    expect(tests.map((t) => [t.id, t.name, t.status, t.durationSeconds])).toEqual([
      ['Ns.Store("redis").Saves(1.5,"a.b")', 'Saves(1.5,"a.b")', 'passed', 0.25],
      ['Ns.Store("redis").Saves(2.5,"c.d")', 'Saves(2.5,"c.d")', 'passed', 0.5],
      ['Ns.Store("memory").Saves(1.5,"a.b")', 'Saves(1.5,"a.b")', 'failed', 0.75],
    ]);
    expect(tests.at(0)?.classname).toBe('Ns.Store("redis")');
  });

  it('refuses entity declarations', async () => {
    await expect(parseNunit3(fixture('nunit3/edge/entity.xml'))).rejects.toThrow(
      /DOCTYPE\/entity declarations are not allowed/,
    );
  });

  it('a JUnit file is not NUnit 3', async () => {
    await expect(parseNunit3(fixture('junit/pytest-xunit1.xml'))).rejects.toThrow(
      /root element <testsuites> is not <test-run>/,
    );
  });
});

describe('nunit3Status', () => {
  it('covers every status and documented label', () => {
    expect(nunit3Status('Passed', '')).toBe('passed');
    expect(nunit3Status('Failed', '')).toBe('failed');
    expect(nunit3Status('Failed', 'Error')).toBe('error');
    expect(nunit3Status('Failed', 'Invalid')).toBe('error');
    expect(nunit3Status('Failed', 'Cancelled')).toBe('error');
    expect(nunit3Status('Skipped', 'Ignored')).toBe('skipped');
    expect(nunit3Status('Skipped', 'Explicit')).toBe('skipped');
    expect(nunit3Status('Inconclusive', '')).toBe('skipped');
    expect(nunit3Status('Warning', '')).toBe('passed');
    expect(nunit3Status('Success', '')).toBeUndefined();
  });

  it('detects <test-run> only', () => {
    expect(nunit3Parser.detect('<?xml version="1.0"?>\n<!-- x -->\n<test-run id="0">')).toBe(true);
    expect(nunit3Parser.detect('<test-results name="a">')).toBe(false);
    expect(nunit3Parser.detect('<testsuites>')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';

import { parseTimeSpan } from '../../src/reports/dotnet-names.js';
import { parseTrx, TRX_OUTCOMES, trxParser } from '../../src/reports/trx.js';
import { ReportError } from '../../src/reports/types.js';
import { byId, countByStatus, fixture } from './helpers.js';

const MSTEST = 'trx/vstest-mstest.trx';

describe('VSTest TRX (dotnet test --logger trx with MSTest, written from vstst.xsd)', () => {
  it('one test per result, data-driven rows instead of their parent', async () => {
    const report = await parseTrx(fixture(MSTEST));
    expect(report.format).toBe('trx');
    // ResultSummary counters: total 12 = passed 5, failed 2, error 1, timeout 1, aborted 1,
    // inconclusive 1, notExecuted 1. The data-driven parent "Adds" is not one of them.
    expect(report.tests).toHaveLength(12);
    expect(countByStatus(report.tests)).toEqual({ passed: 5, failed: 2, error: 3, skipped: 2 });
    expect(report.tests.map((t) => t.name)).not.toContain('Adds');
    expect(report.figures.toArray()).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('joins results to definitions by testId for the class name', async () => {
    const { tests } = await parseTrx(fixture(MSTEST));
    expect(byId(tests, '.CheckoutCompletesWithinBudget')).toEqual({
      id: 'Reliability.Checkout.CheckoutTests.CheckoutCompletesWithinBudget',
      name: 'CheckoutCompletesWithinBudget',
      classname: 'Reliability.Checkout.CheckoutTests',
      status: 'passed',
      durationSeconds: 0.825123,
      message: undefined,
    });
    expect(tests.every((t) => t.classname === 'Reliability.Checkout.CheckoutTests')).toBe(true);
  });

  it('outcomes, ErrorInfo messages and hh:mm:ss.fffffff durations', async () => {
    const { tests } = await parseTrx(fixture(MSTEST));
    const row = (suffix: string): unknown[] => {
      const test = byId(tests, suffix);
      return [test.status, test.durationSeconds, test.message];
    };
    expect(row('.CheckoutReturnsReceipt')).toEqual([
      'failed',
      0.0212,
      'Assert.AreEqual failed. Expected:<200>. Actual:<503>. checkout returned HTTP 503 (collector down)',
    ]);
    // VSTest leaves the outcome out when it is Error, the schema's default.
    expect(row('.PaymentGatewayReachable')).toEqual([
      'error',
      0.012,
      'Test method Reliability.Checkout.CheckoutTests.PaymentGatewayReachable threw exception:',
    ]);
    // No duration: end minus start, here zero.
    expect(row('.RefundsReachStaging')).toEqual(['skipped', 0, 'needs a staging gateway']);
    expect(row('.CurrencyRatesFresh')).toEqual([
      'skipped',
      0.003,
      'Assert.Inconclusive failed. rates feed returned no data today',
    ]);
    expect(row('.LongSettlement')).toEqual([
      'error',
      2,
      "Test 'LongSettlement' exceeded execution timeout period.",
    ]);
    expect(row('.SettlementAborted')).toEqual(['error', 0.1, undefined]);
  });

  it('data rows keep their own names, outcomes, durations and messages', async () => {
    const { tests } = await parseTrx(fixture(MSTEST));
    expect(
      tests
        .filter((t) => t.name.startsWith('Adds'))
        .map((t) => [t.id, t.status, t.durationSeconds, t.message]),
    ).toEqual([
      ['Reliability.Checkout.CheckoutTests.Adds (1,2,3)', 'passed', 0.001, undefined],
      ['Reliability.Checkout.CheckoutTests.Adds (-4,-6,-10)', 'passed', 0.0005, undefined],
      [
        'Reliability.Checkout.CheckoutTests.Adds (2,2,5)',
        'failed',
        0.008,
        'Assert.AreEqual failed. Expected:<5>. Actual:<4>.',
      ],
    ]);
    expect(tests.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'Names naïve café ✓ – 日本語',
        'RoundTrips ("say \\"hi\\" & <bye>")',
      ]),
    );
  });
});

describe('TRX outcomes', () => {
  it('maps every TestOutcome of vstst.xsd; unknown ones warn; a missing one is Error', async () => {
    const report = await parseTrx(fixture('trx/edge/outcomes.trx'));
    expect(Object.fromEntries(report.tests.map((t) => [t.name, t.status]))).toEqual({
      PassedTest: 'passed',
      FailedTest: 'failed',
      ErrorTest: 'error',
      TimeoutTest: 'error',
      AbortedTest: 'error',
      InconclusiveTest: 'skipped',
      PassedButRunAbortedTest: 'passed',
      NotRunnableTest: 'error',
      NotExecutedTest: 'skipped',
      DisconnectedTest: 'error',
      WarningTest: 'passed',
      CompletedTest: 'passed',
      InProgressTest: 'error',
      PendingTest: 'skipped',
      ExplodedTest: 'skipped',
      OmittedErrorTest: 'error',
    });
    expect(Object.keys(TRX_OUTCOMES)).toHaveLength(14);
    expect(report.tests.every((t) => t.classname === 'Ns.Outcomes')).toBe(true);
    expect(byId(report.tests, 'OmittedErrorTest').message).toBe('Test host crashed');
    expect(report.warnings).toEqual(['test "ExplodedTest": outcome "Exploded" counted as skipped']);
  });
});

describe('TRX edge cases', () => {
  it('an empty run has no tests; an empty file is an error', async () => {
    expect((await parseTrx(fixture('trx/edge/empty-run.trx'))).tests.toArray()).toEqual([]);
    await expect(parseTrx(fixture('trx/edge/empty.trx'))).rejects.toThrow(ReportError);
  });

  it('a truncated file names the file and the line', async () => {
    await expect(parseTrx(fixture('trx/edge/truncated.trx'))).rejects.toThrow(
      /truncated\.trx: invalid TRX at line 6, column \d+: unclosed tag: Message/,
    );
  });

  it('a huge message is cut to its first line; a stack trace stands in for no message', async () => {
    const { tests } = await parseTrx(fixture('trx/edge/huge-message.trx'));
    expect(tests.at(0)?.message).toHaveLength(1000);
    expect(tests.at(0)?.message?.startsWith('overflow overflow')).toBe(true);
    expect(tests.at(1)?.message).toBe('at Ns.Big.StackOnly() in Big.cs:line 9');
  });

  it('durations: missing, from start and end, past a day, garbled, one tick', async () => {
    const { tests } = await parseTrx(fixture('trx/edge/missing-times.trx'));
    expect(tests.map((t) => [t.name, t.durationSeconds])).toEqual([
      ['NoTimes', undefined],
      ['FromStartEnd', 0.75],
      ['PastADay', 93784.5],
      ['Garbled', undefined],
      ['naïve café ✓ – 日本語 "quoted" <tag> & amp', 1e-7],
    ]);
  });

  it('data-driven: inner rows and sibling rows count, a parent without rows counts itself', async () => {
    const { tests } = await parseTrx(fixture('trx/edge/data-driven.trx'));
    expect(tests.map((t) => [t.id, t.status, t.message])).toEqual([
      ['Ns.Store.Saves (1.5,"a.b")', 'passed', undefined],
      ['Ns.Store.Saves (2.5,"c.d")', 'failed', 'row 2 lost a write'],
      ['Ns.Store.Loads (Data Row 0)', 'passed', undefined],
      ['Ns.Store.Loads (Data Row 1)', 'passed', undefined],
      ['Ns.Store.ReadsCsv', 'error', 'The data source file rows.csv could not be found'],
    ]);
  });

  it('definitions first; assembly-qualified, generic and missing classes', async () => {
    const { tests } = await parseTrx(fixture('trx/edge/definitions-first.trx'));
    expect(tests.map((t) => [t.classname, t.name])).toEqual([
      ['Legacy.Tests.OldTests', 'OldStyle'],
      ['Ns.Box`1[[System.Int32, System.Private.CoreLib, Version=8.0.0.0]]', 'Generic'],
      // xUnit.net through VSTest writes fully qualified test names.
      ['Ns.Xunit.Tests', 'Adds(a: 1, b: 2)'],
      // No definition: the name up to its last dot before the arguments.
      ['Orphan.Space', 'Lonely("x.y")'],
    ]);
  });

  it('a namespace prefix and a UTF-8 BOM', async () => {
    const { tests } = await parseTrx(fixture('trx/edge/prefixed-bom.trx'));
    expect(tests.toArray()).toEqual([
      {
        id: 'Ns.Prefixed.Prefixed',
        name: 'Prefixed',
        classname: 'Ns.Prefixed',
        status: 'failed',
        durationSeconds: 0.5,
        message: 'prefixed message',
      },
    ]);
  });

  it('refuses entity declarations; detects <TestRun> with or without a prefix', async () => {
    await expect(parseTrx(fixture('trx/edge/entity.trx'))).rejects.toThrow(
      /DOCTYPE\/entity declarations are not allowed/,
    );
    expect(trxParser.detect('<?xml version="1.0"?><TestRun id="1" xmlns="x">')).toBe(true);
    expect(trxParser.detect('<t:TestRun xmlns:t="x">')).toBe(true);
    expect(trxParser.detect('<test-run id="0">')).toBe(false);
  });
});

describe('parseTimeSpan', () => {
  it('reads .NET TimeSpan text', () => {
    expect(parseTimeSpan('00:00:00.0012345')).toBe(0.0012345);
    expect(parseTimeSpan('01:02:03')).toBe(3723);
    expect(parseTimeSpan('2.00:00:01.5')).toBe(172801.5);
    expect(parseTimeSpan('00:61:00')).toBeUndefined();
    expect(parseTimeSpan('-00:00:01')).toBeUndefined();
    expect(parseTimeSpan('1.5')).toBeUndefined();
    expect(parseTimeSpan(undefined)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseBudgets } from '../../src/compare/budgets.js';
import { breaches, checkBudgets } from '../../src/compare/check-budgets.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { parseAmount } from '../../src/compare/units.js';
import type { SeriesSample } from '../../src/compare/types.js';

const ISSUE_EXAMPLE = `budgets:
  - metric: latency_seconds          # the metric name without the prefix
    labels: { operation: observe_decorator, stat: p95 }
    max: 2ms                         # units: ns us µs ms s, B KiB MiB GiB, %, or plain numbers
    on-breach: fail                  # fail (default) or warn
  - metric: throughput_ops_per_second
    labels: { operation: observe_decorator }
    min: 8000
  - metric: process_peak_rss_bytes
    max: 512MiB
  - metric: latency_seconds
    labels: { stat: p95 }            # every matching series
    max-increase: 10%                # relative to the baseline median; needs prometheus-url
    on-breach: warn
`;

const parse = (text: string) => parseBudgets(text, 'perf/budgets.yml', 'reliability_');
const errorOf = (text: string): string => {
  try {
    parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('units', () => {
  it('converts to base units', () => {
    expect(parseAmount('2ms')?.value).toBeCloseTo(0.002, 12);
    expect(parseAmount('250 µs')?.value).toBeCloseTo(0.00025, 12);
    expect(parseAmount('250us')?.value).toBeCloseTo(0.00025, 12);
    expect(parseAmount('3ns')?.value).toBeCloseTo(3e-9, 15);
    expect(parseAmount('512MiB')?.value).toBe(512 * 1024 * 1024);
    expect(parseAmount('1.5 GiB')?.value).toBe(1.5 * 1024 ** 3);
    expect(parseAmount('10%')).toMatchObject({ value: 10, kind: 'percent' });
    expect(parseAmount(8000)).toMatchObject({ value: 8000, kind: 'plain' });
    expect(parseAmount('1e3')?.value).toBe(1000);
    expect(parseAmount('2 parsecs')).toBeUndefined();
    expect(parseAmount('fast')).toBeUndefined();
    expect(parseAmount(null)).toBeUndefined();
  });
});

describe('parseBudgets', () => {
  it('reads the example of the issue', () => {
    const budgets = parse(ISSUE_EXAMPLE);
    expect(budgets).toHaveLength(4);
    expect(budgets[0]).toMatchObject({
      index: 1,
      metric: 'latency_seconds',
      labels: { operation: 'observe_decorator', stat: 'p95' },
      onBreach: 'fail',
    });
    expect(budgets[0]?.max?.value).toBeCloseTo(0.002, 12);
    expect(budgets[1]?.min?.value).toBe(8000);
    expect(budgets[1]?.onBreach).toBe('fail');
    expect(budgets[2]?.max?.value).toBe(512 * 1024 * 1024);
    expect(budgets[3]?.maxIncrease?.value).toBeCloseTo(0.1, 12);
    expect(budgets[3]?.onBreach).toBe('warn');
  });

  it('strips the prefix from a metric written with it', () => {
    expect(
      parse('budgets:\n  - metric: reliability_run_duration_seconds\n    max: 5s\n')[0]?.metric,
    ).toBe('run_duration_seconds');
  });

  it.each([
    ['budgets: [', /Budgets file perf\/budgets.yml is not valid YAML/],
    ['rules: []', /Budgets file perf\/budgets.yml: expected a top-level 'budgets:' list/],
    ['budgets:\n  - max: 1\n', /rule 1: 'metric' is required/],
    [
      'budgets:\n  - metric: latency_seconds\n    max: 2 parsecs\n',
      /rule 1 \(latency_seconds\): 'max: 2 parsecs' is not a number with a unit/,
    ],
    [
      'budgets:\n  - metric: latency_seconds\n    max: 2MiB\n',
      /'max: 2MiB' has a size unit, but latency_seconds is measured in time/,
    ],
    [
      'budgets:\n  - metric: latency_seconds\n    labels: { stat: p95 }\n',
      /set at least one of max, min, max-increase/,
    ],
    [
      'budgets:\n  - metric: latency_seconds\n    max: 1s\n    on-breach: explode\n',
      /'on-breach: explode' is not valid: use fail or warn/,
    ],
    [
      'budgets:\n  - metric: latency_seconds\n    max: 1s\n    maximum: 2s\n',
      /unknown key 'maximum'/,
    ],
    [
      'budgets:\n  - metric: latency_seconds\n    max-increase: 0.1\n',
      /'max-increase: 0.1' must be a percentage, like 10%/,
    ],
    [
      'budgets:\n  - metric: latency_seconds\n    min: 2s\n    max: 1s\n',
      /min \(2s\) is above max \(1s\)/,
    ],
    [
      'budgets:\n  - metric: x\n    max: 1\n  - metric: y\n    labels: [a]\n    max: 1\n',
      /rule 2 \(y\): 'labels' must be a mapping/,
    ],
    [
      'budgets:\n  - metric: latency_seconds\n    max: 1s\n    max: 2s\n',
      /not valid YAML.*[Mm]ap keys must be unique/s,
    ],
  ])('rejects %j naming the file, the rule and the problem', (text, message) => {
    expect(errorOf(text)).toMatch(message);
  });
});

const sample = (metric: string, labels: Record<string, string>, value: number): SeriesSample => ({
  metric,
  labels,
  value,
});

describe('checkBudgets', () => {
  const run = [
    sample('latency_seconds', { test: 'a', operation: 'observe_decorator', stat: 'p95' }, 0.0026),
    sample('latency_seconds', { test: 'a', operation: 'observe_decorator', stat: 'p50' }, 0.001),
    sample('latency_seconds', { test: 'b', operation: 'flush', stat: 'p95' }, 0.0009),
    sample('throughput_ops_per_second', { test: 'a', operation: 'observe_decorator' }, 9000),
    sample('process_peak_rss_bytes', {}, 600 * 1024 * 1024),
  ];

  it('checks every matching series against max and min, naming the rule that decided', () => {
    const results = checkBudgets(parse(ISSUE_EXAMPLE).slice(0, 3), run);
    expect(results.checks.map((c) => [c.rule, c.breached])).toEqual([
      ['max: 2ms', true],
      ['min: 8000', false],
      ['max: 512MiB', true],
    ]);
    expect(breaches(results).fail).toHaveLength(2);
    expect(results.warnings).toEqual([]);
  });

  it('checks max-increase against the baseline median of each series', () => {
    const baseline = {
      branch: 'main',
      runs: [0.002, 0.0021, 0.0019].map((v, i) => ({
        endedAt: i,
        samples: [
          sample('latency_seconds', { test: 'a', operation: 'observe_decorator', stat: 'p95' }, v),
          sample('latency_seconds', { test: 'b', operation: 'flush', stat: 'p95' }, 0.0009),
        ],
      })),
    };
    const comparison = compareRuns(run, baseline);
    const results = checkBudgets(parse(ISSUE_EXAMPLE).slice(3), run, comparison);
    expect(results.checks.map((c) => [c.labels.operation, c.breached, c.median])).toEqual([
      ['observe_decorator', true, 0.002],
      ['flush', false, 0.0009],
    ]);
    expect(breaches(results).warn).toHaveLength(1);
  });

  it('warns, naming the rule, when a budget matches nothing in the run or cannot be judged', () => {
    const budgets = parse(
      'budgets:\n  - metric: no_such_metric\n    max: 1\n  - metric: latency_seconds\n    labels: { stat: p95 }\n    max-increase: 10%\n',
    );
    const results = checkBudgets(budgets, run);
    expect(results.checks).toEqual([]);
    expect(results.warnings).toEqual([
      'Budget rule 1: no series no_such_metric in this run: check the metric name (without the prefix) and labels.',
      'Budget rule 2 (latency_seconds{stat="p95"}, max-increase: 10%) not checked: no baseline was read',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  countVerdicts,
  DEFAULT_COMPARE_SETTINGS,
} from '../../src/compare/compare-runs.js';
import type { BaselineHistory, SeriesSample } from '../../src/compare/types.js';

const p95 = (value: number): SeriesSample => ({
  metric: 'latency_seconds',
  labels: { test: 't', operation: 'observe', stat: 'p95' },
  value,
});
const ops = (value: number): SeriesSample => ({
  metric: 'throughput_ops_per_second',
  labels: { test: 't', operation: 'observe' },
  value,
});
const status = (test: string, value: string): SeriesSample => ({
  metric: 'test_case_status',
  labels: { test, classname: 'c', status: value },
  value: 1,
});

function history(runs: readonly (readonly SeriesSample[])[], branch = 'main'): BaselineHistory {
  return { branch, runs: runs.map((samples, i) => ({ endedAt: 1000 - i, samples })) };
}

const BASE = [2.0, 2.06, 1.97, 2.03, 1.99, 2.05, 2.01].map((ms) => [p95(ms / 1000), ops(9000)]);

describe('compareRuns', () => {
  it('calls a rise beyond noise, threshold and floor in the bad direction a regression', () => {
    const result = compareRuns([p95(0.0026)], history(BASE));
    expect(result.status).toBe('compared');
    expect(result.runs).toBe(7);
    const [q] = result.quantities;
    expect(q?.verdict).toBe('regression');
    expect(q?.median).toBeCloseTo(0.00201, 8);
    expect(q?.changePercent).toBeCloseTo(29.35, 1);
    expect(q?.bar?.rule).toBe('threshold');
  });

  it('leaves a change within the threshold unchanged, and calls a fall of latency an improvement', () => {
    expect(compareRuns([p95(0.00215)], history(BASE)).quantities[0]?.verdict).toBe('unchanged');
    expect(compareRuns([p95(0.0015)], history(BASE)).quantities[0]?.verdict).toBe('improvement');
  });

  it('knows throughput is better higher', () => {
    expect(compareRuns([ops(7000)], history(BASE)).quantities[0]?.verdict).toBe('regression');
    expect(compareRuns([ops(12000)], history(BASE)).quantities[0]?.verdict).toBe('improvement');
  });

  it('does not call a change within the baseline runs own noise a regression, however large in percent', () => {
    const noisy = [1, 1.6, 0.7, 1.3, 0.9, 1.5, 1.1].map((ms) => [p95(ms / 1000)]);
    const result = compareRuns([p95(0.0016)], history(noisy));
    expect(result.quantities[0]?.changePercent).toBeGreaterThan(40);
    expect(result.quantities[0]?.verdict).toBe('unchanged');
    expect(result.quantities[0]?.bar?.rule).toBe('noise');
  });

  it('needs a change beyond the floor of the unit: a 0.3 s run duration rise is not a regression', () => {
    const runs = [2, 2, 2, 2].map((s) => [
      { metric: 'run_duration_seconds', labels: {}, value: s },
    ]);
    const slower = { metric: 'run_duration_seconds', labels: {}, value: 2.3 };
    const [q] = compareRuns([slower], history(runs)).quantities;
    expect(q?.verdict).toBe('unchanged');
    expect(q?.bar).toEqual({ value: 1, rule: 'floor' });
  });

  it('leaves tests under the duration floor out, now and in the baseline', () => {
    const test = (value: number): SeriesSample => ({
      metric: 'test_case_duration_seconds',
      labels: { test: 'fast', classname: 'c' },
      value,
    });
    const runs = [0.002, 0.002, 0.003].map((v) => [test(v)]);
    expect(compareRuns([test(0.02)], history(runs)).quantities).toEqual([]);
    expect(compareRuns([test(0.5)], history(runs)).quantities[0]?.verdict).toBe('regression');
  });

  it('gives no verdict with fewer runs than the minimum', () => {
    const result = compareRuns([p95(0.01)], history(BASE.slice(0, 2)));
    expect(result.status).toBe('not-enough-history');
    expect(result.reason).toBe(
      'Only 2 run(s) of main found with the same repository, workflow, job and suite; 3 are needed (baseline-min-runs).',
    );
    expect(result.quantities).toEqual([]);
    expect(countVerdicts(result)).toEqual({ regressions: 0, improvements: 0, newFailures: 0 });
  });

  it('marks a quantity the baseline runs lack as new, without a verdict', () => {
    const fresh = {
      metric: 'latency_seconds',
      labels: { operation: 'flush', stat: 'p95' },
      value: 1,
    };
    expect(compareRuns([fresh], history(BASE)).quantities[0]?.verdict).toBe('new');
  });

  it('leaves the spread statistics of a benchmark out of verdicts', () => {
    const stddev = {
      metric: 'latency_seconds',
      labels: { operation: 'o', stat: 'stddev' },
      value: 1,
    };
    expect(compareRuns([stddev], history(BASE)).quantities).toEqual([]);
  });

  it('calls a neutral metric.* figure changed, never a regression', () => {
    const depth = (value: number): SeriesSample => ({
      metric: 'queue_depth',
      labels: { test: 't' },
      value,
    });
    const runs = [7, 7, 8, 7].map((v) => [depth(v)]);
    expect(compareRuns([depth(20)], history(runs)).quantities[0]?.verdict).toBe('changed');
  });

  it('sorts regressions first, then improvements, the unchanged last', () => {
    const result = compareRuns([ops(9000), p95(0.0015)], history(BASE));
    expect(result.quantities.map((q) => q.verdict)).toEqual(['improvement', 'unchanged']);
    const both = compareRuns([ops(12000), p95(0.004)], history(BASE));
    expect(both.quantities.map((q) => q.verdict)).toEqual(['regression', 'improvement']);
  });

  it('tells new failures from known ones', () => {
    const runs = [0, 1, 2].map((i) => [
      status('always_broken', 'failed'),
      status('was_fine', 'passed'),
      status('flapped', i === 1 ? 'error' : 'passed'),
    ]);
    const now = [
      status('always_broken', 'failed'),
      status('was_fine', 'failed'),
      status('flapped', 'failed'),
      status('brand_new', 'error'),
    ];
    const result = compareRuns(now, history(runs));
    expect(result.newFailures.map((t) => t.test)).toEqual(['brand_new', 'was_fine']);
    expect(result.knownFailures).toEqual([
      { test: 'always_broken', status: 'failed', failedInBaseline: 3 },
      { test: 'flapped', status: 'failed', failedInBaseline: 1 },
    ]);
  });

  it('uses only the newest baseline-runs runs', () => {
    const runs = [...BASE, ...Array.from({ length: 10 }, () => [p95(0.009)])];
    const result = compareRuns([p95(0.0026)], history(runs), {
      ...DEFAULT_COMPARE_SETTINGS,
      baselineRuns: 7,
    });
    expect(result.runs).toBe(7);
    expect(result.quantities[0]?.verdict).toBe('regression');
  });
});

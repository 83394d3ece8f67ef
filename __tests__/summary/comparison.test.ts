/**
 * The comparison section and the pull-request comment, rendered from fixed inputs and compared
 * with the checked-in Markdown in golden/ (UPDATE_GOLDEN=1 rewrites them after a deliberate change).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBudgets } from '../../src/compare/budgets.js';
import { checkBudgets } from '../../src/compare/check-budgets.js';
import {
  compareRuns,
  unavailableComparison,
  DEFAULT_COMPARE_SETTINGS,
} from '../../src/compare/compare-runs.js';
import type { BaselineHistory, SeriesSample } from '../../src/compare/types.js';
import { commentMarker, renderComment, renderComparison } from '../../src/summary/comparison.js';
import { ROOT } from '../helpers/run-action.js';

const GOLDEN = join(ROOT, '__tests__', 'summary', 'golden');

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const s = (metric: string, labels: Record<string, string>, value: number): SeriesSample => ({
  metric,
  labels,
  value,
});
const TEST = 'tests.test_tracer.TestLatency.test_observe_adds_minimal_overhead';

function run(scale: {
  p95: number;
  ops: number;
  rss: number;
  dur: number;
  slow: number;
}): SeriesSample[] {
  return [
    s('latency_seconds', { test: TEST, operation: 'observe_decorator', stat: 'p95' }, scale.p95),
    s('latency_seconds', { test: TEST, operation: 'observe_decorator', stat: 'p50' }, 0.0011),
    s('throughput_ops_per_second', { test: TEST, operation: 'observe_decorator' }, scale.ops),
    s('process_peak_rss_bytes', {}, scale.rss),
    s('run_duration_seconds', {}, scale.dur),
    s('process_cpu_seconds', {}, 3.1),
    s(
      'test_case_duration_seconds',
      {
        test: 'tests.test_export.test_batch_export',
        classname: 'tests.test_export',
        file: 'tests/test_export.py',
      },
      scale.slow,
    ),
    s(
      'test_case_status',
      {
        test: 'tests.test_export.test_batch_export',
        classname: 'tests.test_export',
        status: 'passed',
      },
      1,
    ),
    s(
      'test_case_status',
      {
        test: 'tests.test_tracer.test_known_flaky_network',
        classname: 'tests.test_tracer',
        status: 'failed',
      },
      1,
    ),
  ];
}

const BASE: BaselineHistory = {
  branch: 'main',
  runs: [
    [0.00201, 9020, 120, 41.2, 1.21],
    [0.00199, 8990, 121, 40.1, 1.19],
    [0.00206, 9100, 119, 42.8, 1.25],
    [0.00197, 8950, 120, 39.9, 1.2],
    [0.00203, 9050, 122, 41.0, 1.22],
  ].map(([p95, ops, rss, dur, slow], i) => ({
    endedAt: 1_760_000_000 - i * 3600,
    samples: run({
      p95: p95 as number,
      ops: ops as number,
      rss: (rss as number) * 1048576,
      dur: dur as number,
      slow: slow as number,
    }),
  })),
};

const NOW = [
  ...run({ p95: 0.0026, ops: 9030, rss: 120.5 * 1048576, dur: 41.5, slow: 0.61 }),
  s(
    'test_case_status',
    {
      test: 'tests.test_tracer.test_span_ids_unique',
      classname: 'tests.test_tracer',
      status: 'failed',
    },
    1,
  ),
  s(
    'latency_seconds',
    { test: 'tests.test_tracer.test_flush', operation: 'flush', stat: 'p95' },
    0.0004,
  ),
];

const BUDGETS = parseBudgets(
  `budgets:
  - metric: latency_seconds
    labels: { operation: observe_decorator, stat: p95 }
    max: 2.5ms
  - metric: throughput_ops_per_second
    labels: { operation: observe_decorator }
    min: 8000
  - metric: latency_seconds
    labels: { stat: p95 }
    max-increase: 10%
    on-breach: warn
  - metric: spans_dropped
    max: 0
`,
  'budgets.yml',
  'reliability_',
);

describe('comparison section', () => {
  const comparison = compareRuns(NOW, BASE);

  it('shows regressions first, improvements, failures, the unchanged folded, and budgets', () => {
    golden(
      'comparison-compared.md',
      `${renderComparison({ comparison, budgets: checkBudgets(BUDGETS, NOW, comparison) })}\n`,
    );
  });

  it('says there is not enough history, with no verdict', () => {
    const few = compareRuns(NOW, { branch: 'main', runs: BASE.runs.slice(0, 2) });
    golden('comparison-not-enough-history.md', `${renderComparison({ comparison: few })}\n`);
  });

  it('says the history could not be read, and shows the notice about the comment', () => {
    const unavailable = unavailableComparison(
      'main',
      'the history at http://prometheus:9090 could not be read: connection refused: nothing listens at that address.',
      DEFAULT_COMPARE_SETTINGS,
    );
    golden(
      'comparison-unavailable.md',
      `${renderComparison({ comparison: unavailable, notice: 'The comparison could not be posted to the pull request (HTTP 403).' })}\n`,
    );
  });

  it('renders budgets alone, without a comparison', () => {
    golden(
      'comparison-budgets-only.md',
      `${renderComparison({ budgets: checkBudgets(BUDGETS.slice(0, 2), NOW) })}\n`,
    );
  });

  it('renders the pull-request comment with its marker', () => {
    const marker = commentMarker('Reliability', 'reliability-tests', 'default');
    expect(marker).toBe(
      '<!-- reliability-metrics-action:comparison:Reliability/reliability-tests/default -->',
    );
    golden(
      'pr-comment.md',
      renderComment(
        { comparison, budgets: checkBudgets(BUDGETS, NOW, comparison) },
        {
          marker,
          workflow: 'Reliability',
          job: 'reliability-tests',
          suite: 'default',
          commit: '0123456789abcdef0123',
          runUrl: 'https://github.com/acme/widgets/actions/runs/42',
        },
      ),
    );
  });

  it('is empty when there is nothing to show', () => {
    expect(renderComparison({})).toBe('');
  });
});

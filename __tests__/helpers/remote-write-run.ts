/** A run's metrics as the action builds them, ready to send by remote write, for the client's tests. */
import type { RunResult, TestCase } from '../../src/model.js';
import { buildMetrics, type MetricsSource } from '../../src/metrics/build-registry.js';
import { runGroupingKey, type GroupingKey } from '../../src/metrics/grouping.js';
import {
  runSeries,
  splitIntoBatches,
  type WriteBatch,
} from '../../src/metrics/remote-write-series.js';
import { sampleRun } from './sample-run.js';

/** The CI context of a test run on `branch`. */
export function ciOn(branch: string): MetricsSource['ci'] {
  return {
    repository: 'acme/widgets',
    branch,
    workflow: 'Reliability',
    workflowJob: 'reliability-tests',
    commit: '0123456789abcdef0123456789abcdef01234567',
    runId: '4242',
    runAttempt: '1',
    runNumber: '17',
    event: 'push',
    ref: `refs/heads/${branch}`,
    pullRequest: '',
    actor: 'octocat',
    runnerOs: 'Linux',
    provider: 'github-actions',
    workspace: '/tmp',
    runnerTemp: '/tmp',
  };
}

/** What a test sends: the grouping key and the batches of one run. */
export interface PreparedRun {
  readonly key: GroupingKey;
  readonly batches: WriteBatch[];
  readonly seriesCount: number;
  readonly endedAt: number;
}

/** Options of {@link prepareRun}. */
export interface PrepareOptions {
  readonly branch: string;
  /** Unix seconds. */
  readonly endedAt: number;
  readonly success?: boolean;
  readonly suite?: string;
  readonly tests?: TestCase[];
  readonly maxTestSeries?: number;
  readonly overrides?: Partial<RunResult>;
}

/** Builds one run's registries exactly as the action does, then its remote-write batches. */
export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  const run = sampleRun({
    exitCode: options.success === false ? 1 : 0,
    ...(options.tests !== undefined ? { tests: options.tests } : {}),
    ...options.overrides,
  });
  const ci = ciOn(options.branch);
  const built = buildMetrics({
    run,
    ci,
    prefix: 'reliability_',
    maxTestSeries: options.maxTestSeries ?? 100,
    endedAt: options.endedAt,
  });
  const key = runGroupingKey(
    { jobName: 'reliability', suite: options.suite ?? 'api', groupingLabels: {} },
    ci,
  );
  const { series, metadata } = await runSeries(built, key, options.endedAt);
  return {
    key,
    batches: splitIntoBatches(series, metadata),
    seriesCount: series.length,
    endedAt: options.endedAt,
  };
}

/** `n` passing tests with distinct names, for large runs. */
export function manyTests(n: number): TestCase[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `tests.test_load.test_case_${i}`,
    name: `test_case_${i}`,
    classname: 'tests.test_load',
    file: 'tests/test_load.py',
    status: 'passed' as const,
    durationSeconds: (i % 100) / 1000,
  }));
}

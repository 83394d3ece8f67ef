/** A realistic RunResult for unit tests of the metrics builder and the summary. */
import type { RunResult, TestCase } from '../../src/model.js';

/** A run with every status, figures and resource samples; override what a test needs. */
export function sampleRun(overrides: Partial<RunResult> = {}): RunResult {
  const tests: TestCase[] = [
    {
      id: 'tests.test_api.TestApi.test_get',
      name: 'test_get',
      classname: 'tests.test_api.TestApi',
      file: 'tests/test_api.py',
      line: 10,
      status: 'passed',
      durationSeconds: 0.12,
    },
    {
      id: 'tests.test_api.TestApi.test_post',
      name: 'test_post',
      classname: 'tests.test_api.TestApi',
      file: 'tests/test_api.py',
      line: 20,
      status: 'failed',
      durationSeconds: 0.03,
      message: 'AssertionError: 500 != 200',
    },
    {
      id: 'tests.test_api.test_slow',
      name: 'test_slow',
      classname: 'tests.test_api',
      file: 'tests/test_api.py',
      status: 'passed',
      durationSeconds: 4.5,
    },
    {
      id: 'tests.test_api.test_skip',
      name: 'test_skip',
      classname: 'tests.test_api',
      status: 'skipped',
      message: 'needs staging',
    },
    {
      id: 'tests.test_api.test_retry',
      name: 'test_retry',
      classname: 'tests.test_api',
      status: 'flaky',
      durationSeconds: 0.2,
      retries: 2,
    },
    {
      id: 'tests.test_api.test_quote["x"]',
      name: 'test_quote["x"]',
      classname: 'tests.test_api',
      status: 'passed',
      durationSeconds: 0.001,
    },
  ];
  return {
    command: 'pytest --junitxml=report.xml',
    exitCode: 1,
    timedOut: false,
    cancelled: false,
    startedAt: 1_760_000_000,
    durationSeconds: 6.25,
    resources: {
      samples: Array.from({ length: 100 }, (_, i) => ({
        t: i * 0.1,
        cpuPercent: 50 + (i % 10),
        rssBytes: (40 + i) * 1048576,
        processes: 2,
      })),
      peakRssBytes: 139 * 1048576,
      memoryGrowthBytes: 99 * 1048576,
      meanCpuPercent: 54.5,
      maxCpuPercent: 59,
      cpuSeconds: 3.4,
    },
    tests,
    figures: [
      {
        test: 'tests.test_api.TestApi.test_get',
        kind: 'latency',
        operation: 'observe_decorator',
        stat: 'p50',
        value: 0.0004,
      },
      {
        test: 'tests.test_api.TestApi.test_get',
        kind: 'latency',
        operation: 'observe_decorator',
        stat: 'p95',
        value: 0.0021,
      },
      {
        test: 'tests.test_api.TestApi.test_get',
        kind: 'throughput',
        operation: 'observe_decorator',
        value: 9500,
      },
      { test: 'tests.test_api.test_slow', kind: 'memory_growth', value: 5 * 1048576 },
      { test: 'tests.test_api.test_slow', kind: 'memory', operation: 'peak', value: 64 * 1048576 },
      { test: 'tests.test_api.test_slow', kind: 'spans_generated', value: 1000 },
      { test: 'tests.test_api.test_slow', kind: 'spans_delivered', value: 998 },
      { test: 'tests.test_api.test_slow', kind: 'metric', name: 'queue_depth', value: 7 },
    ],
    reports: [{ path: 'report.xml', format: 'junit', tests: 6, figures: 8, bytes: 4096 }],
    warnings: [],
    ...overrides,
  };
}

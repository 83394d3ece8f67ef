/** A run pushed to a real Pushgateway exactly as the metric contract (docs/architecture.md, "The metric model") says. */
import { groupPath } from '../../src/metrics/grouping.js';

/** Replaces a group on the gateway (the action's PUT), failing on any non-2xx answer. */
export async function pushGroup(
  gatewayUrl: string,
  job: string,
  labels: Readonly<Record<string, string>>,
  text: string,
): Promise<void> {
  const response = await fetch(`${gatewayUrl}${groupPath({ job, labels })}`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; version=0.0.4' },
    body: text,
  });
  if (!response.ok) {
    throw new Error(
      `PUT ${groupPath({ job, labels })}: ${response.status} ${await response.text()}`,
    );
  }
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const body = entries
    .map(
      ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
  return `{${body}}`;
}

/** Options of {@link syntheticRun}. */
export interface SyntheticRunOptions {
  readonly branch: string;
  readonly failing: boolean;
  readonly endedAt: number;
}

const TEST_FILE = 'tests/test_tracer.py';
const CASES: readonly { id: string; classname: string; seconds: number; status: string }[] = [
  {
    id: 'tests.test_tracer.TestLatency.test_observe_adds_minimal_overhead',
    classname: 'tests.test_tracer.TestLatency',
    seconds: 0.021,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.TestLatency.test_flush_latency',
    classname: 'tests.test_tracer.TestLatency',
    seconds: 0.012,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.TestThroughput.test_span_throughput',
    classname: 'tests.test_tracer.TestThroughput',
    seconds: 0.301,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.TestMemory.test_no_leak_across_flushes',
    classname: 'tests.test_tracer.TestMemory',
    seconds: 0.094,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.test_payload_round_trip[quotes-"hi"]',
    classname: 'tests.test_tracer',
    seconds: 0.001,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.test_payload_round_trip[unicode-café-✓]',
    classname: 'tests.test_tracer',
    seconds: 0.001,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.test_payload_round_trip[slashes]',
    classname: 'tests.test_tracer',
    seconds: 0.001,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.test_checkout_flow_e2e',
    classname: 'tests.test_tracer',
    seconds: 0.051,
    status: 'passed',
  },
  {
    id: 'tests.test_tracer.test_export_to_staging',
    classname: 'tests.test_tracer',
    seconds: 0,
    status: 'skipped',
  },
];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * The exposition text of one run of examples/python-suite as docs/architecture.md ("The metric model") specifies it
 * (what dist/index.js pushes), for developing and checking the dashboards without the bundle.
 */
export function syntheticRun(options: SyntheticRunOptions): string {
  const cases = CASES.map((c) =>
    options.failing && c.id.endsWith('e2e') ? { ...c, status: 'failed' } : c,
  );
  const lines: string[] = [];
  const gauge = (name: string, samples: [Record<string, string>, number][]): void => {
    lines.push(`# TYPE ${name} gauge`);
    for (const [labels, value] of samples) lines.push(`${name}${labelText(labels)} ${value}`);
  };
  gauge('reliability_run_info', [
    [
      {
        commit: '0123456789abcdef0123456789abcdef01234567',
        run_id: '4242',
        run_attempt: '1',
        run_number: '17',
        event: 'push',
        ref: `refs/heads/${options.branch}`,
        actor: 'octocat',
        runner_os: 'Linux',
        action_version: '1.0.0',
      },
      1,
    ],
  ]);
  gauge('reliability_run_timestamp_seconds', [[{}, options.endedAt]]);
  gauge('reliability_run_duration_seconds', [[{}, 1.84]]);
  gauge('reliability_run_exit_code', [[{}, options.failing ? 1 : 0]]);
  gauge('reliability_run_success', [[{}, options.failing ? 0 : 1]]);
  gauge('reliability_run_timed_out', [[{}, 0]]);
  const statuses = ['passed', 'failed', 'error', 'skipped', 'xfailed', 'xpassed', 'flaky'];
  gauge(
    'reliability_tests',
    statuses.map((status) => [{ status }, cases.filter((c) => c.status === status).length]),
  );
  lines.push('# TYPE reliability_test_duration_seconds histogram');
  const timed = cases.filter((c) => c.status !== 'skipped');
  for (const le of BUCKETS) {
    lines.push(
      `reliability_test_duration_seconds_bucket{le="${le}"} ${timed.filter((c) => c.seconds <= le).length}`,
    );
  }
  lines.push(`reliability_test_duration_seconds_bucket{le="+Inf"} ${timed.length}`);
  lines.push(`reliability_test_duration_seconds_sum ${timed.reduce((s, c) => s + c.seconds, 0)}`);
  lines.push(`reliability_test_duration_seconds_count ${timed.length}`);
  gauge(
    'reliability_test_case_duration_seconds',
    cases.map((c) => [{ test: c.id, classname: c.classname, file: TEST_FILE }, c.seconds]),
  );
  gauge(
    'reliability_test_case_status',
    cases.map((c) => [
      { test: c.id, classname: c.classname, file: TEST_FILE, status: c.status },
      1,
    ]),
  );
  gauge('reliability_process_peak_rss_bytes', [[{}, 48_300_032]]);
  gauge('reliability_process_memory_growth_bytes', [[{}, 9_437_184]]);
  gauge('reliability_process_cpu_percent', [
    [{ stat: 'mean' }, 87.5],
    [{ stat: 'max' }, 101.2],
  ]);
  gauge('reliability_process_cpu_seconds', [[{}, 1.61]]);
  const latency = (
    test: string,
    operation: string,
    p50: number,
  ): [Record<string, string>, number][] =>
    (
      [
        ['p50', p50],
        ['p95', p50 * 1.6],
        ['p99', p50 * 2.4],
        ['mean', p50 * 1.1],
        ['max', p50 * 5],
      ] as const
    ).map(([stat, value]) => [{ test, operation, stat }, value]);
  gauge('reliability_latency_seconds', [
    ...latency(
      'tests.test_tracer.TestLatency.test_observe_adds_minimal_overhead',
      'observe_decorator',
      0.00002,
    ),
    ...latency('tests.test_tracer.TestLatency.test_flush_latency', 'flush', 0.000004),
  ]);
  gauge('reliability_throughput_ops_per_second', [
    [
      {
        test: 'tests.test_tracer.TestThroughput.test_span_throughput',
        operation: 'observe_decorator',
      },
      61234,
    ],
  ]);
  const memoryTest = 'tests.test_tracer.TestMemory.test_no_leak_across_flushes';
  gauge('reliability_test_memory_growth_bytes', [[{ test: memoryTest }, 2048]]);
  gauge('reliability_test_memory_bytes', [
    [{ test: memoryTest, measurement: 'baseline' }, 1200],
    [{ test: memoryTest, measurement: 'final' }, 3248],
    [{ test: memoryTest, measurement: 'peak' }, 901_234],
  ]);
  const spansTest = 'tests.test_tracer.TestThroughput.test_span_throughput';
  gauge('reliability_spans_generated', [[{ test: spansTest }, 18_000]]);
  gauge('reliability_spans_delivered', [[{ test: spansTest }, 18_000]]);
  gauge('reliability_payload_bytes', [
    [{ test: 'tests.test_tracer.test_payload_round_trip[slashes]' }, 17],
  ]);
  return `${lines.join('\n')}\n`;
}

/** The grouping labels the action uses for a run on `branch` (defaults of action.yml). */
export function groupingLabels(branch: string): Record<string, string> {
  return {
    repository: 'acme/widgets',
    branch,
    workflow: 'Reliability',
    workflow_job: 'reliability-tests',
    suite: 'default',
  };
}

/** Pushes a synthetic run like the action: its group, plus the last_success group when it passed. */
export async function pushSyntheticRun(
  gatewayUrl: string,
  options: SyntheticRunOptions,
  overrides: Readonly<Record<string, string>> = {},
): Promise<void> {
  const labels = { ...groupingLabels(options.branch), ...overrides };
  await pushGroup(gatewayUrl, 'reliability_tests', labels, syntheticRun(options));
  if (!options.failing) {
    await pushGroup(
      gatewayUrl,
      'reliability_tests',
      { ...labels, record: 'last_success' },
      `# TYPE reliability_last_success_timestamp_seconds gauge\nreliability_last_success_timestamp_seconds ${options.endedAt}\n`,
    );
  }
}

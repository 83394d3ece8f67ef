/**
 * Helpers of the stack tests: the repository's stack files, the Grafana dashboard models, their
 * template variables resolved against a real Prometheus, and a run pushed to a real Pushgateway
 * exactly as the metric contract (DESIGN.md section 3) describes it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-action.js';

export { ROOT };

/** The uid of the provisioned datasource every panel and target must use. */
export const DATASOURCE_UID = 'reliability-prometheus';

/** Panel types the dashboards may use (the Angular `graph`/`singlestat` are gone in Grafana 11). */
export const PANEL_TYPES: ReadonlySet<string> = new Set([
  'timeseries',
  'stat',
  'heatmap',
  'table',
  'bargauge',
  'text',
  'row',
]);

/** A datasource reference. */
export interface DataSourceRef {
  readonly type?: string;
  readonly uid?: string;
}

/** A Prometheus query of a panel. */
export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource?: DataSourceRef;
  readonly instant?: boolean;
  readonly range?: boolean;
  readonly format?: string;
  readonly legendFormat?: string;
  readonly hide?: boolean;
}

/** A dashboard panel (rows carry their panels only when collapsed). */
export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: DataSourceRef;
  readonly gridPos?: { h: number; w: number; x: number; y: number };
  readonly targets?: readonly Target[];
  readonly fieldConfig?: {
    defaults?: {
      unit?: string;
      thresholds?: { mode: string; steps: { color: string; value: number | null }[] };
    };
  };
  readonly options?: { yAxis?: { unit?: string } };
  readonly panels?: readonly Panel[];
}

/** A template variable. */
export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { query: string; qryType?: number };
  readonly definition?: string;
  readonly datasource?: DataSourceRef;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
}

/** A raw dashboard model, as the file provider loads it. */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly templating: { list: readonly Variable[] };
  readonly [key: string]: unknown;
}

/** A dashboard file of grafana/dashboards. */
export interface DashboardFile {
  readonly file: string;
  readonly dashboard: Dashboard;
}

export const DASHBOARD_DIR = join(ROOT, 'grafana', 'dashboards');

/** Reads a repository file. */
export function readRepoFile(...path: string[]): string {
  return readFileSync(join(ROOT, ...path), 'utf8');
}

/** Parses a YAML file of the repository into the shape the caller names (unchecked). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed cast of parsed YAML
export function readYaml<T>(...path: string[]): T {
  return parse(readRepoFile(...path)) as T;
}

/** Every dashboard JSON of grafana/dashboards, parsed. */
export function loadDashboards(): DashboardFile[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard,
    }));
}

/** Every panel of a dashboard, the panels of collapsed rows included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Variable names a query uses: `$name`, `${name}` and `${name:format}`, Grafana's `$__` aside. */
export function usedVariables(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/\$(?:\{(\w+)(?::[^}]*)?\}|(\w+))/g)) {
    const name = match[1] ?? match[2];
    if (name !== undefined && !name.startsWith('__')) names.add(name);
  }
  return [...names];
}

/** The text of a variable's query (Grafana stores it as a string or as an object). */
export function variableQuery(variable: Variable): string {
  const { query } = variable;
  if (typeof query === 'string') return query;
  return query?.query ?? variable.definition ?? '';
}

/** Escapes a value for a regex matcher, as Grafana does for multi-value variables. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

/** Escapes a string for a double-quoted PromQL string literal. */
export function escapePromString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * What Grafana's built-in variables become in the live test: sensible values for a dashboard
 * opened over the last hour with a 15 s scrape interval.
 */
export const BUILTINS: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __interval_ms: '15000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

/** Replaces the variables of a query with their interpolated values (already escaped). */
export function interpolate(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(
    /\$(?:\{(\w+)(?::[^}]*)?\}|(\w+))/g,
    (whole, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      const value = BUILTINS[name] ?? values[name];
      return value ?? whole;
    },
  );
}

/** A Prometheus instant or range answer. */
export interface QueryAnswer {
  readonly resultType: string;
  readonly series: { metric: Record<string, string>; values: number[] }[];
}

async function prometheusApi(
  prometheusUrl: string,
  path: string,
  params: Record<string, string>,
): Promise<unknown> {
  const response = await fetch(`${prometheusUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await response.json()) as { status: string; error?: string; data?: unknown };
  if (body.status !== 'success') {
    throw new Error(`${path} ${JSON.stringify(params)}: ${body.error ?? String(response.status)}`);
  }
  return body.data;
}

/** The values of `label` among the series of `selector` over the last hour (what label_values asks). */
export async function labelValues(
  prometheusUrl: string,
  label: string,
  selector: string,
): Promise<string[]> {
  const params = new URLSearchParams({
    'match[]': selector,
    start: String(Date.now() / 1000 - 3600),
    end: String(Date.now() / 1000),
  });
  const response = await fetch(
    `${prometheusUrl}/api/v1/label/${label}/values?${params.toString()}`,
  );
  const body = (await response.json()) as { status: string; error?: string; data?: string[] };
  if (body.status !== 'success' || body.data === undefined) {
    throw new Error(
      `label_values(${selector}, ${label}): ${body.error ?? String(response.status)}`,
    );
  }
  return body.data;
}

/** Runs a query as Grafana would: instant for `instant` targets, a range over the last minutes otherwise. */
export async function runTarget(
  prometheusUrl: string,
  expr: string,
  instant: boolean,
): Promise<QueryAnswer> {
  const now = Date.now() / 1000;
  if (instant) {
    const data = (await prometheusApi(prometheusUrl, '/api/v1/query', {
      query: expr,
      time: String(now),
    })) as { resultType: string; result: unknown };
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return { resultType: 'scalar', series: [{ metric: {}, values: [Number(value)] }] };
    }
    const result = data.result as { metric: Record<string, string>; value: [number, string] }[];
    return {
      resultType: data.resultType,
      series: result.map((s) => ({ metric: s.metric, values: [Number(s.value[1])] })),
    };
  }
  const data = (await prometheusApi(prometheusUrl, '/api/v1/query_range', {
    query: expr,
    start: String(now - 120),
    end: String(now),
    step: '5',
  })) as {
    resultType: string;
    result: { metric: Record<string, string>; values: [number, string][] }[];
  };
  return {
    resultType: data.resultType,
    series: data.result.map((s) => ({
      metric: s.metric,
      values: s.values.map((v) => Number(v[1])),
    })),
  };
}

/**
 * Resolves the template variables of a dashboard in order, as Grafana would with "All" values
 * selected one by one: a `label_values(selector, label)` variable asks Prometheus for the values
 * of `label` among the series of `selector` (earlier variables substituted) and becomes the
 * regex alternation `(a|b)` of the escaped values; a textbox or constant keeps its text.
 */
export async function resolveVariables(
  dashboard: Dashboard,
  prometheusUrl: string,
): Promise<{ values: Record<string, string>; options: Record<string, string[]> }> {
  const values: Record<string, string> = {};
  const options: Record<string, string[]> = {};
  for (const variable of dashboard.templating.list) {
    const text = variableQuery(variable);
    if (variable.type === 'textbox' || variable.type === 'constant' || variable.type === 'custom') {
      values[variable.name] = text;
      options[variable.name] = [text];
      continue;
    }
    if (variable.type !== 'query')
      throw new Error(`variable ${variable.name}: type ${variable.type}`);
    const match = /^label_values\((.*),\s*(\w+)\s*\)$/s.exec(text.trim());
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new Error(
        `variable ${variable.name}: not a label_values(selector, label) query: ${text}`,
      );
    }
    const selector = interpolate(match[1], values);
    const found = await labelValues(prometheusUrl, match[2], selector);
    if (found.length === 0) {
      throw new Error(`variable ${variable.name}: ${text} (as ${selector}) found no value`);
    }
    options[variable.name] = found;
    const escaped = found.map((v) => escapePromString(escapeRegex(v)));
    values[variable.name] =
      variable.multi === true && escaped.length > 1 ? `(${escaped.join('|')})` : (escaped[0] ?? '');
  }
  return { values, options };
}

/** Encodes a grouping label value the Pushgateway's way (`label@base64/<url-safe base64>`). */
export function groupingPath(job: string, labels: Readonly<Record<string, string>>): string {
  const parts = [`/metrics/job@base64/${base64url(job)}`];
  for (const [name, value] of Object.entries(labels)) {
    parts.push(`${name}@base64/${value === '' ? '=' : base64url(value)}`);
  }
  return parts.join('/');
}

function base64url(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Replaces a group on the gateway (the action's PUT), failing on any non-2xx answer. */
export async function pushGroup(
  gatewayUrl: string,
  job: string,
  labels: Readonly<Record<string, string>>,
  text: string,
): Promise<void> {
  const response = await fetch(`${gatewayUrl}${groupingPath(job, labels)}`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; version=0.0.4' },
    body: text,
  });
  if (!response.ok) {
    throw new Error(
      `PUT ${groupingPath(job, labels)}: ${response.status} ${await response.text()}`,
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
 * The exposition text of one run of examples/python-suite as DESIGN.md section 3 specifies it
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

/** Runs a command, returning its exit status and output (never throws on a non-zero exit). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** One rule of a Prometheus rule file. */
export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** The rules of prometheus/alerts.yml. */
export function alertRules(): Rule[] {
  const file = readYaml<{ groups: { name: string; rules: Rule[] }[] }>('prometheus', 'alerts.yml');
  return file.groups.flatMap((group) => group.rules);
}

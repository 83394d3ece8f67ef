/**
 * prometheus/: the config and rule files pass promtool, the rule unit tests pass, and every alert
 * is complete (severity, summary, description, a runbook_url whose anchor exists in
 * docs/runbooks.md) and written for per-run gauges.
 */
import { describe, expect, it } from 'vitest';
import {
  alertRules,
  loadDashboards,
  allPanels,
  readRepoFile,
  readYaml,
  run,
  type Rule,
} from './stack.js';

const RUNBOOK_BASE =
  'https://github.com/org/reliability-metrics-action/blob/main/docs/runbooks.md#';

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function runbookAnchors(): Set<string> {
  const markdown = readRepoFile('docs', 'runbooks.md');
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => githubSlug(m[1] ?? '')),
  );
}

interface PrometheusConfig {
  global: {
    scrape_interval: string;
    evaluation_interval: string;
    external_labels: Record<string, string>;
  };
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: {
    job_name: string;
    honor_labels?: boolean;
    static_configs: { targets: string[] }[];
  }[];
  [key: string]: unknown;
}

describe('prometheus/prometheus.yml', () => {
  const config = readYaml<PrometheusConfig>('prometheus', 'prometheus.yml');

  it('passes promtool check config, rule files included', () => {
    const result = run('promtool', ['check', 'config', 'prometheus/prometheus.yml']);
    expect(result.output).toContain('is valid prometheus config file syntax');
    expect(result.output).toContain('SUCCESS: 2 rule files found');
    expect(result.status).toBe(0);
  });

  it('loads the rule files by paths relative to itself (same in compose, Kubernetes and here)', () => {
    expect(config.rule_files).toEqual(['thresholds.yml', 'alerts.yml']);
  });

  it('scrapes the Pushgateway with honor_labels, itself and Alertmanager, and sends alerts', () => {
    const jobs = Object.fromEntries(config.scrape_configs.map((s) => [s.job_name, s]));
    expect(jobs.pushgateway?.honor_labels).toBe(true);
    expect(jobs.pushgateway?.static_configs[0]?.targets).toEqual(['pushgateway:9091']);
    expect(jobs.prometheus?.static_configs[0]?.targets).toEqual(['localhost:9090']);
    expect(jobs.alertmanager?.static_configs[0]?.targets).toEqual(['alertmanager:9093']);
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual([
      'alertmanager:9093',
    ]);
    expect(Object.keys(config.global.external_labels).length).toBeGreaterThan(0);
  });

  it('leaves retention to command-line flags; storage only widens the out-of-order window', () => {
    // Remote-written runs carry their own time: a run that ends first but sends last still lands.
    expect(config).toHaveProperty('storage', { tsdb: { out_of_order_time_window: '1h' } });
  });
});

describe('prometheus/alerts.yml and thresholds.yml', () => {
  const rules = alertRules();
  const alerts = rules.filter((r): r is Rule & { alert: string } => r.alert !== undefined);

  it('pass promtool check rules', () => {
    const result = run('promtool', [
      'check',
      'rules',
      'prometheus/thresholds.yml',
      'prometheus/alerts.yml',
    ]);
    expect(result.output).toContain('SUCCESS: 11 rules found');
    expect(result.output).toContain('SUCCESS: 1 rules found');
    expect(result.status).toBe(0);
  });

  // Days of simulated evaluation, each with the E2E alert's subqueries: 30 s alone, minutes on a
  // loaded machine.
  it('pass their promtool unit tests (prometheus/alerts.test.yml)', () => {
    const result = run('promtool', ['test', 'rules', 'prometheus/alerts.test.yml'], {
      timeoutMs: 400_000,
    });
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  }, 420_000);

  it('hold the plan alerts and the pipeline alerts, with their thresholds', () => {
    const byName = (name: string): Rule[] => alerts.filter((a) => a.alert === name);
    const expr = (name: string, severity: string): string =>
      byName(name)
        .find((a) => a.labels?.severity === severity)
        ?.expr.replace(/\s+/g, ' ')
        .trim() ?? '';
    expect(expr('ReliabilityTestFailureRate', 'warning')).toMatch(/> 0\.05$/);
    expect(expr('ReliabilityTestFailureRate', 'critical')).toMatch(/> 0\.25$/);
    expect(expr('LatencyDegradation', 'warning')).toBe(
      'last_over_time(reliability_latency_seconds{operation="observe_decorator", stat="p95", pull_request=""}[7d]) > 0.002',
    );
    expect(expr('MemoryLeakDetected', 'warning')).toBe(
      'last_over_time(reliability_test_memory_growth_bytes{pull_request=""}[7d]) > 50 * 1024 * 1024',
    );
    expect(expr('MemoryLeakDetected', 'critical')).toBe(
      'last_over_time(reliability_test_memory_growth_bytes{pull_request=""}[7d]) > 100 * 1024 * 1024',
    );
    expect(expr('E2ETestsFailing', 'critical')).toContain('test=~"(?i).*e2e.*"');
    expect(expr('ThroughputDegradation', 'warning')).toBe(
      'last_over_time(reliability_throughput_ops_per_second{pull_request=""}[7d]) < 8000',
    );
    expect(expr('ReliabilityNoRecentSuccess', 'warning')).toContain(
      'reliability:no_success_max_age_seconds',
    );
    expect(expr('ReliabilityMetricsStale', 'warning')).toContain('push_time_seconds');
    // Pull requests have groups of their own and never alert on tests, figures or freshness.
    for (const rule of alerts.filter(
      (a) => !['ReliabilityPushFailed', 'ReliabilityStalePullRequestGroups'].includes(a.alert),
    )) {
      expect(rule.expr, rule.alert).toContain('pull_request=""');
    }
    expect(expr('ReliabilityStalePullRequestGroups', 'warning')).toContain('pull_request!=""');
    expect(expr('ReliabilityPushFailed', 'warning')).toContain(
      'push_failure_time_seconds{repository!=""} > push_time_seconds',
    );
  });

  it('give every alert a severity, a summary, a description and a runbook section that exists', () => {
    const anchors = runbookAnchors();
    for (const alert of alerts) {
      expect(['warning', 'critical'], alert.alert).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
      const url = alert.annotations?.runbook_url ?? '';
      expect(url.startsWith(RUNBOOK_BASE), `${alert.alert}: ${url}`).toBe(true);
      const anchor = url.slice(RUNBOOK_BASE.length);
      expect(anchor, alert.alert).toBe(alert.alert.toLowerCase());
      expect(anchors.has(anchor), `docs/runbooks.md has no #${anchor}`).toBe(true);
    }
  });

  it('are tested by alerts.test.yml both firing and silent, for every alert', () => {
    const tests = readYaml<{
      tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
    }>('prometheus', 'alerts.test.yml').tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const name of new Set(alerts.map((a) => a.alert))) {
      const cases = tests.filter((t) => t.alertname === name);
      expect(
        cases.some((t) => (t.exp_alerts ?? []).length > 0),
        `${name} firing`,
      ).toBe(true);
      expect(
        cases.some((t) => (t.exp_alerts ?? []).length === 0),
        `${name} silent`,
      ).toBe(true);
    }
  });
});

describe('per-run gauges', () => {
  it('are never put through rate(), irate(), increase() or delta() by rules or dashboards', () => {
    const exprs = [
      ...alertRules().map((r) => r.expr),
      ...readYaml<{ groups: { rules: Rule[] }[] }>('prometheus', 'thresholds.yml').groups.flatMap(
        (g) => g.rules.map((r) => r.expr),
      ),
      ...loadDashboards().flatMap(({ dashboard }) =>
        allPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
      ),
    ];
    expect(exprs.length).toBeGreaterThan(40);
    for (const expr of exprs) expect(expr).not.toMatch(/\b(rate|irate|increase|delta)\s*\(/);
  });
});

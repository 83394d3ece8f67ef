/**
 * The dashboards and alerts on the other shape of data: a real Prometheus filled only by remote
 * write (one point per run, at its end), from real action runs of examples/python-suite, passing
 * on main and failing on feature/x. Every panel query has data now; every "latest run" panel and
 * the alerts still have it three hours after the last point (a dashboard opened over 7 days).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleInputs, exampleWorkspace } from '../helpers/example-suite.js';
import { startPrometheusReceiver, type Receiver } from '../helpers/remote-write-services.js';
import { DIST, runAction } from '../helpers/run-action.js';
import { waitForQuery } from '../helpers/services.js';
import {
  ROOT,
  alertRules,
  allPanels,
  interpolate,
  loadDashboards,
  resolveVariables,
  runTarget,
} from './stack.js';

/** Panels about the Pushgateway itself: no gateway, no data. */
const GATEWAY_ONLY: ReadonlySet<string> = new Set([
  'reliability-overview.json:Push freshness',
  'reliability-overview.json:Failed pushes',
]);

const LATER = 3 * 3600;

/** Runs every target (instant ones only when `instantOnly`) at `at`; one line per problem. */
async function checkPanels(
  prometheusUrl: string,
  at: number,
  overrides: Record<string, string>,
  instantOnly: boolean,
): Promise<{ problems: string[]; checked: number }> {
  const problems: string[] = [];
  let checked = 0;
  for (const { file, dashboard } of loadDashboards()) {
    const { values } = await resolveVariables(dashboard, prometheusUrl);
    for (const panel of allPanels(dashboard)) {
      if (GATEWAY_ONLY.has(`${file}:${panel.title}`)) continue;
      for (const target of panel.targets ?? []) {
        if (target.hide === true || (instantOnly && target.instant !== true)) continue;
        checked++;
        const expr = interpolate(target.expr, { ...values, ...overrides });
        try {
          const answer = await runTarget(prometheusUrl, expr, target.instant === true, at);
          if (!answer.series.some((s) => s.values.some((v) => Number.isFinite(v)))) {
            problems.push(`${file} "${panel.title}" ${target.refId}: no data for ${expr}`);
          }
        } catch (error) {
          problems.push(`${file} "${panel.title}" ${target.refId}: ${(error as Error).message}`);
        }
      }
    }
  }
  return { problems, checked };
}

const distMissing = !existsSync(DIST);

describe.skipIf(distMissing)(
  'dashboards and alerts on a Prometheus filled only by remote write',
  () => {
    let prometheus: Receiver;

    beforeAll(async () => {
      prometheus = await startPrometheusReceiver({
        ruleFiles: [
          join(ROOT, 'prometheus', 'thresholds.yml'),
          join(ROOT, 'prometheus', 'alerts.yml'),
        ],
      });
      for (const [branch, failing] of [
        ['main', false],
        ['feature/x', true],
      ] as const) {
        const run = await runAction({
          inputs: exampleInputs({ 'remote-write-url': prometheus.writeUrl }),
          workspace: await exampleWorkspace(),
          env: {
            GITHUB_REF_NAME: branch,
            GITHUB_REF: `refs/heads/${branch}`,
            ...(failing ? { EXAMPLE_FAIL: '1' } : {}),
          },
        });
        if (run.outputs.pushed !== 'true') throw new Error(`${branch}: ${run.stdout}${run.stderr}`);
      }
    }, 180_000);

    afterAll(async () => {
      await prometheus.stop();
    });

    it('runs every panel query with data right after the runs', async () => {
      const { problems, checked } = await checkPanels(prometheus.url, Date.now() / 1000, {}, false);
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(30);
    });

    it('keeps every latest-run panel filled three hours after the last point', async () => {
      const at = Date.now() / 1000 + LATER;
      const week = { __range: '7d', __range_s: '604800', __range_ms: '604800000' };
      const { problems, checked } = await checkPanels(prometheus.url, at, week, true);
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(13);
      // A plain selector, as the dashboards had it, is empty by then: the point is 3 h old.
      const plain = await runTarget(prometheus.url, 'reliability_run_success', true, at);
      expect(plain.series).toEqual([]);
    });

    it('keeps the failure-rate alert on the failing branch and sees the last success hours later', async () => {
      const at = Date.now() / 1000 + LATER;
      const rule = alertRules().find(
        (r) => r.alert === 'ReliabilityTestFailureRate' && r.labels?.severity === 'warning',
      );
      const firing = await runTarget(prometheus.url, rule?.expr ?? '', true, at);
      expect(firing.series.map((s) => s.metric.branch)).toEqual(['feature/x']);
      expect(firing.series[0]?.values[0]).toBeCloseTo(0.125, 6);
      const age = await runTarget(
        prometheus.url,
        'time() - max without (record, commit) (last_over_time(reliability_last_success_timestamp_seconds[90d]))',
        true,
        at,
      );
      expect(age.series.map((s) => s.metric.branch)).toEqual(['main']);
      expect(age.series[0]?.values[0]).toBeGreaterThan(LATER - 60);
      expect(age.series[0]?.values[0]).toBeLessThan(LATER + 300);
      // The rules are loaded and evaluated on remote-written data: E2E failing on feature/x.
      const e2e = await waitForQuery(prometheus.url, 'ALERTS{alertname="E2ETestsFailing"}');
      expect(e2e.map((s) => s.metric.branch)).toEqual(['feature/x']);
    });
  },
);

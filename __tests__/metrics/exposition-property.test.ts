/**
 * Property: whatever names, labels and numbers a report holds, the exposition text the action
 * builds is accepted by the real Pushgateway, and every label value round-trips exactly (as
 * cleaned: valid UTF-8, no NUL, capped length).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGithubContext as readCiContext } from '../../src/ci/github.js';
import { buildMetrics } from '../../src/metrics/build-registry.js';
import { groupPath, runGroupingKey } from '../../src/metrics/grouping.js';
import { cleanLabelValue } from '../../src/metrics/names.js';
import { pushGroup } from '../../src/metrics/pushgateway.js';
import type { TestCase } from '../../src/model.js';
import { TEST_STATUSES } from '../../src/model.js';
import { sampleRun } from '../helpers/sample-run.js';
import { startPushgateway, type Service } from '../helpers/services.js';

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '"',
    '\\',
    '\n',
    '}',
    '{a="b"}',
    '\u0000',
    '\ud800',
    'naïve ✓ 日本',
    '\\"\n}',
    'x'.repeat(2000),
  ),
);
const number = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1e-308));

const testCase = fc.record({
  name: hostileText,
  classname: hostileText,
  file: hostileText,
  status: fc.constantFrom(...TEST_STATUSES),
  durationSeconds: number,
});
const figure = fc.record({
  test: hostileText,
  kind: fc.constantFrom(
    'latency',
    'throughput',
    'memory_growth',
    'memory',
    'spans_generated',
    'spans_delivered',
    'metric' as const,
  ),
  operation: hostileText,
  stat: hostileText,
  name: fc.oneof(
    hostileText,
    fc.constantFrom(
      'tests',
      'run_info',
      'test_duration_seconds_bucket',
      'test_duration_seconds_sum',
    ),
  ),
  value: number,
});

interface GatewayGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}

describe('exposition text against the real Pushgateway', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('is always accepted, and label values round-trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(testCase, { maxLength: 8 }),
        fc.array(figure, { maxLength: 8 }),
        hostileText,
        hostileText,
        async (cases, figures, branch, suite) => {
          const tests: TestCase[] = cases.map((c, i) => ({
            ...c,
            id: `${c.classname}.${c.name}#${i}`,
            status: c.status,
          }));
          const run = sampleRun({ tests, figures: figures });
          const ci = readCiContext({ GITHUB_REPOSITORY: 'acme/prop', GITHUB_REF_NAME: branch });
          const built = buildMetrics({ run, ci, prefix: 'prop_', maxTestSeries: 100, endedAt: 1 });
          const key = runGroupingKey({ jobName: 'property', suite, groupingLabels: {} }, ci);
          const result = await pushGroup(
            { url: new URL(gateway.url), auth: { headers: {} } },
            groupPath(key),
            await built.registry.metrics(),
          );
          expect(result.error).toBeUndefined();
          expect(result.ok).toBe(true);

          const groups = (
            (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as {
              data: GatewayGroup[];
            }
          ).data;
          const group = groups.find(
            (g) =>
              g.labels.job === 'property' &&
              g.labels.branch === cleanLabelValue(ci.branch) &&
              g.labels.suite === cleanLabelValue(suite),
          );
          expect(group, `group for branch ${JSON.stringify(branch)}`).toBeDefined();
          const statusSeries =
            (
              group?.prop_test_case_status as
                { metrics?: { labels: Record<string, string> }[] } | undefined
            )?.metrics ?? [];
          const pushedIds = new Set(statusSeries.map((m) => m.labels.test));
          for (const test of tests) expect(pushedIds.has(cleanLabelValue(test.id))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

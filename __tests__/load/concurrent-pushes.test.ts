/**
 * Load on one real Pushgateway: 100 action runs (`node dist/index.js` as the runner runs it,
 * command `true`, a pre-generated JUnit report of 1,000 test cases each, its own suite so each
 * run has its own group), 20 at once, must all arrive complete; and two runs racing on the same
 * group must leave one whole run in it, never a mix of both.
 *
 * The command is cheap on purpose: the load is the action itself (start, parse, build, push).
 * Why 20 at once and not 100: the Pushgateway checks each push against everything it holds, one
 * push at a time, so a push waits for the pushes queued before it, each costing time in
 * proportion to the series stored. With 100 at once the last pushes wait longer than the
 * action's 10 s per-attempt timeout: the groups still arrive (a timed-out PUT stays queued and is
 * applied), but those runs report `pushed: false` and skip their last-success push. See
 * docs/performance.md, "Load". Knobs for measuring that: RMA_LOAD_CONCURRENCY (at least 20),
 * RMA_LOAD_RUNS, RMA_LOAD_MAX_TEST_SERIES (default 500, the input's default).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../helpers/run-action.js';
import { startPushgateway, type Service } from '../helpers/services.js';

const RUNS = Number(process.env.RMA_LOAD_RUNS ?? 100);
const CONCURRENCY = Math.min(RUNS, Number(process.env.RMA_LOAD_CONCURRENCY ?? 20));
const MAX_TEST_SERIES = Number(process.env.RMA_LOAD_MAX_TEST_SERIES ?? 500);
const TESTS = 1000;
/** Bound of the whole load (and of each action process). */
const BOUND_MS = 150_000;

/** How many tests of a run fail and are skipped: different per run, so the groups differ. */
const failedOf = (run: number): number => run % 13;
const skippedOf = (run: number): number => run % 7;

/** A pytest-like JUnit report of TESTS cases whose names start with `tag`. */
function junitReport(tag: string, failed: number, skipped: number): string {
  const cases: string[] = [];
  for (let i = 0; i < TESTS; i++) {
    const attrs = `classname="tests.test_load.TestLoad" name="${tag}_test_${i}" file="tests/test_load.py" line="${i + 1}" time="${((i % 50) / 1000).toFixed(3)}"`;
    if (i < failed) {
      cases.push(
        `<testcase ${attrs}><failure message="AssertionError: case ${i}">assert False</failure></testcase>`,
      );
    } else if (i < failed + skipped) {
      cases.push(`<testcase ${attrs}><skipped type="pytest.skip" message="not today"/></testcase>`);
    } else {
      cases.push(`<testcase ${attrs}/>`);
    }
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<testsuites><testsuite name="pytest" errors="0" failures="${failed}" skipped="${skipped}" tests="${TESTS}" time="1.0">`,
    ...cases,
    '</testsuite></testsuites>',
    '',
  ].join('\n');
}

/** One metric family of a group, as the gateway's /api/v1/metrics serves it. */
interface Family {
  readonly type: string;
  readonly metrics: { labels: Record<string, string>; value?: string }[];
}
/** One group: its grouping labels, push status and metric families by name. */
type Group = { labels: Record<string, string>; last_push_successful?: boolean } & Record<
  string,
  unknown
>;

async function gatewayGroups(gateway: Service): Promise<Group[]> {
  const response = await fetch(`${gateway.url}/api/v1/metrics`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: Group[] };
  return body.data;
}

const family = (group: Group, name: string): Family =>
  (group[name] as Family | undefined) ?? { type: 'absent', metrics: [] };

/** What a group must hold: one run's counts, run id and per-test series. */
interface ExpectedRun {
  readonly tag: string;
  readonly runId: string;
  readonly failed: number;
  readonly skipped: number;
}

function expectCompleteGroup(group: Group, run: ExpectedRun): void {
  const counts: Record<string, number> = {};
  for (const m of family(group, 'reliability_tests').metrics) {
    counts[m.labels.status ?? ''] = Number(m.value);
  }
  expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(TESTS);
  expect(counts).toMatchObject({
    passed: TESTS - run.failed - run.skipped,
    failed: run.failed,
    skipped: run.skipped,
  });
  const info = family(group, 'reliability_run_info').metrics;
  expect(info.map((m) => m.labels.run_id)).toEqual([run.runId]);
  // max-test-series caps the per-test series: failing tests first, then the slowest.
  const expectedSeries = Math.min(TESTS, MAX_TEST_SERIES);
  const statuses = family(group, 'reliability_test_case_status').metrics;
  const durations = family(group, 'reliability_test_case_duration_seconds').metrics;
  expect(statuses).toHaveLength(expectedSeries);
  expect(durations).toHaveLength(expectedSeries);
  // Every per-test series is this run's, none another run's.
  const prefix = `tests.test_load.TestLoad.${run.tag}_test_`;
  const ours = (m: { labels: Record<string, string> }): boolean =>
    m.labels.test?.startsWith(prefix) === true;
  expect(statuses.filter(ours)).toHaveLength(expectedSeries);
  expect(durations.filter(ours)).toHaveLength(expectedSeries);
  expect(statuses.filter((m) => m.labels.status === 'failed')).toHaveLength(run.failed);
}

/** Runs `job` for 0..count-1, at most `limit` at once; returns the results and the peak. */
async function pool<T>(
  count: number,
  limit: number,
  job: (index: number) => Promise<T>,
): Promise<{ results: T[]; peak: number }> {
  const results = new Array<T>(count);
  let next = 0;
  let running = 0;
  let peak = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      running++;
      peak = Math.max(peak, running);
      try {
        results[index] = await job(index);
      } finally {
        running--;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return { results, peak };
}

/** Attempts and seconds of each push a run logged. */
function pushesOf(run: ActionRun): { attempts: number; seconds: number }[] {
  return [
    ...run.stdout.matchAll(/Pushed \d+ bytes to \S+ \((\d+) attempt\(s\), ([\d.]+) s\)/g),
  ].map((m) => ({ attempts: Number(m[1]), seconds: Number(m[2]) }));
}

describe('load on one real Pushgateway', () => {
  const dirs: string[] = [];
  const tempDir = async (prefix: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const services: Service[] = [];
  const gatewayFor = async (): Promise<Service> => {
    const gateway = await startPushgateway();
    services.push(gateway);
    return gateway;
  };
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe(`${RUNS} runs, ${CONCURRENCY} at once`, () => {
    let gateway: Service;
    beforeAll(async () => {
      gateway = await gatewayFor();
    });

    it(
      `takes ${RUNS} runs of ${TESTS} tests each, every group complete, none lost`,
      async () => {
        expect(CONCURRENCY).toBeGreaterThanOrEqual(20);
        // Reports written beforehand: the runs measure the action, not the generator.
        const workspaces = await Promise.all(
          Array.from({ length: RUNS }, async (_, run) => {
            const workspace = await tempDir('rma-load-');
            await writeFile(
              join(workspace, 'report.xml'),
              junitReport(`r${run}`, failedOf(run), skippedOf(run)),
            );
            return workspace;
          }),
        );

        const started = Date.now();
        const { results, peak } = await pool(RUNS, CONCURRENCY, (run) =>
          runAction({
            inputs: {
              command: 'true',
              'pushgateway-url': gateway.url,
              'report-paths': 'report.xml',
              suite: `load-${run}`,
              'max-test-series': String(MAX_TEST_SERIES),
              'fail-on-push-error': 'true',
            },
            workspace: workspaces[run] ?? '',
            env: { GITHUB_RUN_ID: String(10_000 + run) },
            timeoutMs: BOUND_MS,
          }),
        );
        const seconds = (Date.now() - started) / 1000;
        for (const result of results) dirs.push(result.runnerTemp);

        const pushes = results.flatMap(pushesOf);
        const sorted = pushes.map((p) => p.seconds).sort((a, b) => a - b);
        const at = (q: number): string =>
          (sorted[Math.floor(q * (sorted.length - 1))] ?? 0).toFixed(2);
        console.log(
          `[load] ${RUNS} runs, ${CONCURRENCY} at once, ${TESTS} tests and max-test-series ${MAX_TEST_SERIES} each: ${seconds.toFixed(1)} s; ` +
            `${pushes.length} pushes (${pushes.filter((p) => p.attempts > 1).length} retried), push s p50 ${at(0.5)} p90 ${at(0.9)} max ${at(1)}`,
        );

        // Every run pushed: none failed, none hung.
        const failed = results.flatMap((result, run) =>
          result.exitCode === 0 && result.outputs.pushed === 'true'
            ? []
            : [
                `run ${run}: exit ${result.exitCode ?? result.signal ?? '?'}, pushed ${result.outputs.pushed ?? '?'}: ${
                  result.stdout.match(/::warning::.*/g)?.join(' ') ?? result.stderr
                }`,
              ],
        );
        expect(failed).toEqual([]);
        expect(peak).toBe(CONCURRENCY);

        // Every group is there, complete and its own.
        const groups = await gatewayGroups(gateway);
        const load = groups.filter((g) => g.labels.suite?.startsWith('load-') === true);
        const runGroups = load.filter((g) => g.labels.record === undefined);
        expect(runGroups).toHaveLength(RUNS);
        // `true` succeeds: each run also marked its success in its last-success group.
        expect(load.filter((g) => g.labels.record === 'last_success')).toHaveLength(RUNS);
        for (let run = 0; run < RUNS; run++) {
          const group = runGroups.find((g) => g.labels.suite === `load-${run}`);
          expect(group, `group of run ${run}`).toBeDefined();
          if (group === undefined) continue;
          expect(group.labels).toMatchObject({
            job: 'reliability_tests',
            repository: 'acme/widgets',
            branch: 'main',
          });
          expect(group.last_push_successful).toBe(true);
          expectCompleteGroup(group, {
            tag: `r${run}`,
            runId: String(10_000 + run),
            failed: failedOf(run),
            skipped: skippedOf(run),
          });
        }

        // And what Prometheus scrapes is whole: one run_info per run group.
        const scrape = await fetch(`${gateway.url}/metrics`);
        expect(scrape.status).toBe(200);
        const text = await scrape.text();
        expect(text.match(/^reliability_run_info\{.*suite="load-\d+"/gm) ?? []).toHaveLength(RUNS);
        expect(seconds * 1000).toBeLessThan(BOUND_MS);
      },
      BOUND_MS + 30_000,
    );
  });

  it('leaves one whole run in a group two runs push to at once, never a mix', async () => {
    const gateway = await gatewayFor();
    const rounds = 5;
    const winners: string[] = [];
    for (let round = 0; round < rounds; round++) {
      // Same suite and branch, so one group; different reports, run ids and test names.
      const contenders: ExpectedRun[] = [
        { tag: `a${round}`, runId: String(20_000 + round), failed: 3, skipped: 100 },
        { tag: `b${round}`, runId: String(30_000 + round), failed: 250, skipped: 0 },
      ];
      const workspaces = await Promise.all(
        contenders.map(async ({ tag, failed, skipped }) => {
          const workspace = await tempDir('rma-race-');
          await writeFile(join(workspace, 'report.xml'), junitReport(tag, failed, skipped));
          return workspace;
        }),
      );
      const results = await Promise.all(
        contenders.map(({ runId }, i) =>
          runAction({
            inputs: {
              command: 'true',
              'pushgateway-url': gateway.url,
              'report-paths': 'report.xml',
              suite: 'race',
              'max-test-series': String(MAX_TEST_SERIES),
              'fail-on-push-error': 'true',
            },
            workspace: workspaces[i] ?? '',
            env: { GITHUB_RUN_ID: runId },
            timeoutMs: 60_000,
          }),
        ),
      );
      for (const result of results) {
        dirs.push(result.runnerTemp);
        expect(result.exitCode, result.stdout + result.stderr).toBe(0);
        expect(result.outputs.pushed).toBe('true');
      }

      const race = (await gatewayGroups(gateway)).filter(
        (g) => g.labels.suite === 'race' && g.labels.record === undefined,
      );
      expect(race).toHaveLength(1);
      const group = race[0];
      if (group === undefined) continue;
      const runId = family(group, 'reliability_run_info').metrics[0]?.labels.run_id;
      const winner = contenders.find((c) => c.runId === runId);
      expect(winner, `run_id ${runId ?? 'none'} is one of the two runs`).toBeDefined();
      if (winner === undefined) continue;
      // Counts, run_info and every per-test series agree: all of them from the same run.
      expectCompleteGroup(group, winner);
      winners.push(winner.tag.slice(0, 1));
    }
    console.log(`[load] race winners over ${rounds} rounds: ${winners.join(' ')}`);
    expect(winners).toHaveLength(rounds);
  }, 120_000);
});

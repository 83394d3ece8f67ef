#!/usr/bin/env node
/**
 * Push of a large group to a real Pushgateway on loopback: a synthetic run of 10k tests built
 * by buildMetrics with max-test-series 10000 (10k duration + 10k status series, plus the run's
 * own), serialised by prom-client and PUT by the action's own client (pushGroup). Prints the
 * series, bytes, build and serialisation times and the PUT times (median and max of N, the first
 * onto an empty gateway, the others replacing the group), then checks the gateway holds every
 * series. Target: PUT under 1 s. Also the default cap (max-test-series 500) for comparison.
 *
 *   node bench/push.mjs [--runs 5] [--tests 10000]
 */
import { importTs, machine, max, median, printTable, startPushgateway } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = option('runs', 5);
const TESTS = option('tests', 10_000);
const STATUSES = ['passed', 'passed', 'passed', 'passed', 'failed', 'skipped', 'passed', 'error'];

/** A run of `count` tests with realistic ids, classnames, files and durations. */
function syntheticRun(count) {
  const tests = Array.from({ length: count }, (_, i) => {
    const module = `test_module_${String(i % 200).padStart(3, '0')}`;
    const name = `test_case_${i}[param-${i % 7}]`;
    return {
      id: `tests.${module}.TestSuite.${name}`,
      name,
      classname: `tests.${module}.TestSuite`,
      file: `tests/${module}.py`,
      status: STATUSES[i % STATUSES.length],
      durationSeconds: ((i * 7919) % 5000) / 1000,
    };
  });
  return {
    command: 'pytest',
    exitCode: 1,
    timedOut: false,
    cancelled: false,
    startedAt: Math.floor(Date.now() / 1000),
    durationSeconds: 600,
    resources: {
      samples: [],
      peakRssBytes: 1 << 30,
      memoryGrowthBytes: 0,
      meanCpuPercent: 150,
      maxCpuPercent: 199,
      cpuSeconds: 900,
    },
    tests,
    figures: [],
    reports: [],
    warnings: [],
  };
}

const ms = (started) => Number(process.hrtime.bigint() - started) / 1e6;

async function main() {
  const { buildMetrics, countSeries } = await importTs('src/metrics/build-registry.ts');
  const { pushGroup } = await importTs('src/metrics/pushgateway.ts');
  const { groupPath } = await importTs('src/metrics/grouping.ts');
  const { readGithubContext: readCiContext } = await importTs('src/ci/github.ts');
  const ci = readCiContext({
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_REF_NAME: 'main',
    GITHUB_WORKFLOW: 'Bench',
    GITHUB_JOB: 'push',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '1',
  });
  const run = syntheticRun(TESTS);

  console.log(`# Push: ${machine()}`);
  console.log(`${TESTS} tests, ${RUNS} PUTs per case to a real prometheus-pushgateway\n`);
  const gateway = await startPushgateway();
  const target = { url: new URL(gateway.url), auth: { headers: {} } };
  const rows = [
    [
      'max-test-series',
      'series',
      'bytes',
      'build',
      'serialise',
      'PUT median',
      'PUT max',
      'on the gateway',
    ],
  ];
  let worst = 0;
  try {
    for (const [index, cap] of [TESTS, 500].entries()) {
      const builds = [];
      const serialisations = [];
      let exposition = '';
      for (let i = 0; i < RUNS; i++) {
        let started = process.hrtime.bigint();
        const built = buildMetrics({
          run,
          ci,
          prefix: 'reliability_',
          maxTestSeries: cap,
          endedAt: 0,
        });
        builds.push(ms(started));
        started = process.hrtime.bigint();
        exposition = await built.registry.metrics();
        serialisations.push(ms(started));
      }
      const suite = `push-${index}`;
      const path = groupPath({
        job: 'reliability_tests',
        labels: { repository: 'acme/widgets', branch: 'main', suite },
      });
      const puts = [];
      for (let i = 0; i < RUNS; i++) {
        const result = await pushGroup(target, path, exposition);
        if (!result.ok) throw new Error(`push failed: ${result.error}`);
        puts.push(result.durationMs);
      }
      // Every series arrived: count the group's samples as the gateway serves them.
      const groups = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()).data;
      const group = groups.find((g) => g.labels.suite === suite);
      const stored = Object.entries(group ?? {})
        .filter(([name]) => name.startsWith('reliability_'))
        .reduce((sum, [, family]) => {
          const histogram = family.type === 'HISTOGRAM';
          // A histogram is one entry with buckets, count and sum.
          return (
            sum +
            family.metrics.reduce(
              (n, m) => n + (histogram ? Object.keys(m.buckets).length + 2 : 1),
              0,
            )
          );
        }, 0);
      const series = countSeries(exposition);
      if (cap === TESTS) worst = Math.max(worst, max(puts));
      rows.push([
        cap,
        series,
        Buffer.byteLength(exposition),
        `${median(builds).toFixed(0)} ms`,
        `${median(serialisations).toFixed(0)} ms`,
        `${median(puts).toFixed(0)} ms`,
        `${max(puts).toFixed(0)} ms`,
        stored === series ? `all ${stored}` : `${stored} of ${series} (!)`,
      ]);
    }
  } finally {
    await gateway.stop();
  }
  printTable(rows);
  console.log(`\ntarget: PUT of the 10k-test group < 1 s: ${worst < 1000 ? 'met' : 'NOT met'}`);
}

await main();

#!/usr/bin/env node
/**
 * What 100 action runs at once do to one Pushgateway (the load test runs them 20 at once): each
 * run is `node dist/index.js`, command `true`, its own 1k-test JUnit report and suite, default
 * inputs (max-test-series 500, push-timeout-seconds 30). Prints the wall time, how many runs
 * said `pushed: true`, the push latencies they logged, and then what the gateway really holds:
 * run groups (complete or not) and last-success groups, polled until it stops changing.
 *
 *   node bench/load-burst.mjs [--concurrency 100] [--runs 100]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTs, machine, printTable } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = option('runs', 100);
const CONCURRENCY = option('concurrency', 100);
const TESTS = 1000;

const report = (tag) =>
  `<testsuites><testsuite name="pytest" tests="${TESTS}">${Array.from(
    { length: TESTS },
    (_, i) =>
      `<testcase classname="tests.test_load.TestLoad" name="${tag}_test_${i}" time="${(i % 50) / 1000}"/>`,
  ).join('\n')}</testsuite></testsuites>\n`;

async function main() {
  const { runAction } = await importTs('__tests__/helpers/run-action.ts');
  const { startPushgateway } = await importTs('__tests__/helpers/services.ts');
  console.log(`# Load burst: ${machine()}`);
  console.log(`${RUNS} runs of ${TESTS} tests, ${CONCURRENCY} at once, one real Pushgateway\n`);
  const gateway = await startPushgateway();
  const dirs = [];
  try {
    const workspaces = [];
    for (let run = 0; run < RUNS; run++) {
      const dir = await mkdtemp(join(tmpdir(), 'rma-bench-burst-'));
      await writeFile(join(dir, 'report.xml'), report(`r${run}`));
      dirs.push(dir);
      workspaces.push(dir);
    }
    const results = new Array(RUNS);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RUNS) {
          const run = next++;
          results[run] = await runAction({
            inputs: {
              command: 'true',
              'pushgateway-url': gateway.url,
              'report-paths': 'report.xml',
              suite: `burst-${run}`,
            },
            workspace: workspaces[run],
            env: { GITHUB_RUN_ID: String(run) },
            timeoutMs: 180_000,
          });
          dirs.push(results[run].runnerTemp);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const pushes = results.flatMap((r) =>
      [...r.stdout.matchAll(/Pushed \d+ bytes to \S+ \((\d+) attempt\(s\), ([\d.]+) s\)/g)].map(
        (m) => Number(m[2]),
      ),
    );
    pushes.sort((a, b) => a - b);
    const at = (q) => (pushes[Math.floor(q * (pushes.length - 1))] ?? 0).toFixed(2);
    const failedPushes = results.reduce(
      (n, r) => n + (r.stdout.match(/::warning::Could not push/g)?.length ?? 0),
      0,
    );

    // What the gateway holds, once it has worked through its queue.
    const held = async () => {
      const { data } = await (await fetch(`${gateway.url}/api/v1/metrics`)).json();
      const mine = data.filter((g) => g.labels.suite?.startsWith('burst-'));
      const runGroups = mine.filter((g) => g.labels.record === undefined);
      const complete = runGroups.filter(
        (g) =>
          g.reliability_test_case_status?.metrics.length === 500 &&
          g.reliability_tests?.metrics.reduce((sum, m) => sum + Number(m.value), 0) === TESTS,
      ).length;
      return { run: runGroups.length, complete, lastSuccess: mine.length - runGroups.length };
    };
    let state = await held();
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 2500));
      const now = await held();
      if (JSON.stringify(now) === JSON.stringify(state)) break;
      state = now;
    }
    printTable([
      ['figure', 'value'],
      ['wall time of the runs', `${seconds.toFixed(1)} s`],
      [
        'runs with pushed: true',
        `${results.filter((r) => r.outputs.pushed === 'true').length} of ${RUNS}`,
      ],
      ['pushes that succeeded', pushes.length],
      ['pushes reported failed', failedPushes],
      ['push s (successful): p50 / p90 / max', `${at(0.5)} / ${at(0.9)} / ${at(1)}`],
      ['run groups on the gateway', `${state.run} (${state.complete} complete)`],
      ['last-success groups on the gateway', state.lastSuccess],
    ]);
  } finally {
    await gateway.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

await main();

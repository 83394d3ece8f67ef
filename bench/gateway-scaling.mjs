#!/usr/bin/env node
/**
 * How the Pushgateway's push time grows with what it already holds: 100 groups of ~1,040 series
 * each (the action's group of a 1k-test run at the default max-test-series 500) PUT one after
 * the other, the time of every 10th PUT printed; once with the gateway as packaged, once with
 * `--push.disable-consistency-check`. Then 25 such groups PUT at once onto the 100.
 *
 *   node bench/gateway-scaling.mjs [--groups 100] [--series 1000]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTs, machine, printTable } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const GROUPS = option('groups', 100);
/** Per-test series: half status, half duration, as max-test-series 500 gives. */
const SERIES = option('series', 1000);

async function gateway(extraFlags) {
  const { freePort } = await importTs('__tests__/helpers/services.ts');
  const dir = await mkdtemp(join(tmpdir(), 'rma-bench-gw-'));
  const port = await freePort();
  const child = spawn(
    'prometheus-pushgateway',
    [
      `--web.listen-address=127.0.0.1:${port}`,
      `--persistence.file=${join(dir, 'pushgateway.data')}`,
      '--persistence.interval=1s',
      '--log.level=warn',
      ...extraFlags,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('pushgateway not ready after 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  return { url, stop };
}

/** A group's exposition like the action's: run gauges, a histogram, per-test series. */
function exposition(group) {
  const lines = [
    '# TYPE reliability_run_info gauge',
    `reliability_run_info{run_id="${group}"} 1`,
    '# TYPE reliability_tests gauge',
    ...['passed', 'failed', 'skipped'].map((s) => `reliability_tests{status="${s}"} 1`),
    '# TYPE reliability_test_duration_seconds histogram',
    ...[0.01, 0.1, 1, '+Inf'].map((le) => `reliability_test_duration_seconds_bucket{le="${le}"} 1`),
    'reliability_test_duration_seconds_sum 1',
    'reliability_test_duration_seconds_count 1',
    '# TYPE reliability_test_case_status gauge',
  ];
  const labels = (i) =>
    `test="tests.test_load.TestLoad.g${group}_test_${i}",classname="tests.test_load.TestLoad",file="tests/test_load.py"`;
  for (let i = 0; i < SERIES / 2; i++) {
    lines.push(`reliability_test_case_status{${labels(i)},status="passed"} 1`);
  }
  lines.push('# TYPE reliability_test_case_duration_seconds gauge');
  for (let i = 0; i < SERIES / 2; i++) {
    lines.push(`reliability_test_case_duration_seconds{${labels(i)}} 0.01`);
  }
  return `${lines.join('\n')}\n`;
}

async function put(url, group) {
  const started = performance.now();
  const response = await fetch(`${url}/metrics/job/reliability_tests/suite/g${group}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/plain; version=0.0.4' },
    body: exposition(group),
  });
  await response.text();
  if (!response.ok) throw new Error(`PUT ${group}: HTTP ${response.status}`);
  return performance.now() - started;
}

async function main() {
  console.log(`# Pushgateway push time against its content: ${machine()}`);
  const version = spawn('prometheus-pushgateway', ['--version'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  version.stdout.on('data', (c) => (text += c));
  version.stderr.on('data', (c) => (text += c));
  await new Promise((r) => version.once('close', r));
  console.log(
    `${text.split('\n')[0]}; ${GROUPS} groups of ~${SERIES + 10} series, PUT one by one\n`,
  );
  const checkpoints = Array.from({ length: 10 }, (_, i) => Math.round(((i + 1) * GROUPS) / 10));
  const rows = [['gateway', ...checkpoints.map((n) => `PUT #${n}`), 'all', '25 at once onto them']];
  for (const [name, flags] of [
    ['as packaged', []],
    ['--push.disable-consistency-check', ['--push.disable-consistency-check']],
  ]) {
    const gw = await gateway(flags);
    try {
      const times = [];
      const started = performance.now();
      for (let g = 1; g <= GROUPS; g++) times.push(await put(gw.url, g));
      const all = performance.now() - started;
      const burst = performance.now();
      await Promise.all(Array.from({ length: 25 }, (_, k) => put(gw.url, 10_000 + k)));
      rows.push([
        name,
        ...checkpoints.map((n) => `${times[n - 1].toFixed(0)} ms`),
        `${(all / 1000).toFixed(1)} s`,
        `${((performance.now() - burst) / 1000).toFixed(1)} s`,
      ]);
    } finally {
      await gw.stop();
    }
  }
  printTable(rows);
}

await main();

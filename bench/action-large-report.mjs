/**
 * The whole action on a ~100 MB JUnit report (300k verbose test cases): CPU time, wall time and
 * peak RSS of `node dist/index.js`, the process the runner runs, command `true`, no gateway, on
 * node 24 (the runtime action.yml declares) and on the node running this script. Targets on node
 * 24: peak RSS at most 200 MiB, at most 1.0 s. The machine may be shared: CPU seconds are the
 * figure to compare, each run is repeated and the median given beside every run.
 *
 * Run: npm run package && node bench/action-large-report.mjs [--runs 5]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeJunit } from './generate-reports.mjs';
import { DIST, median, NODE24, runMeasured } from './lib.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const RUNS = at >= 0 ? Number(args[at + 1]) : 5;
const NODES = [
  ...(existsSync(NODE24) ? [[NODE24, 'node 24']] : []),
  [process.execPath, `node ${process.versions.node.split('.')[0]}`],
];

const dir = await mkdtemp(join(tmpdir(), 'rma-bench-action-'));
try {
  const report = join(dir, 'report.xml');
  await makeJunit(report, 300_000, true);
  const { size } = await stat(report);
  const env = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'output.txt'),
    INPUT_COMMAND: 'true',
    'INPUT_REPORT-PATHS': 'report.xml',
  };
  console.log(`report: ${(size / 1e6).toFixed(1)} MB, 300,000 test cases`);
  console.log('| node | run | exit | tests read | CPU s | wall s | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  let summaryBytes = 0;
  for (const [node, label] of NODES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      await writeFile(env.GITHUB_STEP_SUMMARY, '');
      await writeFile(env.GITHUB_OUTPUT, '');
      const run = await runMeasured(node, [DIST], env, dir);
      const outputs = await readFile(env.GITHUB_OUTPUT, 'utf8');
      run.tests = Number(/tests-total<<(\S+)\n(\d+)\n/.exec(outputs)?.[2] ?? 0);
      summaryBytes = Buffer.byteLength(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8'));
      runs.push(run);
      console.log(
        `| ${label} | ${i + 1} | ${run.code} | ${run.tests.toLocaleString('en')} | ${run.cpuSeconds.toFixed(2)} | ${run.seconds.toFixed(2)} | ${run.peakMb.toFixed(0)} |`,
      );
    }
    const m = (key) => median(runs.map((run) => run[key]));
    console.log(
      `| ${label} | median | | | ${m('cpuSeconds').toFixed(2)} | ${m('seconds').toFixed(2)} | ${m('peakMb').toFixed(0)} |`,
    );
  }
  console.log(`summary: ${(summaryBytes / 1024).toFixed(1)} KiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

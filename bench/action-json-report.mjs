/**
 * The whole action on large Jest JSON reports: a 300k-test report with stack traces (~220 MB)
 * and a 1 GB one (300k tests, every other one failing with a 112-line stack trace), read by the
 * bundled action (`node dist/index.js`, as the runner runs it) on node 24 (the runtime action.yml
 * declares) and on the node running this script. Command `true`, no gateway. Peak RSS polled from
 * /proc/<pid>/status (VmHWM). Targets: the 220 MB report within 300 MiB; the 1 GB one read.
 *
 * Run: npm run package && node bench/action-json-report.mjs [--runs 3] [--skip-1gb | --only-1gb]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSON_GENERATORS } from './generate-json-reports.mjs';
import { DIST, NODE24, runMeasured } from './lib.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const RUNS = at >= 0 ? Number(args[at + 1]) : 3;

/** Wall time, CPU time, peak RSS and the tests read (from GITHUB_OUTPUT) of one run of the bundle. */
async function runBundle(node, env, cwd) {
  const run = await runMeasured(node, [DIST], env, cwd);
  const outputs = await readFile(env.GITHUB_OUTPUT, 'utf8');
  const tests = /tests-total<<(\S+)\n(\d+)\n/.exec(outputs)?.[2];
  return { ...run, tests: Number(tests ?? 0) };
}

const ONLY_1GB = args.includes('--only-1gb');
const REPORTS = [
  ['Jest 300k tests, stack traces', 300_000, {}],
  ['Jest 1 GB', 300_000, { failEvery: 2, frames: 112 }],
]
  .filter(([label]) => !(args.includes('--skip-1gb') && label.includes('1 GB')))
  .filter(([label]) => !ONLY_1GB || label.includes('1 GB'));
const NODES = [
  ...(existsSync(NODE24) ? [[NODE24, 'node 24']] : []),
  [process.execPath, `node ${process.versions.node.split('.')[0]}`],
];

const dir = await mkdtemp(join(tmpdir(), 'rma-bench-action-json-'));
const rows = [];
try {
  for (const [label, count, options] of REPORTS) {
    const report = join(dir, 'report.json');
    await JSON_GENERATORS['jest-json'](report, count, options);
    const { size } = await stat(report);
    for (const [node, nodeLabel] of NODES) {
      for (let i = 0; i < RUNS; i++) {
        await writeFile(join(dir, 'summary.md'), '');
        await writeFile(join(dir, 'output.txt'), '');
        const env = {
          PATH: process.env.PATH,
          GITHUB_WORKSPACE: dir,
          RUNNER_TEMP: dir,
          GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
          GITHUB_OUTPUT: join(dir, 'output.txt'),
          INPUT_COMMAND: 'true',
          'INPUT_REPORT-PATHS': 'report.json',
        };
        const run = await runBundle(node, env, dir);
        if (run.tests !== count) throw new Error(`${label}: ${run.tests} tests read`);
        rows.push({ label, nodeLabel, sizeMb: size / 1e6, run: i + 1, ...run });
        console.error(
          `${label} ${nodeLabel} #${i + 1}: CPU ${run.cpuSeconds.toFixed(2)} s, ${run.seconds.toFixed(2)} s, ${run.peakMb.toFixed(0)} MiB`,
        );
      }
    }
    await rm(report);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log('| report | file size | node | run | exit | tests read | CPU s | wall s | peak RSS |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.sizeMb.toFixed(0)} MB | ${r.nodeLabel} | ${r.run} | ${r.code} | ${r.tests.toLocaleString('en')} | ${r.cpuSeconds.toFixed(2)} | ${r.seconds.toFixed(2)} | ${r.peakMb.toFixed(0)} MiB |`,
  );
}

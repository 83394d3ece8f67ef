/**
 * Report parsing benchmark: generates JUnit XML reports of 1k, 100k and 1M test cases plus a
 * ~100 MB one with ~300k verbose cases (failures with stack traces, properties, system-out), and
 * Jest JSON reports of 10k, 100k and 300k tests, in a temp dir. Each is parsed by collectReports
 * in a CHILD process, so the peak RSS (process.resourceUsage().maxRSS) is that parse's alone.
 *
 * Run: node --import tsx bench/parse-reports.mjs [--quick]   (--quick: skip the two largest)
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeJest, makeJunit } from './generate-reports.mjs';

const SELF = fileURLToPath(import.meta.url);

async function child(file, format) {
  const { collectReports } = await import('../src/reports/index.ts');
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const start = process.hrtime.bigint();
  const result = await collectReports({ patterns: [file], cwd: tmpdir(), format });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const error = result.reports[0]?.error;
  process.stdout.write(
    JSON.stringify({
      seconds,
      tests: result.tests.length,
      figures: result.figures.length,
      failed: result.tests.filter((t) => t.status === 'failed').length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      baseRssMb,
      error,
    }),
  );
}

function runChild(file, format) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', file, format], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function main() {
  const quick = process.argv.includes('--quick');
  const dir = await mkdtemp(join(tmpdir(), 'rma-bench-'));
  const cases = [
    ['junit', 'JUnit', 1_000, false],
    ['junit', 'JUnit', 100_000, false],
    ['junit', 'JUnit', 1_000_000, false, true],
    ['junit', 'JUnit verbose', 300_000, true, true],
    ['jest-json', 'Jest JSON', 10_000],
    ['jest-json', 'Jest JSON', 100_000],
    ['jest-json', 'Jest JSON', 300_000, false, true],
  ];
  const rows = [];
  try {
    for (const [format, label, count, verbose, large] of cases) {
      if (quick && large) continue;
      const file = join(
        dir,
        `${label.replace(/ /g, '-')}-${count}.${format === 'junit' ? 'xml' : 'json'}`,
      );
      if (format === 'junit') await makeJunit(file, count, verbose);
      else await makeJest(file, count);
      const { size } = await stat(file);
      const run = runChild(file, format);
      if (run.error || run.tests !== count)
        throw new Error(`${file}: ${run.error ?? `${run.tests} tests`}`);
      rows.push({ label, count, sizeMb: size / 1e6, ...run });
      await rm(file);
      const row = rows.at(-1);
      console.error(
        `${row.label} ${row.count}: ${row.seconds.toFixed(2)} s, ${row.maxRssMb.toFixed(0)} MB`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    '| format | file size | test cases | seconds | peak RSS | RSS before parsing | peak - before |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const cells = [
      row.label,
      `${row.sizeMb.toFixed(1)} MB`,
      row.count.toLocaleString('en'),
      row.seconds.toFixed(2),
      `${row.maxRssMb.toFixed(0)} MB`,
      `${row.baseRssMb.toFixed(0)} MB`,
      `${(row.maxRssMb - row.baseRssMb).toFixed(0)} MB`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();

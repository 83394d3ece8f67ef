/**
 * Report parsing benchmark: generates JUnit XML reports of 1k, 100k and 1M test cases plus a
 * ~100 MB one with ~300k verbose cases (failures with stack traces, properties, system-out), and
 * Jest JSON reports of 10k, 100k and 300k tests, in a temp dir. Each is parsed by collectReports
 * in a CHILD process, so the peak RSS (process.resourceUsage().maxRSS) is that parse's alone.
 *
 * Run: node --import tsx bench/parse-reports.mjs [--quick]   (--quick: skip the two largest)
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Writes `lines()` to `path` through a stream, honouring back-pressure. */
async function writeLines(path, count, head, line, tail) {
  const out = createWriteStream(path);
  out.write(head);
  let buffer = '';
  for (let i = 0; i < count; i++) {
    buffer += line(i);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(buffer + tail);
  out.end();
  await once(out, 'finish');
}

function junitCase(i, verbose) {
  const classname = `tests.module_${i % 97}.TestClass${i % 13}`;
  const name = `test_case_${i}[param-${i % 7}]`;
  const time = ((i % 1000) / 1000).toFixed(3);
  if (!verbose) {
    const body =
      i % 50 === 0 ? `<failure message="assert ${i} == ${i + 1}">AssertionError</failure>` : '';
    return `    <testcase classname="${classname}" name="${name}" file="tests/module_${i % 97}.py" line="${i % 500}" time="${time}">${body}</testcase>\n`;
  }
  const failure =
    i % 10 === 0
      ? `<failure message="AssertionError: expected ${i} got ${i + 1}">Traceback (most recent call last):\n  File "tests/module_${i % 97}.py", line ${i % 500}, in ${name}\n    assert compute(${i}) == ${i + 1}\nAssertionError: expected ${i} got ${i + 1}</failure>`
      : '';
  return (
    `    <testcase classname="${classname}" name="${name}" file="tests/module_${i % 97}.py" line="${i % 500}" time="${time}">` +
    `<properties><property name="latency_ms.op_${i % 5}.p95" value="${(i % 100) / 10}"/>` +
    `<property name="owner" value="team-${i % 3}"/></properties>${failure}` +
    `<system-out>worker gw${i % 4} handled request ${i} in ${i % 37} ms</system-out></testcase>\n`
  );
}

async function makeJunit(path, count, verbose) {
  await writeLines(
    path,
    count,
    '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n  <testsuite name="pytest">\n',
    (i) => junitCase(i, verbose),
    '  </testsuite>\n</testsuites>\n',
  );
}

async function makeJest(path, count) {
  const perFile = 100;
  const files = Math.ceil(count / perFile);
  await writeLines(
    path,
    files,
    `{"numTotalTests":${count},"success":false,"testResults":[`,
    (f) => {
      const assertions = [];
      for (let j = 0; j < perFile && f * perFile + j < count; j++) {
        const i = f * perFile + j;
        const failed = i % 50 === 0;
        assertions.push(
          JSON.stringify({
            ancestorTitles: [`Suite ${f}`, `group ${j % 5}`],
            duration: i % 40,
            failureMessages: failed
              ? [
                  `Error: expected ${i} to be ${i + 1}\n    at Object.<anonymous> (src/f${f}.test.ts:${j}:5)`,
                ]
              : [],
            fullName: `Suite ${f} group ${j % 5} works for case ${i}`,
            invocations: 1,
            status: failed ? 'failed' : 'passed',
            title: `works for case ${i}`,
          }),
        );
      }
      return `${f === 0 ? '' : ','}{"name":"/repo/src/f${f}.test.ts","status":"passed","message":"","assertionResults":[${assertions.join(',')}]}`;
    },
    ']}\n',
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

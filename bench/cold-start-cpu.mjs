#!/usr/bin/env node
/**
 * Start-up cost of two bundles side by side, in CPU time (user + system of the action process,
 * read at its exit), which a loaded machine inflates far less than wall time. Each run is the
 * action as the runner starts it (command `true`, no gateway); the two bundles alternate.
 *
 *   git show main:dist/index.js > /tmp/base/index.js && git show main:dist/package.json > /tmp/base/package.json
 *   node bench/cold-start-cpu.mjs /tmp/base/index.js [--runs 21]
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { actionEnv, DIST, NODE24, median, tempDir } from './lib.mjs';

const args = process.argv.slice(2);
const other = args.find((arg) => !arg.startsWith('--') && !/^\d+$/.test(arg));
const at = args.indexOf('--runs');
const RUNS = at >= 0 ? Number(args[at + 1]) : 21;
if (other === undefined) {
  console.error('usage: node bench/cold-start-cpu.mjs <other dist/index.js> [--runs N]');
  process.exit(2);
}

const workspace = await tempDir('rma-bench-cpu-');
const hook = join(workspace, 'cpu-at-exit.mjs');
await writeFile(
  hook,
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`CPU_MS=${(u.user + u.system) / 1000}\\n`); });\n",
);
const { env } = await actionEnv(workspace, { command: 'true', 'report-paths': 'none.xml' });

function once(node, file) {
  return new Promise((done, fail) => {
    const child = spawn(node, ['--import', hook, file], {
      cwd: workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (err += chunk.toString()));
    child.once('close', (code) => {
      const cpu = /CPU_MS=([\d.]+)/.exec(err)?.[1];
      if (code !== 0 || cpu === undefined) fail(new Error(`${file} exited with ${code}: ${err}`));
      else done(Number(cpu));
    });
  });
}

console.log(`CPU time of one action run, median of ${RUNS}, alternating`);
for (const [name, node] of [
  ['node 20', process.execPath],
  ['node 24', NODE24],
]) {
  const base = [];
  const mine = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(await once(node, other));
    mine.push(await once(node, DIST));
  }
  const a = median(base);
  const b = median(mine);
  console.log(
    `${name}: ${other} ${a.toFixed(0)} ms, dist/index.js ${b.toFixed(0)} ms (${b - a >= 0 ? '+' : ''}${(b - a).toFixed(0)} ms)`,
  );
}

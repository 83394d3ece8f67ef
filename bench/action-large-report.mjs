/**
 * The whole action on a ~100 MB JUnit report (300k verbose test cases): wall time and peak RSS of
 * `node dist/index.js`, the process the runner runs, command `true`, no gateway.
 * Target: peak RSS under 300 MB.
 *
 * Run: node bench/action-large-report.mjs
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeJunit } from './generate-reports.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Peak RSS of a process, polled from /proc/<pid>/status (VmHWM) until it exits. */
async function runMeasured(args, env, cwd) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env, cwd, stdio: 'ignore' });
  let peakKb = 0;
  const poll = setInterval(async () => {
    try {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // exited
    }
  }, 20);
  const code = await new Promise((done) => child.once('exit', done));
  clearInterval(poll);
  return { code, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peakKb / 1024 };
}

const dir = await mkdtemp(join(tmpdir(), 'rma-bench-action-'));
try {
  const report = join(dir, 'report.xml');
  await makeJunit(report, 300_000, true);
  const { size } = await stat(report);
  await writeFile(join(dir, 'summary.md'), '');
  await writeFile(join(dir, 'output.txt'), '');
  const env = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'output.txt'),
    INPUT_COMMAND: 'true',
    'INPUT_REPORT-PATHS': 'report.xml',
  };
  const runs = [];
  for (let i = 0; i < 3; i++)
    runs.push(await runMeasured([join(ROOT, 'dist', 'index.js')], env, dir));
  const summary = await readFile(join(dir, 'summary.md'), 'utf8');
  console.log(`report: ${(size / 1e6).toFixed(1)} MB, 300,000 test cases; node ${process.version}`);
  console.log('| run | exit | wall s | peak RSS MB |');
  console.log('|---|---:|---:|---:|');
  runs.forEach((r, i) =>
    console.log(`| ${i + 1} | ${r.code} | ${r.seconds.toFixed(2)} | ${r.peakMb.toFixed(0)} |`),
  );
  console.log(`summary: ${(Buffer.byteLength(summary) / 1024).toFixed(1)} KiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

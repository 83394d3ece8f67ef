/**
 * Runs the bundled command as a user or a CI job would: `node dist/cli/index.js <args>` in a
 * directory, with only the environment given (plus PATH, HOME and LANG), so the machine's own
 * CI variables never leak into a test.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './run-action.js';

/** The command's bundle. */
export const CLI = join(ROOT, 'dist', 'cli', 'index.js');

/** What a command run left behind. */
export interface CliRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  readonly cwd: string;
  /** The CI's variables, secrets' variables, NO_COLOR… */
  readonly env?: Record<string, string>;
  /** The program to run instead of `node dist/cli/index.js` (an installed bin). */
  readonly program?: readonly string[];
  readonly timeoutMs?: number;
  /** Called once the command is spawned (to signal it, for instance). */
  readonly onSpawn?: (pid: number) => void;
}

/** Runs the command to its end. */
export async function runCli(args: readonly string[], options: RunCliOptions): Promise<CliRun> {
  const [program, ...programArgs] = options.program ?? [process.execPath, CLI];
  const child = spawn(program ?? process.execPath, [...programArgs, ...args], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? options.cwd,
      LANG: 'C.UTF-8',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const exitCode = await new Promise<number | null>((done) => child.once('close', done));
  clearTimeout(timer);
  return { exitCode, stdout, stderr };
}

/** The labels and value of every sample of `metric` in an exposition text. */
export function samples(
  exposition: string,
  metric: string,
): { labels: Record<string, string>; value: number }[] {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`))
    .map((line) => {
      const labels: Record<string, string> = {};
      const end = line.lastIndexOf('}');
      for (const match of line
        .slice(metric.length + 1, end)
        .matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        // The exposition's escapes (\\, \", \n) are JSON's.
        labels[match[1] ?? ''] = JSON.parse(`"${match[2] ?? ''}"`) as string;
      }
      return {
        labels,
        value: Number(
          line
            .slice(end + 1)
            .trim()
            .split(' ')[0],
        ),
      };
    });
}

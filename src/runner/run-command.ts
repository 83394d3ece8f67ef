/**
 * Runs the test command through a shell, output streamed live, its process tree sampled (every
 * process it starts, however it detaches, found by a marker variable in its environment), the
 * whole tree ended on timeout or cancellation.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import type { CommandOutcome, Resources } from '../model.js';
import { reapedChildrenCpuSeconds, systemUnits } from './proc-files.js';
import { killTree, listPids, ProcessTree, treeMarker } from './process-tree.js';
import { Sampler } from './sampler.js';

/** Exit code recorded for a run ended by `timeout-minutes`, as GNU timeout does. */
export const TIMEOUT_EXIT_CODE = 124;
/** Exit code recorded when the shell could not start. */
export const NOT_STARTED_EXIT_CODE = 127;

/** Resources of a command that never started. */
const NO_RESOURCES: Resources = {
  samples: [],
  peakRssBytes: 0,
  memoryGrowthBytes: 0,
  meanCpuPercent: 0,
  maxCpuPercent: 0,
  cpuSeconds: 0,
};

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  readonly command: string;
  readonly cwd: string;
  readonly sampleIntervalMs: number;
  /** 0 = no limit. */
  readonly timeoutMs: number;
  /** Time between TERM and KILL when the tree is ended on timeout. */
  readonly graceMs?: number;
  /** Time between TERM and KILL on cancellation, kept short: the runner kills the action soon after. */
  readonly cancelGraceMs?: number;
  /** Aborting ends the tree (job cancellation). */
  readonly signal?: AbortSignal;
  /**
   * The command's environment, decided by the caller (see `runStepEnvironment`: what a `run:`
   * step would see). The tree's marker variable is added to it.
   */
  readonly env: NodeJS.ProcessEnv;
}

/** A process the command started that still ran when the command ended. */
export interface LeftRunning {
  readonly pid: number;
  readonly name: string;
}

/** The command's outcome with the resources of its tree. */
export interface CommandRun extends CommandOutcome {
  readonly resources: Resources;
  /** Why the shell could not start, when it could not. */
  readonly spawnError?: string;
  /**
   * Processes of the tree still running after the command exited on its own (daemons it started
   * and did not stop). Left running, as a `run:` step leaves them to the runner's clean-up at
   * the end of the job; see {@link leftRunningWarning}.
   */
  readonly leftRunning: readonly LeftRunning[];
}

/** The shell and its arguments, as GitHub's `run:` steps use them. */
export function shellFor(
  command: string,
  platform: NodeJS.Platform = process.platform,
): [string, string[]] {
  if (platform === 'win32') {
    return [process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', command]];
  }
  const bash = ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash'].find((path) =>
    existsSync(path),
  );
  return bash !== undefined
    ? [bash, ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command]]
    : ['/bin/sh', ['-e', '-c', command]];
}

/** Runs the command to its end and reports how it ended. Never throws for the command's sake. */
export async function runCommand(options: RunCommandOptions): Promise<CommandRun> {
  systemUnits(); // asked of getconf once, before the command's CPU time is counted
  const marker = treeMarker();
  const preexisting = listPids();
  // This process waits for the shell: its reaped-children CPU time grows by the shell's at the end.
  const reapedChildCpuBefore = reapedChildrenCpuSeconds();
  const startedAtMs = Date.now();
  const [shell, args] = shellFor(options.command);
  const child = spawn(shell, args, {
    cwd: options.cwd,
    env: { ...options.env, [marker.name]: marker.value },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group, so the whole tree can be signalled at once.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });

  const base = { command: options.command, startedAt: startedAtMs / 1000 };
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => {
      resolve(undefined);
    });
    child.once('error', resolve);
  });
  if (spawned !== undefined || child.pid === undefined) {
    return {
      ...base,
      exitCode: NOT_STARTED_EXIT_CODE,
      timedOut: false,
      cancelled: false,
      durationSeconds: (Date.now() - startedAtMs) / 1000,
      resources: NO_RESOURCES,
      leftRunning: [],
      spawnError: `could not start ${shell}: ${spawned?.message ?? 'no pid'}`,
    };
  }

  const tree = new ProcessTree(child.pid, process.platform, {
    marker: marker.entry,
    preexisting,
  });
  const sampler = new Sampler(tree, options.sampleIntervalMs, {
    startedAtMs,
    reapedChildCpuBefore,
  });
  sampler.start();

  // Set from timer and abort callbacks; an object, so the checks below are not narrowed away.
  const ended = { timedOut: false, cancelled: false };
  let ending: Promise<void> | undefined;
  const end = (graceMs: number): void => {
    ending ??= killTree(tree, graceMs);
  };
  const timer =
    options.timeoutMs > 0
      ? setTimeout(() => {
          ended.timedOut = true;
          end(options.graceMs ?? 5_000);
        }, options.timeoutMs)
      : undefined;
  const onAbort = (): void => {
    ended.cancelled = true;
    end(options.cancelGraceMs ?? 2_000);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) onAbort();

  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (exitCode, exitSignal) => {
      resolve([exitCode, exitSignal]);
    });
  });
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  // The shell is gone; what it started may not be, when it was timed out or cancelled.
  if (ending !== undefined) await ending;
  if (ended.timedOut || ended.cancelled) await killTree(tree, 1_000);
  const endedAtMs = Date.now();
  const resources = await sampler.stop(endedAtMs);
  const leftRunning = ended.timedOut || ended.cancelled ? [] : await sampler.alive();
  let exitCode = code ?? 128 + (signal !== null ? constants.signals[signal] : 0);
  if (ended.timedOut) exitCode = TIMEOUT_EXIT_CODE;
  return {
    ...base,
    exitCode,
    ...(signal !== null ? { signal } : {}),
    ...ended,
    durationSeconds: (endedAtMs - startedAtMs) / 1000,
    resources,
    leftRunning: leftRunning.map(({ pid, name }) => ({ pid, name })),
  };
}

/** The warning for processes the command left running, or undefined when there are none. */
export function leftRunningWarning(left: readonly LeftRunning[]): string | undefined {
  if (left.length === 0) return undefined;
  const shown = left
    .slice(0, 10)
    .map(({ pid, name }) => (name === '' ? `pid ${pid}` : `${name} (pid ${pid})`));
  const more = left.length > shown.length ? ` and ${left.length - shown.length} more` : '';
  return (
    `The command left ${left.length} process(es) running: ${shown.join(', ')}${more}. ` +
    'They were sampled while the command ran and are left running, as after a run: step; the ' +
    'runner ends them when the job ends. Stop them in the command (or its test fixtures) if they ' +
    'should not outlive it.'
  );
}

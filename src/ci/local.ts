/**
 * A run outside any CI (a laptop, or a CI this tool does not know): branch, commit and repository
 * from `git`, run without a shell and bounded in time, so that a missing or hung git only leaves
 * the fields empty.
 */
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { platformName, type CiContext } from './context.js';
import { repositoryFromUrl } from './env.js';

/** Longest a single git call may take. */
export const GIT_TIMEOUT_MS = 3_000;

/**
 * Runs `git args` in `cwd`; its trimmed output, or '' on any failure. The timer stands on its
 * own as well: a grandchild of git holding the pipe open must not hold the run.
 */
function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve('');
    }, GIT_TIMEOUT_MS + 500);
    timer.unref();
    execFile(
      'git',
      [...args],
      {
        cwd,
        env,
        timeout: GIT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        windowsHide: true,
        maxBuffer: 64 * 1024,
      },
      (error, stdout) => {
        clearTimeout(timer);
        resolve(error === null ? stdout.trim() : '');
      },
    );
  });
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** Reads the context from the git checkout around `cwd`. */
export async function readLocalContext(
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<CiContext> {
  const [branch, commit, remote, topLevel] = await Promise.all([
    git(['symbolic-ref', '--quiet', '--short', 'HEAD'], cwd, env),
    git(['rev-parse', '--verify', '--quiet', 'HEAD'], cwd, env),
    git(['config', '--get', 'remote.origin.url'], cwd, env),
    git(['rev-parse', '--show-toplevel'], cwd, env),
  ]);
  return {
    provider: 'local',
    repository: repositoryFromUrl(remote) || (topLevel !== '' ? basename(topLevel) : ''),
    branch,
    workflow: 'local',
    workflowJob: '',
    commit,
    runId: '',
    runAttempt: '',
    runNumber: '',
    event: 'local',
    ref: branch !== '' ? `refs/heads/${branch}` : '',
    pullRequest: '',
    actor: currentUser(),
    runnerOs: platformName(),
    workspace: cwd,
    runnerTemp: '',
  };
}

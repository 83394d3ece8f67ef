/** A laptop's context from a real git checkout; a missing or hung git only leaves fields empty. */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_TIMEOUT_MS, readLocalContext } from '../../src/ci/local.js';

async function repository(): Promise<{ dir: string; git: (...args: string[]) => string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rma-local-'));
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'feature/local');
  git(
    '-c',
    'user.name=dev',
    '-c',
    'user.email=dev@example.com',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'one',
  );
  return { dir, git };
}

describe('readLocalContext', () => {
  it('reads branch, commit and the origin’s repository', async () => {
    const { dir, git } = await repository();
    git('remote', 'add', 'origin', 'https://gitlab.example.com/group/sub/widgets.git');
    expect(await readLocalContext(dir)).toMatchObject({
      provider: 'local',
      repository: 'group/sub/widgets',
      branch: 'feature/local',
      commit: git('rev-parse', 'HEAD'),
      ref: 'refs/heads/feature/local',
      workflow: 'local',
      event: 'local',
      workspace: dir,
    });
  });

  it('names the repository after its folder without a remote, and has no branch when detached', async () => {
    const { dir, git } = await repository();
    git('checkout', '-q', '--detach');
    const context = await readLocalContext(join(dir));
    expect(context.repository).toBe(dir.split('/').pop());
    expect(context.branch).toBe('');
    expect(context.commit).toBe(git('rev-parse', 'HEAD'));
  });

  it('leaves the fields empty outside a checkout and without git', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-nogit-'));
    expect(await readLocalContext(dir, { PATH: dir })).toMatchObject({
      repository: '',
      branch: '',
      commit: '',
      provider: 'local',
    });
  });

  it('gives up on a git that hangs within its time bound', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'rma-hung-git-'));
    // A git that never answers, with a child that keeps the output pipe open.
    await writeFile(join(bin, 'git'), '#!/bin/sh\nsleep 10 &\nsleep 10\n');
    await chmod(join(bin, 'git'), 0o755);
    const started = Date.now();
    const context = await readLocalContext(bin, { PATH: `${bin}:/usr/bin:/bin` });
    const took = Date.now() - started;
    expect(context.commit).toBe('');
    expect(took).toBeLessThan(GIT_TIMEOUT_MS + 2_000);
  });
});

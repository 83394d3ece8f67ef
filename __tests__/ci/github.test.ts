import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pullRequestNumber } from '../../src/action/comment-step.js';
import { readEventPayload, readGithubContext } from '../../src/ci/github.js';

async function eventFile(payload: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'rma-event-')), 'event.json');
  await writeFile(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return file;
}

describe('the base branch a run is compared with', () => {
  it("is the pull request's base branch", async () => {
    const path = await eventFile({ repository: { default_branch: 'trunk' } });
    expect(
      readGithubContext({ GITHUB_BASE_REF: 'release/2.x', GITHUB_EVENT_PATH: path }).baseBranch,
    ).toBe('release/2.x');
  });

  it("is the repository's default branch from the event payload outside a pull request", async () => {
    const path = await eventFile({ repository: { default_branch: 'trunk' } });
    expect(readGithubContext({ GITHUB_BASE_REF: '', GITHUB_EVENT_PATH: path }).baseBranch).toBe(
      'trunk',
    );
  });

  it('is unknown without either, or with an unreadable payload', async () => {
    expect(readGithubContext({}).baseBranch).toBeUndefined();
    const broken = await eventFile('{not json');
    expect(readGithubContext({ GITHUB_EVENT_PATH: broken }).baseBranch).toBeUndefined();
    expect(readEventPayload({ GITHUB_EVENT_PATH: '/nonexistent/event.json' })).toEqual({});
  });
});

describe('pullRequestNumber', () => {
  it('reads the number of a pull_request payload, and nothing else', () => {
    expect(pullRequestNumber({ pull_request: { number: 7 } })).toBe(7);
    expect(pullRequestNumber({ issue: { number: 7 } })).toBeUndefined();
    expect(pullRequestNumber({ pull_request: { number: '7' } })).toBeUndefined();
  });
});

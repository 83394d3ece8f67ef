import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pullRequestNumber, readGithubContext as readCiContext } from '../../src/ci/github.js';
import {
  encodeGroupingValue,
  groupPath,
  lastSuccessGroupingKey,
  runGroupingKey,
} from '../../src/metrics/grouping.js';

describe('grouping', () => {
  const ci = readCiContext({
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_REF_NAME: 'feat/x y',
    GITHUB_WORKFLOW: 'Réliability',
    GITHUB_JOB: 'tests',
  });

  it('encodes every value as URL-safe base64, the empty value as =', () => {
    expect(encodeGroupingValue('')).toBe('=');
    expect(encodeGroupingValue('feat/x')).toBe('ZmVhdC94');
    expect(Buffer.from(encodeGroupingValue('a/b?c=d é'), 'base64url').toString()).toBe('a/b?c=d é');
    expect(encodeGroupingValue('~~~?')).not.toMatch(/[+/]/);
  });

  it('builds the run group from the CI context, suite and user labels', () => {
    const key = runGroupingKey(
      { jobName: 'reliability_tests', suite: 'unit', groupingLabels: { python: '3.12' } },
      ci,
    );
    expect(key).toEqual({
      job: 'reliability_tests',
      labels: {
        repository: 'acme/widgets',
        branch: 'feat/x y',
        workflow: 'Réliability',
        workflow_job: 'tests',
        suite: 'unit',
        python: '3.12',
      },
    });
    const path = groupPath(key);
    expect(path.startsWith('/metrics/job@base64/')).toBe(true);
    // No raw slash inside a value: every segment pair is name@base64/value.
    const segments = path.split('/').slice(2);
    expect(segments).toHaveLength(14);
    expect(segments.filter((_, i) => i % 2 === 0).every((s) => s.endsWith('@base64'))).toBe(true);
  });

  it('prefers the pull request source branch', () => {
    const pr = readCiContext({ GITHUB_HEAD_REF: 'feature/login', GITHUB_REF_NAME: '12/merge' });
    expect(pr.branch).toBe('feature/login');
  });

  it('keeps the last successful run in a group of its own', () => {
    const key = runGroupingKey({ jobName: 'j', suite: 's', groupingLabels: {} }, ci);
    expect(groupPath(lastSuccessGroupingKey(key))).not.toBe(groupPath(key));
    expect(lastSuccessGroupingKey(key).labels.record).toBe('last_success');
  });

  describe('runs of pull requests', () => {
    const settings = { jobName: 'reliability_tests', suite: 'default', groupingLabels: {} };
    const release = {
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_WORKFLOW: 'Reliability',
      GITHUB_JOB: 'tests',
    };

    it('get a group of their own: the head branch plus pull_request, never the branch group', () => {
      const push = runGroupingKey(
        settings,
        readCiContext({
          ...release,
          GITHUB_EVENT_NAME: 'push',
          GITHUB_REF: 'refs/heads/release/1.x',
          GITHUB_REF_NAME: 'release/1.x',
        }),
      );
      const pr = runGroupingKey(
        settings,
        readCiContext({
          ...release,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_REF: 'refs/pull/12/merge',
          GITHUB_REF_NAME: '12/merge',
          GITHUB_HEAD_REF: 'release/1.x',
        }),
      );
      expect(push.labels.pull_request).toBeUndefined();
      expect(pr.labels).toMatchObject({ branch: 'release/1.x', pull_request: '12' });
      expect(groupPath(pr)).not.toBe(groupPath(push));
      expect(groupPath(lastSuccessGroupingKey(pr))).not.toBe(
        groupPath(lastSuccessGroupingKey(push)),
      );
    });

    it('pull_request_target (ref of the base branch) takes the number from the event payload', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rma-event-'));
      const payload = join(dir, 'event.json');
      await writeFile(
        payload,
        JSON.stringify({ action: 'opened', number: 31, pull_request: { number: 31 } }),
      );
      const env = {
        ...release,
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_HEAD_REF: 'feature/x',
        GITHUB_EVENT_PATH: payload,
      };
      expect(runGroupingKey(settings, readCiContext(env)).labels).toMatchObject({
        branch: 'feature/x',
        pull_request: '31',
      });
      // A payload without a number (or none at all) still keeps the run out of the branch group.
      await writeFile(payload, '{}');
      expect(readCiContext(env).pullRequest).toBe('unknown');
      expect(
        readCiContext({ ...env, GITHUB_EVENT_PATH: join(dir, 'missing.json') }).pullRequest,
      ).toBe('unknown');
      expect(
        pullRequestNumber({ GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main' }),
      ).toBe('');
      expect(
        pullRequestNumber({
          GITHUB_EVENT_NAME: 'workflow_dispatch',
          GITHUB_REF: 'refs/pull/7/head',
        }),
      ).toBe('7');
    });
  });
});

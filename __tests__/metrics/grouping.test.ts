import { describe, expect, it } from 'vitest';
import { readGithubContext as readCiContext } from '../../src/ci/github.js';
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
});

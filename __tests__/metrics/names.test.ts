import { describe, expect, it } from 'vitest';
import { readGithubContext } from '../../src/ci/github.js';
import { buildMetrics } from '../../src/metrics/build-registry.js';
import { runGroupingKey } from '../../src/metrics/grouping.js';
import { RESERVED_LABEL_NAMES, RUN_INFO_LABEL_NAMES } from '../../src/metrics/names.js';
import { sampleRun } from '../helpers/sample-run.js';

describe('reserved label names', () => {
  it('cover every label of run_info, so that no grouping label can overwrite one', async () => {
    const built = buildMetrics({
      run: sampleRun(),
      ci: readGithubContext({ GITHUB_REPOSITORY: 'acme/widgets', GITHUB_SHA: 'abc' }),
      prefix: 'reliability_',
      maxTestSeries: 10,
      endedAt: 1,
    });
    const exposition = await built.registry.metrics();
    const line = exposition.split('\n').find((l) => l.startsWith('reliability_run_info{')) ?? '';
    const names = [...line.matchAll(/([a-z_]+)="/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(5);
    expect(names.sort()).toEqual([...RUN_INFO_LABEL_NAMES].sort());
    for (const name of names) expect(RESERVED_LABEL_NAMES.has(name ?? ''), name).toBe(true);
  });

  it('cover every label of the run group', () => {
    const key = runGroupingKey(
      { jobName: 'j', suite: 's', groupingLabels: {} },
      readGithubContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }),
    );
    for (const name of Object.keys(key.labels)) {
      expect(RESERVED_LABEL_NAMES.has(name), name).toBe(true);
    }
  });
});

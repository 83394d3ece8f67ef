import { describe, expect, it } from 'vitest';
import { dashboardLink } from '../../src/metrics/dashboard-link.js';
import { sampleRun } from '../helpers/sample-run.js';

const labels = {
  repository: 'acme/widgets',
  branch: 'release/1.x',
  workflow: 'Reliability',
  workflow_job: 'tests',
  suite: 'default',
};

describe('dashboardLink', () => {
  it('opens the overview on the run’s branch, among branch runs', () => {
    const link = new URL(
      dashboardLink(new URL('https://grafana.example/'), { job: 'j', labels }, sampleRun()),
    );
    expect(link.pathname).toBe('/d/reliability-overview');
    expect(link.searchParams.get('var-branch')).toBe('release/1.x');
    expect(link.searchParams.get('var-runs')).toBeNull(); // the dashboards' default: branch runs
  });

  it('opens a pull request’s run among pull requests', () => {
    const key = { job: 'j', labels: { ...labels, pull_request: '12' } };
    const link = new URL(dashboardLink(new URL('https://grafana.example/g'), key, sampleRun()));
    expect(link.pathname).toBe('/g/d/reliability-overview');
    expect(link.searchParams.get('var-runs')).toBe('.+');
    expect(link.searchParams.get('var-branch')).toBe('release/1.x');
  });
});

/**
 * Runs of a base branch for comparison tests: this project's own metrics builder turns a sample
 * run into the registry a real run pushes, in the Pushgateway shape (PUT, then scraped) or the
 * one-point-per-run shape (samples with the run's end time).
 */
import type { CiContext } from '../../src/ci/context.js';
import { buildMetrics } from '../../src/metrics/build-registry.js';
import { runGroupingKey, type GroupingKey } from '../../src/metrics/grouping.js';
import type { Figure, RunResult } from '../../src/model.js';
import { sampleRun } from './sample-run.js';

/** CI context of a run on `branch`. */
export function ciOn(branch: string, runId: string): CiContext {
  return {
    provider: 'github-actions',
    repository: 'acme/widgets',
    branch,
    workflow: 'Reliability',
    workflowJob: 'reliability-tests',
    commit: `c0ffee${runId}`,
    runId,
    runAttempt: '1',
    runNumber: runId,
    event: 'push',
    ref: `refs/heads/${branch}`,
    pullRequest: '',
    actor: 'octocat',
    runnerOs: 'Linux',
    workspace: '/tmp',
    runnerTemp: '/tmp',
  };
}

/** The grouping key of the sample suite on `branch`. */
export function keyOn(branch: string): GroupingKey {
  return runGroupingKey(
    { jobName: 'reliability_tests', suite: 'default', groupingLabels: {} },
    ciOn(branch, '1'),
  );
}

/** A sample run whose observe_decorator p95 latency is `p95` seconds. */
export function runWithP95(p95: number, overrides: Partial<RunResult> = {}): RunResult {
  const run = sampleRun(overrides);
  const figures: Figure[] = [...run.figures].map((figure) =>
    figure.kind === 'latency' && figure.stat === 'p95' ? { ...figure, value: p95 } : figure,
  );
  return { ...run, figures };
}

/** The exposition text the action would push for `run`. */
export async function exposition(
  run: RunResult,
  branch: string,
  runId: string,
  endedAt: number,
): Promise<string> {
  const built = buildMetrics({
    run,
    ci: ciOn(branch, runId),
    prefix: 'reliability_',
    maxTestSeries: 500,
    endedAt,
  });
  return built.registry.metrics();
}

/** The same text with every sample stamped at `endedAt` (milliseconds), as one point per run. */
export function stamped(text: string, endedAt: number, key: GroupingKey): string {
  const group = [['job', key.job], ...Object.entries(key.labels)]
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',');
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const brace = line.indexOf('{');
      const space = line.lastIndexOf(' ');
      const name = brace >= 0 && brace < space ? line.slice(0, brace) : line.slice(0, space);
      const labels =
        brace >= 0 && brace < space ? line.slice(brace + 1, line.lastIndexOf('}')) : '';
      const all = labels === '' ? group : `${labels},${group}`;
      return `${name}{${all}} ${line.slice(space + 1)} ${Math.round(endedAt * 1000)}`;
    })
    .join('\n');
}

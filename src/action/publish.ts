/** What the run hands back to the workflow: warnings, annotations, outputs, the job summary. */
import * as core from '@actions/core';
import { relative, resolve } from 'node:path';
import type { CiContext } from '../ci/context.js';
import { FAILING_STATUSES, type RunResult } from '../model.js';
import type { RunOptions } from '../pipeline/options.js';
import type { SuiteResult } from '../pipeline/run-suite.js';
import { redact } from '../pipeline/secrets.js';
import { summarize } from '../pipeline/summarize.js';
import { orWarn } from '../pipeline/warnings.js';

/** GitHub shows at most 10 error annotations per step. */
export const MAX_ANNOTATIONS = 10;

/** Sets the step's outputs (docs/architecture.md, "Outputs"). */
export function setOutputs(run: RunResult, pushed: boolean, metricsFile: string): void {
  const count = (statuses: readonly string[]): number =>
    run.tests.filter((t) => statuses.includes(t.status)).length;
  core.setOutput('exit-code', run.exitCode);
  core.setOutput('tests-total', run.tests.length);
  core.setOutput('tests-passed', count(['passed']));
  core.setOutput('tests-failed', count(['failed', 'error']));
  core.setOutput('tests-skipped', count(['skipped']));
  core.setOutput('duration-seconds', Number(run.durationSeconds.toFixed(3)));
  core.setOutput('peak-memory-bytes', run.resources.peakRssBytes);
  core.setOutput('cpu-mean-percent', Number(run.resources.meanCpuPercent.toFixed(1)));
  core.setOutput('pushed', pushed);
  core.setOutput('metrics-file', metricsFile);
}

/** One error annotation per failing test, within GitHub's per-step limit. */
export function annotateFailures(run: RunResult, cwd: string, workspace: string): void {
  // The same test failing the same way twice (duplicate ids in a report) is one annotation.
  const seen = new Set<string>();
  const failing = run.tests.filter((t) => {
    const key = `${t.id}\u0000${t.message ?? ''}`;
    if (!FAILING_STATUSES.has(t.status) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const test of failing.slice(0, MAX_ANNOTATIONS)) {
    const properties: core.AnnotationProperties = {
      title: `${test.status}: ${test.id}`.slice(0, 255),
    };
    if (test.file !== undefined) {
      properties.file = relative(workspace, resolve(cwd, test.file));
      if (test.line !== undefined) properties.startLine = test.line;
    }
    core.error((test.message ?? `${test.id} ${test.status}`).slice(0, 4000), properties);
  }
  if (failing.length > MAX_ANNOTATIONS) {
    core.error(`${failing.length - MAX_ANNOTATIONS} more failing tests: see the job summary.`);
  }
}

/** Writes the summary; outside a runner (no GITHUB_STEP_SUMMARY) prints it instead. */
export async function writeSummary(markdown: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY === undefined || process.env.GITHUB_STEP_SUMMARY === '') {
    core.info(markdown);
    return;
  }
  await core.summary.addRaw(markdown).write();
}

/**
 * Hands the run to the workflow: each warning as a warning annotation, failing tests as error
 * annotations, the outputs, the job summary. Never throws: a summary that cannot be written is
 * one more warning, and the verdict still comes out.
 */
export async function publish(
  result: SuiteResult,
  options: Pick<RunOptions, 'grafanaUrl'>,
  ci: CiContext,
  secrets: readonly string[],
  notice?: string,
): Promise<void> {
  const { run, cwd, delivery, metrics, comparison } = result;
  for (const warning of run.warnings) core.warning(redact(warning, secrets));
  annotateFailures(run, cwd, ci.workspace);
  setOutputs(run, delivery.pushed, metrics.file);
  core.setOutput('regressions', comparison.regressions);
  core.setOutput('improvements', comparison.improvements);
  core.setOutput('budget-breaches', comparison.failBreaches + comparison.warnBreaches);
  core.setOutput('comparison-file', comparison.file ?? '');
  const summary = summarize(result, options, ci.runUrl, notice);
  const written = await orWarn(
    'Writing the job summary',
    () => writeSummary(redact(summary, secrets)),
    undefined,
  );
  for (const warning of written.warnings) core.warning(redact(warning, secrets));
}

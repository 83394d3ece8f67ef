/** What the run hands back to the workflow: warnings, annotations, outputs, the job summary. */
import * as core from '@actions/core';
import { relative, resolve } from 'node:path';
import type { CiContext } from '../ci/context.js';
import {
  countByStatus,
  FAILING_STATUSES,
  outputCounts,
  rowsWithStatus,
  type RunResult,
  type TestCase,
} from '../model.js';
import { countDistinctKeys } from '../tables/distinct-keys.js';
import type { RunOptions } from '../pipeline/options.js';
import type { SuiteResult } from '../pipeline/run-suite.js';
import { redact } from '../pipeline/secrets.js';
import { summarize } from '../pipeline/summarize.js';
import { orWarn } from '../pipeline/warnings.js';

/** GitHub shows at most 10 error annotations per step. */
export const MAX_ANNOTATIONS = 10;

/**
 * Sets the step's outputs (docs/architecture.md, "Outputs"). The test counts add up:
 * `tests-total = tests-passed + tests-failed + tests-skipped + tests-flaky + tests-xfailed +
 * tests-other`, `tests-failed` holding every failing status (failed, error, xpassed).
 */
export function setOutputs(run: RunResult, pushed: boolean, metricsFile: string): void {
  const counts = outputCounts(countByStatus(run.tests));
  core.setOutput('exit-code', run.exitCode);
  core.setOutput('tests-total', counts.total);
  core.setOutput('tests-passed', counts.passed);
  core.setOutput('tests-failed', counts.failed);
  core.setOutput('tests-skipped', counts.skipped);
  core.setOutput('tests-flaky', counts.flaky);
  core.setOutput('tests-xfailed', counts.xfailed);
  core.setOutput('tests-other', counts.other);
  core.setOutput('duration-seconds', Number(run.durationSeconds.toFixed(3)));
  core.setOutput('peak-memory-bytes', run.resources.peakRssBytes);
  core.setOutput('cpu-mean-percent', Number(run.resources.meanCpuPercent.toFixed(1)));
  core.setOutput('pushed', pushed);
  core.setOutput('metrics-file', metricsFile);
}

/** One error annotation per failing test, within GitHub's per-step limit. */
export function annotateFailures(run: RunResult, cwd: string, workspace: string): void {
  // The same test failing the same way twice (duplicate ids in a report) is one annotation.
  const { tests } = run;
  const keyOf = (row: number): string => {
    const test = tests.at(row) as TestCase;
    return `${test.id}\u0000${test.message ?? ''}`;
  };
  const failing = rowsWithStatus(tests, (status) => FAILING_STATUSES.has(status));
  const shownKeys = new Set<string>();
  const shown: TestCase[] = [];
  for (const row of failing) {
    if (shown.length === MAX_ANNOTATIONS) break;
    const key = keyOf(row);
    if (shownKeys.has(key)) continue;
    shownKeys.add(key);
    shown.push(tests.at(row) as TestCase);
  }
  for (const test of shown) {
    const properties: core.AnnotationProperties = {
      title: `${test.status}: ${test.id}`.slice(0, 255),
    };
    if (test.file !== undefined) {
      properties.file = relative(workspace, resolve(cwd, test.file));
      if (test.line !== undefined) properties.startLine = test.line;
    }
    core.error((test.message ?? `${test.id} ${test.status}`).slice(0, 4000), properties);
  }
  const distinct =
    shown.length < MAX_ANNOTATIONS
      ? shown.length
      : countDistinctKeys(failing.length, (index) => keyOf(failing[index] as number));
  if (distinct > MAX_ANNOTATIONS) {
    core.error(`${distinct - MAX_ANNOTATIONS} more failing tests: see the job summary.`);
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
  const { cwd, delivery, metrics, comparison } = result;
  // An unwritable GITHUB_OUTPUT (a full disk, a bad path) costs the outputs, not the summary or
  // the verdict: it is one more warning, shown in the summary too.
  const outputs = await orWarn(
    `Setting the outputs (GITHUB_OUTPUT=${process.env.GITHUB_OUTPUT ?? ''})`,
    () => {
      setOutputs(result.run, delivery.pushed, metrics.file);
      core.setOutput('regressions', comparison.regressions);
      core.setOutput('improvements', comparison.improvements);
      core.setOutput('budget-breaches', comparison.failBreaches + comparison.warnBreaches);
      core.setOutput('comparison-file', comparison.file ?? '');
      return Promise.resolve();
    },
    undefined,
  );
  const run = { ...result.run, warnings: [...result.run.warnings, ...outputs.warnings] };
  for (const warning of run.warnings) core.warning(redact(warning, secrets));
  annotateFailures(run, cwd, ci.workspace);
  const summary = summarize({ ...result, run }, options, ci.runUrl, notice);
  const written = await orWarn(
    'Writing the job summary',
    () => writeSummary(redact(summary, secrets)),
    undefined,
  );
  for (const warning of written.warnings) core.warning(redact(warning, secrets));
}

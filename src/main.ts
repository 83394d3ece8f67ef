/** Orchestrates one run: inputs, gateway check, command, reports, metrics, push, summary, verdict. */
import * as core from '@actions/core';
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { onCancellation } from './cancellation.js';
import { readCiContext, runUrl } from './ci-context.js';
import { readInputs, secretsOf, type Inputs } from './inputs.js';
import { buildMetrics, countSeries, isSuccess } from './metrics/build-registry.js';
import { dashboardLink } from './metrics/dashboard-link.js';
import { describeGroupingKey, groupPath, lastSuccessGroupingKey, runGroupingKey } from './metrics/grouping.js';
import { DEFAULT_PUSH_POLICY, pushGroup, waitUntilReady, type GatewayTarget, type PushResult, type ReadyResult } from './metrics/pushgateway.js';
import type { RunResult } from './model.js';
import { annotateFailures, setOutputs, writeSummary } from './publish.js';
import { collectReports, DEFAULT_REPORT_PATTERNS } from './reports/collect.js';
import { runCommand } from './runner/run-command.js';
import { redact, urlCredentials } from './secrets.js';
import { render } from './summary/render.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Runs the action; every failure ends in core.setFailed with a message a user can act on. */
export async function run(): Promise<void> {
  const secrets = urlCredentials(core.getInput('pushgateway-url'));
  try {
    secrets.forEach((secret) => core.setSecret(secret));
    const inputs = readInputs((name) => core.getInput(name));
    for (const secret of secretsOf(inputs)) {
      core.setSecret(secret);
      secrets.push(secret);
    }
    await runWith(inputs, secrets);
  } catch (error) {
    core.setFailed(redact(error instanceof Error ? error.message : String(error), secrets));
  }
}

async function runWith(inputs: Inputs, secrets: readonly string[]): Promise<void> {
  const ci = readCiContext();
  const cwd = resolve(ci.workspace, inputs.workingDirectory);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new Error(`Input 'working-directory': ${cwd} is not a directory: check the path (relative to the workspace).`);
  }
  const target: GatewayTarget | undefined = inputs.pushgatewayUrl && { url: inputs.pushgatewayUrl, auth: inputs.auth };
  const gateway = target?.url.href.replace(/\/$/, '');

  let ready: ReadyResult | undefined;
  if (target !== undefined) {
    ready = await waitUntilReady(target, inputs.gatewayWaitSeconds);
    if (ready.ready) core.info(`Pushgateway ${gateway} is ready (${seconds(ready.durationMs)}).`);
    else {
      const message = `Pushgateway ${gateway} did not answer /-/ready within ${inputs.gatewayWaitSeconds} s: ${ready.error ?? ''}`;
      if (inputs.gatewayRequired) throw new Error(`${message}. gateway-required is true, so the tests were not run.`);
      core.warning(`${message}. The tests run anyway; the metrics are written to the metrics file.`);
    }
  }

  const cancellation = onCancellation((message) => core.warning(message));
  core.startGroup(`Running: ${inputs.command}`);
  const commandRun = await runCommand({
    command: inputs.command,
    cwd,
    sampleIntervalMs: inputs.sampleIntervalMs,
    timeoutMs: inputs.timeoutMs,
    signal: cancellation.signal,
  });
  core.endGroup();
  const cancelled = cancellation.signal.aborted;
  core.info(`Command ended with exit code ${commandRun.exitCode} after ${commandRun.durationSeconds.toFixed(2)} s.`);

  const parseStart = Date.now();
  const explicit = inputs.reportPatterns.length > 0;
  const collected = await collectReports({
    patterns: explicit ? [...inputs.reportPatterns] : [...DEFAULT_REPORT_PATTERNS],
    cwd,
    format: inputs.reportFormat,
    ...(explicit ? {} : { modifiedSince: commandRun.startedAt * 1000 - 1000 }),
  });
  const warnings = [...collected.warnings];
  if (commandRun.spawnError !== undefined) warnings.unshift(commandRun.spawnError);
  if (commandRun.timedOut) warnings.unshift(`The command was ended after timeout-minutes (${inputs.timeoutMs / 60_000} min).`);
  const run: RunResult = { ...commandRun, tests: collected.tests, figures: collected.figures, reports: collected.reports, warnings };
  core.info(`Parsed ${run.reports.length} report file(s): ${run.tests.length} tests, ${run.figures.length} figures (${seconds(Date.now() - parseStart)}).`);

  const built = buildMetrics({ run, ci, prefix: inputs.metricPrefix, maxTestSeries: inputs.maxTestSeries, endedAt: Date.now() / 1000 });
  const exposition = await built.registry.metrics();
  const metricsFile = resolve(cwd, inputs.metricsFile || join(ci.runnerTemp || cwd, 'reliability-metrics.prom'));
  await mkdir(dirname(metricsFile), { recursive: true });
  await writeFile(metricsFile, exposition);

  const key = runGroupingKey(inputs, ci);
  const pushes: PushResult[] = [];
  if (target !== undefined) {
    // After a failed readiness check or a cancellation, try briefly: the step must not hang.
    const policy = cancelled || ready?.ready === false
      ? { ...DEFAULT_PUSH_POLICY, attemptTimeoutMs: 3_000, totalTimeoutMs: 5_000, maxAttempts: 2 }
      : DEFAULT_PUSH_POLICY;
    const runPush = await pushGroup(target, groupPath(key), exposition, policy);
    pushes.push(runPush);
    if (runPush.ok && built.lastSuccess !== undefined) {
      pushes.push(await pushGroup(target, groupPath(lastSuccessGroupingKey(key)), await built.lastSuccess.metrics(), policy));
    }
    for (const push of pushes) {
      if (push.ok) core.info(`Pushed ${push.path} (${push.bytes} bytes, ${push.attempts} attempt(s), ${seconds(push.durationMs)}).`);
      else core.warning(redact(`Could not push the metrics to ${gateway}: ${push.error ?? ''}. They are in ${metricsFile}.`, secrets));
    }
  }
  const pushed = pushes.length > 0 && pushes.every((push) => push.ok);

  for (const warning of warnings) core.warning(redact(warning, secrets));
  annotateFailures(run, cwd, ci.workspace);
  setOutputs(run, pushed, metricsFile);
  const summary = render({
    run,
    ...(gateway !== undefined ? { gateway } : {}),
    ...(ready !== undefined ? { ready } : {}),
    pushes,
    grouping: describeGroupingKey(key),
    series: countSeries(exposition),
    bytes: Buffer.byteLength(exposition),
    metricsFile,
    droppedTests: built.droppedTests,
    droppedFigures: built.droppedFigures,
    ...optional('grafanaLink', inputs.grafanaUrl && dashboardLink(inputs.grafanaUrl, key, run)),
    ...optional('runLink', runUrl(ci)),
  });
  await writeSummary(redact(summary, secrets));
  cancellation.dispose();

  const failures: string[] = [];
  if (inputs.failOnTestFailure && !isSuccess(run)) failures.push(verdictMessage(run));
  if (inputs.failOnPushError && target !== undefined && !pushed) failures.push('The metrics could not be pushed (fail-on-push-error is true).');
  const reportErrors = run.reports.filter((report) => report.error !== undefined).length;
  if (inputs.failOnReportError && (reportErrors > 0 || run.reports.length === 0)) {
    failures.push(reportErrors > 0 ? `${reportErrors} report file(s) could not be parsed (fail-on-report-error is true).` : 'No report file was found (fail-on-report-error is true).');
  }
  if (failures.length > 0) core.setFailed(redact(failures.join(' '), secrets));
}

function optional<K extends string>(name: K, value: string | undefined | ''): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [name]: value } as Record<K, string>);
}

function verdictMessage(run: RunResult): string {
  if (run.cancelled) return 'The run was cancelled.';
  if (run.timedOut) return `The test command timed out after ${run.durationSeconds.toFixed(0)} s.`;
  if (run.signal !== undefined) return `The test command was ended by ${run.signal} (exit code ${run.exitCode}).`;
  return `The test command failed with exit code ${run.exitCode}.`;
}

/** Orchestrates one run: inputs, gateway check, command, reports, metrics, push, summary, verdict. */
import * as core from '@actions/core';
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { onCancellation } from './cancellation.js';
import { readCiContext, runUrl } from './ci-context.js';
import { readInputs, secretsOf, type Inputs } from './inputs.js';
import { buildMetrics, countSeries } from './metrics/build-registry.js';
import { dashboardLink } from './metrics/dashboard-link.js';
import { describeGroupingKey, runGroupingKey } from './metrics/grouping.js';
import type { GatewayTarget, PushResult, ReadyResult } from './metrics/pushgateway.js';
import type { RunResult } from './model.js';
import { annotateFailures, setOutputs, writeSummary } from './publish.js';
import { checkGateway, displayUrl, pushRun } from './push-metrics.js';
import { collectReports, DEFAULT_REPORT_PATTERNS } from './reports/collect.js';
import { runCommand } from './runner/run-command.js';
import { redact, urlCredentials } from './secrets.js';
import { render } from './summary/render.js';
import { stepFailures } from './verdict.js';
import { orWarn, reportWarning } from './warnings.js';

/** Runs the action; every failure ends in core.setFailed with a message a user can act on. */
export async function run(): Promise<void> {
  const secrets = urlCredentials(core.getInput('pushgateway-url'));
  // A stray rejection must not end the process before the command's verdict is reported.
  process.on('unhandledRejection', (reason) => {
    core.warning(redact(`Internal error, ignored: ${String(reason)}`, secrets));
  });
  try {
    for (const secret of secrets) core.setSecret(secret);
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
    throw new Error(`Input 'working-directory': ${cwd} is not a directory: check the path.`);
  }
  const target: GatewayTarget | undefined = inputs.pushgatewayUrl && {
    url: inputs.pushgatewayUrl,
    auth: inputs.auth,
  };
  const ready: ReadyResult | undefined = target && (await checkGateway(target, inputs));

  const cancellation = onCancellation((message) => {
    core.warning(message);
  });
  core.startGroup(`Running: ${inputs.command}`);
  const commandRun = await runCommand({
    command: inputs.command,
    cwd,
    sampleIntervalMs: inputs.sampleIntervalMs,
    timeoutMs: inputs.timeoutMs,
    signal: cancellation.signal,
  });
  core.endGroup();
  core.info(
    `Command ended with exit code ${commandRun.exitCode} after ${commandRun.durationSeconds.toFixed(2)} s.`,
  );

  // From here on nothing may cost the command's verdict: a failing step becomes a warning.
  const warnings: string[] = [];
  const readStarted = Date.now();
  const explicit = inputs.reportPatterns.length > 0;
  const collected = await orWarn(
    warnings,
    'Reading the reports',
    () =>
      collectReports({
        patterns: [...(explicit ? inputs.reportPatterns : DEFAULT_REPORT_PATTERNS)],
        cwd,
        format: inputs.reportFormat,
        ...(explicit ? {} : { modifiedSince: commandRun.startedAt * 1000 - 1000 }),
      }),
    { tests: [], figures: [], reports: [], warnings: [] },
  );
  const { spawnError, ...outcome } = commandRun;
  warnings.push(
    ...(spawnError !== undefined ? [spawnError] : []),
    ...(commandRun.timedOut ? [`The command was ended after timeout-minutes.`] : []),
    ...collected.warnings,
    ...collected.reports.flatMap((r) => (r.error === undefined ? [] : [reportWarning(r)])),
  );
  const run: RunResult = { ...outcome, ...collected, warnings };
  core.info(
    `Read ${run.reports.length} report file(s): ${run.tests.length} tests, ${run.figures.length} figures (${((Date.now() - readStarted) / 1000).toFixed(2)} s).`,
  );

  const endedAt = Date.now() / 1000;
  const { metricPrefix: prefix, maxTestSeries } = inputs;
  const built = buildMetrics({ run, ci, prefix, maxTestSeries, endedAt });
  const exposition = await built.registry.metrics();
  const series = countSeries(exposition);
  const metricsFile = resolve(
    cwd,
    inputs.metricsFile || join(ci.runnerTemp || cwd, 'reliability-metrics.prom'),
  );
  await orWarn(
    warnings,
    `Writing metrics-file ${metricsFile}`,
    async () => {
      await mkdir(dirname(metricsFile), { recursive: true });
      await writeFile(metricsFile, exposition);
      core.info(`Wrote ${series} series to ${metricsFile}.`);
    },
    undefined,
  );

  const key = runGroupingKey(inputs, ci);
  const hurry = cancellation.signal.aborted || ready?.ready === false;
  const pushOptions = { timeoutSeconds: inputs.pushTimeoutSeconds, hurry };
  const pushes: PushResult[] = target
    ? await pushRun(target, key, built, exposition, pushOptions)
    : [];
  const pushed = pushes.length > 0 && pushes.every((push) => push.ok);
  pushes.forEach((push, index) => {
    if (push.ok || target === undefined) return;
    const what = index === 0 ? 'the metrics' : 'the last-success group';
    warnings.push(
      `Could not push ${what} to ${displayUrl(target)}: ${push.error ?? ''}. The metrics are in ${metricsFile}.`,
    );
  });

  for (const warning of warnings) core.warning(redact(warning, secrets));
  const reported = warnings.length;
  annotateFailures(run, cwd, ci.workspace);
  setOutputs(run, pushed, metricsFile);
  const grafanaLink = inputs.grafanaUrl && dashboardLink(inputs.grafanaUrl, key, run);
  const runLink = runUrl(ci);
  const summary = render({
    run,
    pushes,
    grouping: describeGroupingKey(key),
    series,
    bytes: Buffer.byteLength(exposition),
    metricsFile,
    droppedTests: built.droppedTests,
    droppedFigures: built.droppedFigures,
    ...(target && { gateway: displayUrl(target) }),
    ...(ready && { ready }),
    ...(grafanaLink && { grafanaLink }),
    ...(runLink && { runLink }),
  });
  await orWarn(
    warnings,
    'Writing the job summary',
    () => writeSummary(redact(summary, secrets)),
    undefined,
  );
  for (const warning of warnings.slice(reported)) core.warning(redact(warning, secrets));
  cancellation.dispose();

  const failures = stepFailures(inputs, run, pushed);
  if (failures.length > 0) core.setFailed(redact(failures.join(' '), secrets));
}

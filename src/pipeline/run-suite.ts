/**
 * One run of a test suite, as a sequence of phases: check the targets, run the command while
 * sampling its process tree, read its reports, build and write the metrics, send them. Each phase
 * returns what it found, its warnings included. Nothing here knows of GitHub or of a terminal:
 * the adapters (`src/action/`, `src/cli/`) give the options, the CI context and a log, and
 * publish the result their own way.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CiContext } from '../ci/context.js';
import { buildMetrics, countSeries, type BuiltMetrics } from '../metrics/build-registry.js';
import { runGroupingKey, type GroupingKey } from '../metrics/grouping.js';
import type { RunResult } from '../model.js';
import {
  collectReports,
  DEFAULT_REPORT_PATTERNS,
  type CollectedReports,
} from '../reports/collect.js';
import { leftRunningWarning, runCommand, type CommandRun } from '../runner/run-command.js';
import { compareRun, loadBudgets, type ComparisonResult } from './compare.js';
import type { Log } from './log.js';
import { OptionError, type RunOptions } from './options.js';
import { deliver, prepareTargets, type Delivery } from './targets.js';
import { orWarn, reportWarning } from './warnings.js';
import { FigureTable } from '../tables/figure-table.js';
import { TestTable } from '../tables/test-table.js';

/** What the adapter gives the core besides the options. */
export interface SuiteEnvironment {
  readonly ci: CiContext;
  readonly log: Log;
  /** Aborted on cancellation: the command's tree is ended and every later phase hurries. */
  readonly signal: AbortSignal;
  /**
   * The test command's environment: the adapter decides (the action gives what a `run:` step
   * would see, `runStepEnvironment`), never the adapter's own with its inputs and tokens.
   */
  readonly commandEnv: NodeJS.ProcessEnv;
}

/** The metrics of a run as built, and where they were written. */
export interface WrittenMetrics {
  readonly built: BuiltMetrics;
  readonly exposition: string;
  readonly series: number;
  readonly bytes: number;
  /** Absolute path of the exposition text (written unless a warning says otherwise). */
  readonly file: string;
  /** Unix seconds the run ended. */
  readonly endedAt: number;
  readonly warnings: readonly string[];
}

/** Everything one run learned and did. */
export interface SuiteResult {
  /** The run, with every warning of every phase. */
  readonly run: RunResult;
  /** Where the command ran. */
  readonly cwd: string;
  readonly key: GroupingKey;
  readonly metrics: WrittenMetrics;
  readonly delivery: Delivery;
  /** The comparison with the base branch and the budgets' results. */
  readonly comparison: ComparisonResult;
}

/** Resolves the working directory against the checkout; a missing one is an input error. */
export function workingDirectory(options: RunOptions, ci: CiContext): string {
  const cwd = resolve(ci.workspace, options.workingDirectory);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new OptionError('working-directory', `${cwd} is not a directory: check the path.`);
  }
  return cwd;
}

/** The outcome of a command cancelled before it started: 128 + the signal, as a shell says. */
function notStarted(command: string, signal: AbortSignal): CommandRun {
  const reason: unknown = signal.reason;
  const name = typeof reason === 'string' && reason in constants.signals ? reason : 'SIGINT';
  return {
    command,
    startedAt: Date.now() / 1000,
    exitCode: 128 + constants.signals[name as NodeJS.Signals],
    timedOut: false,
    cancelled: true,
    durationSeconds: 0,
    resources: {
      samples: [],
      peakRssBytes: 0,
      memoryGrowthBytes: 0,
      meanCpuPercent: 0,
      maxCpuPercent: 0,
      cpuSeconds: 0,
    },
    leftRunning: [],
  };
}

/** Phase: the command, with its process tree sampled. */
async function runTests(
  options: RunOptions,
  cwd: string,
  env: SuiteEnvironment,
): Promise<CommandRun> {
  if (env.signal.aborted) {
    // Cancelled while the targets were checked: the command is not started at all.
    env.log.info('The run was cancelled before the command started: it was not run.');
    return notStarted(options.command, env.signal);
  }
  const run = await env.log.group(`Running: ${options.command}`, () =>
    runCommand({
      command: options.command,
      cwd,
      sampleIntervalMs: options.sampleIntervalMs,
      timeoutMs: options.timeoutMs,
      signal: env.signal,
      env: env.commandEnv,
    }),
  );
  env.log.info(
    `Command ended with exit code ${run.exitCode} after ${run.durationSeconds.toFixed(2)} s.`,
  );
  return run;
}

/** Phase: the reports the command wrote (explicit patterns, or what it wrote under cwd). */
async function readReports(
  options: RunOptions,
  cwd: string,
  command: CommandRun,
  env: SuiteEnvironment,
): Promise<CollectedReports> {
  const { log, signal } = env;
  const started = Date.now();
  const explicit = options.reportPatterns.length > 0;
  const { value, warnings } = await orWarn(
    'Reading the reports',
    () =>
      collectReports({
        patterns: [...(explicit ? options.reportPatterns : DEFAULT_REPORT_PATTERNS)],
        cwd,
        format: options.reportFormat,
        signal,
        ...(explicit ? {} : { modifiedSince: command.startedAt * 1000 - 1000 }),
      }),
    { tests: new TestTable(), figures: new FigureTable(), reports: [], warnings: [] },
  );
  log.info(
    `Read ${value.reports.filter((r) => r.unmatchedPattern !== true).length} report file(s): ${value.tests.length} tests, ${value.figures.length} figures (${((Date.now() - started) / 1000).toFixed(2)} s).`,
  );
  const unusable = value.reports.flatMap((r) => (r.error === undefined ? [] : [reportWarning(r)]));
  return { ...value, warnings: [...warnings, ...value.warnings, ...unusable] };
}

/** Phase: the metrics in a fresh registry, written to the metrics file whatever happens next. */
async function writeMetrics(
  options: RunOptions,
  run: RunResult,
  ci: CiContext,
  cwd: string,
  log: Log,
): Promise<WrittenMetrics> {
  const endedAt = run.startedAt + run.durationSeconds;
  const built = buildMetrics({
    run,
    ci,
    prefix: options.metricPrefix,
    maxTestSeries: options.maxTestSeries,
    endedAt,
  });
  const exposition = await built.registry.metrics();
  const series = countSeries(exposition);
  const file = resolve(
    cwd,
    options.metricsFile || join(ci.runnerTemp || cwd, 'reliability-metrics.prom'),
  );
  const { warnings } = await orWarn(
    `Writing metrics-file ${file}`,
    async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, exposition);
      log.info(`Wrote ${series} series to ${file}.`);
    },
    undefined,
  );
  const bytes = Buffer.byteLength(exposition);
  return { built, exposition, series, bytes, file, endedAt, warnings };
}

/**
 * Runs the suite: every phase, in order. Throws only before the command runs (a required
 * target that does not answer); after it, every failure is a warning in the result, so that
 * the command's verdict always comes out.
 */
export async function runSuite(options: RunOptions, env: SuiteEnvironment): Promise<SuiteResult> {
  const { ci, log } = env;
  const started = Date.now();
  const phase = (name: string): void => {
    log.debug(`Phase: ${name} (${((Date.now() - started) / 1000).toFixed(2)} s into the run)`);
  };
  const cwd = workingDirectory(options, ci);
  // An invalid budgets file fails here, before the command runs.
  const budgets = await loadBudgets(options.compare, options.metricPrefix, cwd);
  phase('check the targets');
  const targets = await prepareTargets(options, log, env.signal);
  phase('run the command');
  const command = await runTests(options, cwd, env);
  phase('read the reports');
  const reports = await readReports(options, cwd, command, env);

  const { spawnError, leftRunning, ...outcome } = command;
  const left = leftRunningWarning(leftRunning);
  const commandWarnings = [
    ...(spawnError !== undefined ? [spawnError] : []),
    ...(left !== undefined ? [left] : []),
    ...(command.timedOut ? ['The command was ended after timeout-minutes.'] : []),
  ];
  const measured: RunResult = {
    ...outcome,
    tests: reports.tests,
    figures: reports.figures,
    reports: reports.reports,
    warnings: [...targets.warnings, ...commandWarnings, ...reports.warnings],
  };
  phase('build and write the metrics');
  const metrics = await writeMetrics(options, measured, ci, cwd, log);
  const key = runGroupingKey(options, ci);
  phase('send the metrics and compare with the baseline');
  const [delivery, comparison] = await Promise.all([
    deliver(
      targets,
      {
        key,
        built: metrics.built,
        exposition: metrics.exposition,
        metricsFile: metrics.file,
        endedAt: metrics.endedAt,
        hurry: env.signal.aborted,
        signal: env.signal,
      },
      options,
      log,
    ),
    compareRun(options.compare, {
      run: measured,
      built: metrics.built,
      key,
      prefix: options.metricPrefix,
      ...(budgets && { budgets }),
      ci,
      cwd,
      log,
    }),
  ]);
  const run: RunResult = {
    ...measured,
    warnings: [
      ...measured.warnings,
      ...metrics.warnings,
      ...delivery.warnings,
      ...comparison.warnings,
    ],
  };
  phase('done');
  return { run, cwd, key, metrics, delivery, comparison };
}

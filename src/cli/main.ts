/**
 * The command: flags and the CI's environment in, the core's run, then what a terminal and a CI
 * get back (a short summary, the Markdown summary file, the CI's own summary) and the exit code.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CiContext } from '../ci/context.js';
import { detectCi } from '../ci/detect.js';
import { isSuccess, type RunResult } from '../model.js';
import { onCancellation } from '../pipeline/cancellation.js';
import { OptionError, readOptions, secretsOf, type RunOptions } from '../pipeline/options.js';
import { runSuite } from '../pipeline/run-suite.js';
import { redact, urlCredentials } from '../pipeline/secrets.js';
import { summarize } from '../pipeline/summarize.js';
import { suiteFailures } from '../pipeline/verdict.js';
import { runStepEnvironment } from '../runner/step-environment.js';
import { orWarn } from '../pipeline/warnings.js';
import { ACTION_VERSION } from '../version.js';
import { parseInvocation, UsageError } from './args.js';
import { INPUT_FLAGS } from './flags.js';
import { helpText } from './help.js';
import { terminalSummary } from './report.js';
import { styleFor, terminalLog, wantsColour, type TerminalLog } from './terminal.js';

/** Exit code of an invalid command line. */
export const USAGE_EXIT_CODE = 2;

/** What the command reads and writes; the process' own in production, anything in tests. */
export interface CliIo {
  readonly argv: readonly string[];
  /** Read for the CI and the secrets' variables; the test command gets it without the secrets. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTty: boolean;
}

/** The exit code of a finished run: the command's when its failure decides, else 0 or 1. */
export function exitCodeFor(
  failures: readonly string[],
  run: RunResult,
  options: Pick<RunOptions, 'failOnTestFailure'>,
): number {
  if (failures.length === 0) return 0;
  if (options.failOnTestFailure && !isSuccess(run) && run.exitCode !== 0) return run.exitCode;
  return 1;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`reliability-metrics: ${message}\nRun 'reliability-metrics --help' for every flag.\n`);
  return USAGE_EXIT_CODE;
}

/** `--flag: detail`, or the variable the value came from. */
function optionMessage(error: OptionError, sources: ReadonlyMap<string, string>): string {
  if (error.option === 'command') {
    return 'no test command: give it after --, as in reliability-metrics run -- pytest -x.';
  }
  const source = sources.get(error.option);
  // The spelling the user typed (--grouping-label), or the variable the value came from.
  if (source?.startsWith('--') === true) return `${source}: ${error.detail}`;
  const flag = `--${error.option}`;
  return `${source !== undefined ? `${flag} (from ${source})` : flag}: ${error.detail}`;
}

async function publishSummary(
  markdown: string,
  summaryFile: string | undefined,
  ci: CiContext,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string[]> {
  const warnings: string[] = [];
  if (summaryFile !== undefined) {
    const file = resolve(cwd, summaryFile);
    const written = await orWarn(
      `Writing --summary-file ${file}`,
      async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, markdown);
      },
      undefined,
    );
    warnings.push(...written.warnings);
  }
  const stepSummary = env.GITHUB_STEP_SUMMARY ?? '';
  if (ci.provider === 'github-actions' && stepSummary !== '') {
    const written = await orWarn(
      'Writing the job summary',
      () => appendFile(stepSummary, `${markdown}\n`),
      undefined,
    );
    warnings.push(...written.warnings);
  }
  return warnings;
}

/** Variables that hold the gateway's settings, secrets included. */
const SECRET_VARIABLES = new Set(
  INPUT_FLAGS.flatMap((flag) => (flag.env !== undefined ? [flag.env] : [])),
);

/**
 * The test command's environment: the command's own as a `run:` step would have it, without the
 * variables that hold the gateway's secrets.
 */
export function commandEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(runStepEnvironment(env)).filter(([name]) => !SECRET_VARIABLES.has(name)),
  );
}

/** Runs the command line; resolves to the process' exit code. Never rejects. */
export async function main(io: CliIo): Promise<number> {
  let invocation;
  try {
    invocation = parseInvocation(io.argv, io.env);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message);
    throw error;
  }
  if (invocation.kind === 'help') {
    io.stdout(helpText());
    return 0;
  }
  if (invocation.kind === 'version') {
    io.stdout(`${ACTION_VERSION}\n`);
    return 0;
  }
  const { values, sources } = invocation;
  const secrets = urlCredentials(values.get('pushgateway-url') ?? '');
  let options: RunOptions;
  try {
    options = readOptions((name) => values.get(name) ?? '');
  } catch (error) {
    if (error instanceof OptionError)
      return usageError(io, redact(optionMessage(error, sources), secrets));
    throw error;
  }
  secrets.push(...secretsOf(options));

  // A command resolves paths against the shell's directory, whatever the CI calls its checkout.
  const ci = { ...(await detectCi(io.env, io.cwd)), workspace: io.cwd };
  const style = styleFor(wantsColour(io.stderrIsTty, io.env));
  const github = ci.provider === 'github-actions';
  const log: TerminalLog = terminalLog({
    write: (line) => {
      io.stderr(`${line}\n`);
    },
    style,
    verbose: invocation.verbose,
    github,
    secrets,
  });
  log.debug(
    `CI: ${ci.provider}; repository=${ci.repository} branch=${ci.branch} commit=${ci.commit} run=${ci.runId}${ci.pullRequest !== '' ? ` pull request=${ci.pullRequest}` : ''}`,
  );
  const cancellation = onCancellation((message) => {
    log.warning(message);
  });
  try {
    const result = await runSuite(options, {
      ci,
      log,
      signal: cancellation.signal,
      commandEnv: commandEnvironment(io.env),
    });
    log.debug('Phase: publish the run');
    const markdown = redact(summarize(result, options, ci.runUrl), secrets);
    const written = await publishSummary(markdown, invocation.summaryFile, ci, io.env, io.cwd);
    const run = { ...result.run, warnings: [...result.run.warnings, ...written] };
    if (github) for (const warning of run.warnings) log.warning(warning);
    const failures = suiteFailures(options, { ...result, run });
    const lines = terminalSummary({
      result: { ...result, run },
      style,
      failures,
      ...(invocation.summaryFile !== undefined && {
        summaryFile: resolve(io.cwd, invocation.summaryFile),
      }),
    });
    io.stderr(`${redact(lines.join('\n'), secrets)}\n`);
    return exitCodeFor(failures, run, options);
  } catch (error) {
    if (error instanceof OptionError) {
      return usageError(io, redact(optionMessage(error, sources), secrets));
    }
    log.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    cancellation.dispose();
  }
}

/** The command's help and its refusals, through the bundle: every refusal names the flag, exits 2, runs nothing. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-action.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { ACTION_ONLY_INPUTS } from '../../src/cli/flags.js';

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('reliability-metrics --help and bad command lines', () => {
  it('documents a flag for every action input, and the secrets’ variables', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-cli-help-'));
    const help = await runCli(['--help'], { cwd });
    expect(help.exitCode).toBe(0);
    for (const input of Object.keys(action.inputs)) {
      if (ACTION_ONLY_INPUTS.includes(input)) continue;
      expect(help.stdout).toMatch(new RegExp(`--(\\[no-\\])?${input}[ \\n,]`));
    }
    for (const flag of ['--summary-file', '--verbose', '--version', '--grouping-label ']) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toContain('RELIABILITY_PUSHGATEWAY_PASSWORD');
    expect(help.stdout).toContain('--no-fail-on-test-failure');
    const version = await runCli(['--version'], { cwd });
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it.each([
    [['run', '--no-such-flag', '--', 'true'], /unknown flag --no-such-flag/],
    [['run', '--sample-interval', '0', '--', 'true'], /--sample-interval: '0' is not valid/],
    [
      ['run', '--report-format', 'tap', '--', 'true'],
      /--report-format: 'tap' is not a known format/,
    ],
    [['run', '--grouping-label', 'no-equals', '--', 'true'], /--grouping-label: line 'no-equals'/],
    [['run', '--gateway-required=false', '--', 'true'], /--gateway-required takes no value/],
    [['run', '--suite'], /--suite needs a value/],
    [['run'], /no test command: give it after --/],
    [['run', 'pytest', '-x'], /unknown flag -x/],
    [['run', 'pytest'], /unexpected argument 'pytest': put the test command after --/],
    [['test', '--', 'true'], /unknown subcommand 'test'/],
    [[], /no subcommand/],
    [['run', '--command', 'true', '--', 'true'], /both given/],
    [
      ['run', '--working-directory', 'nowhere', '--', 'true'],
      /--working-directory: .*nowhere is not a directory/,
    ],
  ])('%j exits 2 naming the flag', async (args, message) => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-cli-bad-'));
    const run = await runCli(args, { cwd });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Run 'reliability-metrics --help'");
    expect(existsSync(join(cwd, 'reliability-metrics.prom'))).toBe(false);
  });

  it('names the environment variable a bad secret came from, without printing it', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-cli-env-'));
    const run = await runCli(['run', '--', 'true'], {
      cwd,
      env: { RELIABILITY_PUSHGATEWAY_URL: 'ftp://user:s3cr3t-value@gateway:9091' },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--pushgateway-url (from RELIABILITY_PUSHGATEWAY_URL):');
    expect(run.stderr).not.toContain('s3cr3t-value');
  });

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-cli-tty-'));
    // util-linux `script` gives the command a pseudo-terminal.
    const line = `${process.execPath} ${CLI} run -- true`;
    const tty = await runCli(['-qec', line, '/dev/null'], { cwd, program: ['script'] });
    expect(tty.exitCode, tty.stdout).toBe(0);
    expect(tty.stdout).toContain('\u001b[32m');
    const noColour = await runCli(['-qec', line, '/dev/null'], {
      cwd,
      program: ['script'],
      env: { NO_COLOR: '1' },
    });
    expect(noColour.stdout).toContain('reliability-metrics: passed');
    expect(noColour.stdout).not.toContain('\u001b[');
    const piped = await runCli(['run', '--', 'true'], { cwd });
    expect(piped.stderr).not.toContain('\u001b[');
  });
});

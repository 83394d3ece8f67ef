/** What a person sees at the terminal, and the exit code the command ends with. */
import { describe, expect, it } from 'vitest';
import { commandEnvironment, exitCodeFor } from '../../src/cli/main.js';
import { FAILING_SHOWN, terminalSummary } from '../../src/cli/report.js';
import { printable, styleFor, terminalLog, wantsColour } from '../../src/cli/terminal.js';
import { readGithubContext } from '../../src/ci/github.js';
import { buildMetrics } from '../../src/metrics/build-registry.js';
import type { RunResult, TestCase } from '../../src/model.js';
import { NO_COMPARISON } from '../../src/pipeline/compare.js';
import type { SuiteResult } from '../../src/pipeline/run-suite.js';
import { sampleRun } from '../helpers/sample-run.js';

function suiteResult(run: RunResult, pushed: boolean): SuiteResult {
  const ci = readGithubContext({});
  const built = buildMetrics({ run, ci, prefix: 'reliability_', maxTestSeries: 500, endedAt: 1 });
  return {
    run,
    cwd: '/work',
    key: { job: 'reliability_tests', labels: { suite: 'unit' } },
    metrics: {
      built,
      exposition: '',
      series: 42,
      bytes: 1000,
      file: '/work/m.prom',
      endedAt: 1,
      warnings: [],
    },
    delivery: {
      gateway: 'http://gw:9091',
      pushes: [],
      pushed,
      none: false,
      warnings: [],
    },
    comparison: NO_COMPARISON,
  };
}

const ESC = '\u001b[';

describe('colour', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
  ])('tty=%s env=%j: %s', (tty, env, expected) => {
    expect(wantsColour(tty, env)).toBe(expected);
  });
});

describe('terminalSummary', () => {
  it('is plain text without colour: no escapes, no Markdown table', () => {
    const lines = terminalSummary({
      result: suiteResult(sampleRun({ exitCode: 1 }), true),
      style: styleFor(false),
      failures: ['The test command failed with exit code 1.'],
      summaryFile: '/work/summary.md',
    });
    const text = lines.join('\n');
    expect(text).not.toContain(ESC);
    expect(text).not.toMatch(/^\|/m);
    expect(text).toContain('reliability-metrics: failed (exit code 1)');
    expect(text).toContain('✗ tests.test_api.TestApi.test_post failed: AssertionError: 500 != 200');
    expect(text).toContain('42 series in /work/m.prom');
    expect(text).toContain('pushed to http://gw:9091 as job="reliability_tests", suite="unit"');
    expect(text).toContain('summary  /work/summary.md');
    expect(text).toContain('verdict  The test command failed with exit code 1.');
  });

  it('colours on a TTY', () => {
    const text = terminalSummary({
      result: suiteResult(sampleRun({ exitCode: 0 }), false),
      style: styleFor(true),
      failures: [],
    }).join('\n');
    expect(text).toContain(`${ESC}32m`);
    expect(text).toContain('NOT pushed');
  });

  it('lists at most FAILING_SHOWN failing tests and counts the rest', () => {
    const tests: TestCase[] = Array.from({ length: FAILING_SHOWN + 5 }, (_, i) => ({
      id: `t.test_${i}`,
      name: `test_${i}`,
      classname: 't',
      status: 'failed',
    }));
    const text = terminalSummary({
      result: suiteResult(sampleRun({ exitCode: 1, tests }), true),
      style: styleFor(false),
      failures: ['x'],
    }).join('\n');
    expect(text.match(/✗/g)).toHaveLength(FAILING_SHOWN);
    expect(text).toContain('… and 5 more failing tests');
  });

  it('cannot be driven by escape sequences in test names', () => {
    const tests: TestCase[] = [
      { id: 't.evil\u001b]0;pwned\u0007', name: 'evil', classname: 't', status: 'failed' },
    ];
    const text = terminalSummary({
      result: suiteResult(sampleRun({ exitCode: 1, tests }), true),
      style: styleFor(false),
      failures: ['x'],
    }).join('\n');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(printable('a\tb\nc')).toBe('a\tb\nc');
  });
});

describe('terminalLog', () => {
  it('redacts secrets and shows debug lines only with --verbose', () => {
    const lines: string[] = [];
    const options = { write: (l: string) => lines.push(l), style: styleFor(false), github: false };
    const quiet = terminalLog({ ...options, verbose: false, secrets: ['hunter2'] });
    quiet.info('password hunter2 used');
    quiet.debug('hidden');
    terminalLog({ ...options, verbose: true, secrets: [] }).debug('shown');
    expect(lines).toEqual(['password *** used', 'debug: shown']);
  });

  it('speaks workflow commands in a GitHub run: step', async () => {
    const lines: string[] = [];
    const log = terminalLog({
      write: (l) => lines.push(l),
      style: styleFor(false),
      github: true,
      verbose: false,
      secrets: [],
    });
    await log.group('Running: pytest', () => Promise.resolve());
    log.debug('Phase: x');
    log.warning('50%\nof it');
    expect(lines).toEqual([
      '::group::Running: pytest',
      '::endgroup::',
      '::debug::Phase: x',
      '::warning::50%25%0Aof it',
    ]);
  });
});

describe('exitCodeFor', () => {
  const failed = sampleRun({ exitCode: 3 });
  const passed = sampleRun({ exitCode: 0 });
  it('is the command’s exit code when its failure decides', () => {
    expect(exitCodeFor(['failed'], failed, { failOnTestFailure: true })).toBe(3);
  });
  it('is 0 when nothing fails the run, whatever the command did', () => {
    expect(exitCodeFor([], failed, { failOnTestFailure: false })).toBe(0);
    expect(exitCodeFor([], passed, { failOnTestFailure: true })).toBe(0);
  });
  it('is 1 when only a push or report problem fails the run', () => {
    expect(exitCodeFor(['push'], passed, { failOnTestFailure: true })).toBe(1);
    expect(exitCodeFor(['push'], failed, { failOnTestFailure: false })).toBe(1);
  });
  it('is 1 for a cancelled run whose command exited 0', () => {
    expect(
      exitCodeFor(['cancelled'], sampleRun({ exitCode: 0, cancelled: true }), {
        failOnTestFailure: true,
      }),
    ).toBe(1);
  });
});

describe('commandEnvironment', () => {
  it('gives the test command everything but the gateway’s secrets', () => {
    const env = commandEnvironment({
      PATH: '/usr/bin',
      CI_JOB_NAME: 'reliability',
      RELIABILITY_PUSHGATEWAY_PASSWORD: 'secret',
      RELIABILITY_PUSHGATEWAY_TOKEN: 'secret',
      RELIABILITY_PUSHGATEWAY_URL: 'http://u:p@gw',
      RELIABILITY_PUSHGATEWAY_USERNAME: 'u',
      RELIABILITY_PUSHGATEWAY_HEADERS: 'X: y',
      'INPUT_PUSHGATEWAY-PASSWORD': 'secret',
    });
    expect(env).toEqual({ PATH: '/usr/bin', CI_JOB_NAME: 'reliability' });
  });
});

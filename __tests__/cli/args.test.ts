/** The command line as the core sees it: action input names and their values. */
import { describe, expect, it } from 'vitest';
import { parseInvocation, UsageError, type Invocation } from '../../src/cli/args.js';

type Run = Extract<Invocation, { kind: 'run' }>;

function run(argv: string[], env: NodeJS.ProcessEnv = {}): Run {
  const invocation = parseInvocation(argv, env);
  if (invocation.kind !== 'run') throw new Error(`not a run: ${invocation.kind}`);
  return invocation;
}

describe('parseInvocation', () => {
  it('takes the words after -- as the command, quoted for the shell', () => {
    const { values } = run(['run', '--suite', 'nightly', '--', 'pytest', '-k', 'a and b']);
    expect(values.get('command')).toBe("pytest -k 'a and b'");
    expect(values.get('suite')).toBe('nightly');
  });

  it('joins repeated list flags one per line, both spellings in the order given', () => {
    const { values } = run([
      'run',
      '--grouping-label',
      'python=3.12',
      '--grouping-labels',
      'os=linux',
      '--grouping-label=python=3.13',
      '--report-paths',
      'a.xml',
      '--report-paths',
      '!b.xml',
      '--pushgateway-header',
      'X-A: 1',
      '--',
      'true',
    ]);
    expect(values.get('grouping-labels')).toBe('python=3.12\nos=linux\npython=3.13');
    expect(values.get('report-paths')).toBe('a.xml\n!b.xml');
    expect(values.get('pushgateway-headers')).toBe('X-A: 1');
  });

  it('turns boolean flags on and off, the last one winning', () => {
    const { values } = run([
      'run',
      '--no-fail-on-test-failure',
      '--gateway-required',
      '--fail-on-push-error',
      '--no-fail-on-push-error',
      '--',
      'true',
    ]);
    expect(values.get('fail-on-test-failure')).toBe('false');
    expect(values.get('gateway-required')).toBe('true');
    expect(values.get('fail-on-push-error')).toBe('false');
    expect(values.has('fail-on-report-error')).toBe(false);
  });

  it('reads secrets from their variables unless the flag is given', () => {
    const env = {
      RELIABILITY_PUSHGATEWAY_URL: 'http://env:9091',
      RELIABILITY_PUSHGATEWAY_TOKEN: 'from-env',
      RELIABILITY_SUITE: 'not-a-secret-variable',
    };
    const { values, sources } = run(
      ['run', '--pushgateway-url', 'http://flag:9091', '--', 'x'],
      env,
    );
    expect(values.get('pushgateway-url')).toBe('http://flag:9091');
    expect(sources.get('pushgateway-url')).toBe('--pushgateway-url');
    expect(values.get('pushgateway-token')).toBe('from-env');
    expect(sources.get('pushgateway-token')).toBe('RELIABILITY_PUSHGATEWAY_TOKEN');
    expect(values.has('suite')).toBe(false);
  });

  it('keeps --summary-file and --verbose for the command', () => {
    const parsed = run(['run', '--summary-file', 's.md', '--verbose', '--command', 'make test']);
    expect(parsed.summaryFile).toBe('s.md');
    expect(parsed.verbose).toBe(true);
    expect(parsed.values.get('command')).toBe('make test');
    expect(parsed.values.has('summary-file')).toBe(false);
  });

  it('answers --help and --version before anything else', () => {
    expect(parseInvocation(['run', '--help', '--bogus-later'], {}).kind).toBe('help');
    expect(parseInvocation(['-h'], {}).kind).toBe('help');
    expect(parseInvocation(['--version'], {}).kind).toBe('version');
    // The test command's own --help is the test command's.
    expect(run(['run', '--', 'pytest', '--help']).values.get('command')).toBe('pytest --help');
  });

  it.each([
    [['run', '--bogus', '--', 'x'], 'unknown flag --bogus'],
    [
      ['run', '--fail-on-test-failure=false', '--', 'x'],
      '--no-fail-on-test-failure to turn it off',
    ],
    [['run', '--verbose=yes', '--', 'x'], '--verbose takes no value'],
    [['run', '--metrics-file'], '--metrics-file needs a value'],
    [['run', 'pytest', '--', 'x'], "unexpected argument 'pytest'"],
    [['lint'], "unknown subcommand 'lint'"],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseInvocation(argv, {})).toThrow(UsageError);
    expect(() => parseInvocation(argv, {})).toThrow(message);
  });
});

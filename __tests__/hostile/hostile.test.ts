/**
 * The bundled action on every file of the hostile corpus (__tests__/fixtures/hostile, made by
 * make-corpus.mjs) and on invalid inputs: a clear message naming the file or input, no uncaught
 * exception, the command's verdict kept, and whatever was parsed accepted by the real gateway.
 */
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runAction, type ActionRun } from '../helpers/run-action.js';
import { startPushgateway, type Service } from '../helpers/services.js';

const CORPUS = join(ROOT, '__tests__', 'fixtures', 'hostile');
const files = (await readdir(CORPUS)).filter((name) => !name.endsWith('.mjs')).sort();

/** Files given with a report-format that is not theirs. */
const FORCED_FORMAT: Record<string, string> = {
  'jest-given-as-junit.json': 'junit',
  'junit-given-as-ctrf.xml': 'ctrf',
};

/** What the warning about a file must say, where it matters. */
const EXPECTED_MESSAGE: Record<string, RegExp> = {
  'billion-laughs.xml': /DOCTYPE\/entity declarations are not allowed/,
  'quadratic-blowup.xml': /DOCTYPE\/entity declarations are not allowed/,
  'xxe-file.xml': /DOCTYPE\/entity declarations are not allowed/,
  'xxe-parameter.xml': /DOCTYPE\/entity declarations are not allowed/,
  'xxe-external-dtd.xml': /DOCTYPE\/entity declarations are not allowed/,
  'nan-literal.json': /invalid JSON/,
  'truncated-junit-1.xml': /line \d+/,
  'truncated-pytest-json.json': /invalid JSON/,
  'empty.xml': /not a report of any known format/,
  'garbage.json': /not a report of any known format/,
  'jest-given-as-junit.json': /invalid JUnit XML/,
  'junit-given-as-ctrf.xml': /invalid JSON/,
  'figures-bad.xml': /latency_ms\.op0\.p95.*not a finite number/,
};

function expectNoCrash(run: ActionRun): void {
  const output = `${run.stdout}\n${run.stderr}`;
  expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  expect(output).not.toMatch(/Unhandled|uncaught|TypeError|RangeError|ReferenceError/i);
  expect(run.signal).toBeNull();
}

describe('hostile reports', () => {
  let gateway: Service;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('has a corpus of at least 40 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s', async (file) => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-hostile-'));
    await copyFile(join(CORPUS, file), join(workspace, file));
    const started = Date.now();
    const run = await runAction({
      workspace,
      inputs: {
        command: 'echo tests ran',
        'report-paths': file,
        'report-format': FORCED_FORMAT[file] ?? 'auto',
        'pushgateway-url': gateway.url,
        suite: file,
      },
      timeoutMs: 60_000,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expectNoCrash(run);
    expect(run.exitCode, run.stdout.slice(-2000)).toBe(0); // the command passed; a bad report does not change that
    expect(run.outputs.pushed, run.stdout.slice(-2000)).toBe('true'); // whatever was parsed, the gateway took it
    expect(run.summary).toContain('## ✅ Reliability tests passed');
    const warnings = run.stdout.split('\n').filter((line) => line.startsWith('::warning::'));
    if (run.outputs['tests-total'] === '0') {
      expect(
        warnings.some((w) => w.includes(file)),
        `a warning names ${file}`,
      ).toBe(true);
    }
    const expected = EXPECTED_MESSAGE[file];
    if (expected !== undefined) expect(warnings.join('\n')).toMatch(expected);
    // Never a local file read through an entity.
    const written = `${run.stdout}${run.summary}${await readFile(run.outputs['metrics-file'] ?? '', 'utf8')}`;
    expect(written).not.toContain('root:x:0:0');
    if (file === 'xxe-parameter.xml') expect(written).not.toContain(hostname());
  });

  it('a report with a million figures: bounded series, one warning, no crash', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-hostile-'));
    const out = createWriteStream(join(workspace, 'many-properties.xml'));
    out.write(
      '<testsuites><testsuite name="m"><testcase classname="c" name="props" time="1"><properties>',
    );
    for (let i = 0; i < 1_000_000; i += 1000) {
      let chunk = '';
      for (let k = i; k < i + 1000; k++) chunk += `<property name="metric.p${k}" value="${k}"/>`;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end('</properties></testcase></testsuite></testsuites>');
    await once(out, 'finish');
    const run = await runAction({
      workspace,
      inputs: {
        command: 'true',
        'report-paths': 'many-properties.xml',
        'pushgateway-url': gateway.url,
        suite: 'million',
      },
    });
    expectNoCrash(run);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.pushed).toBe('true');
    expect(run.stdout).toMatch(
      /::warning::many-properties\.xml: figures beyond the first 100000 of this report were left out/,
    );
    expect(run.summary).toMatch(/figures beyond the cap were left out/);
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
  });

  it('fail-on-report-error turns a broken report into a failed step, naming it', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'rma-hostile-'));
    await writeFile(
      join(workspace, 'broken.xml'),
      '<testsuites><testsuite name="x"><testcase name="a">',
    );
    const run = await runAction({
      workspace,
      inputs: { command: 'true', 'report-paths': 'broken.xml', 'fail-on-report-error': 'true' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::warning::Report broken\.xml: invalid JUnit XML/);
    expect(run.stdout).toContain(
      '::error::1 report file(s) could not be parsed (fail-on-report-error is true).',
    );
    expect(run.outputs['exit-code']).toBe('0');
  });
});

describe('unwritable outputs', () => {
  it('a metrics-file that cannot be written: a warning names it, the push and the verdict stand', async () => {
    const gateway = await startPushgateway();
    const run = await runAction({
      inputs: {
        command: 'exit 3',
        'metrics-file': '/proc/version/metrics.prom',
        'pushgateway-url': gateway.url,
      },
    });
    await gateway.stop();
    expectNoCrash(run);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('3');
    expect(run.outputs.pushed).toBe('true');
    expect(run.stdout).toMatch(
      /::warning::Writing metrics-file \/proc\/version\/metrics\.prom failed: /,
    );
    expect(run.stdout).toContain('::error::The test command failed with exit code 3.');
  });
});

describe('invalid inputs', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a bad URL', { 'pushgateway-url': 'localhost:9091 oops' }, /Input 'pushgateway-url'/],
    [
      'a URL with another scheme',
      { 'pushgateway-url': 'ftp://gw:21' },
      /Input 'pushgateway-url': scheme 'ftp:'/,
    ],
    [
      'an unknown format',
      { 'report-format': 'xunit' },
      /Input 'report-format': 'xunit' is not a known format: use auto, junit/,
    ],
    [
      'a negative interval',
      { 'sample-interval': '-1' },
      /Input 'sample-interval': '-1' is not valid: use a number from 0.1 to 60/,
    ],
    [
      'malformed grouping-labels',
      { 'grouping-labels': 'python 3.12' },
      /Input 'grouping-labels': line 'python 3.12' is not key=value/,
    ],
    [
      'a reserved label name',
      { 'grouping-labels': 'job=other' },
      /Input 'grouping-labels': 'job' is reserved/,
    ],
    [
      'an invalid label name',
      { 'grouping-labels': '__name__=x' },
      /Input 'grouping-labels': '__name__' is not a valid label name/,
    ],
    ['a missing command', { command: '' }, /Input 'command': is required/],
    [
      'a missing working directory',
      { 'working-directory': 'nope/not/here' },
      /Input 'working-directory': .*nope\/not\/here is not a directory/,
    ],
    [
      'a non-boolean',
      { 'fail-on-test-failure': 'sometimes' },
      /Input 'fail-on-test-failure': 'sometimes' is not a boolean/,
    ],
  ];
  it.each(cases)('%s', async (_name, inputs, message) => {
    const run = await runAction({ inputs: { command: 'echo SHOULD-NOT-RUN', ...inputs } });
    expectNoCrash(run);
    expect(run.exitCode).toBe(1);
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(run.stdout).not.toContain('SHOULD-NOT-RUN\n');
  });
});

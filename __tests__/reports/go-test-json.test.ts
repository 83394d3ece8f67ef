import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { detectFormat, readHead } from '../../src/reports/detect.js';
import { parseGoTestJson } from '../../src/reports/go-test-json.js';
import { byId, countByStatus, fixture } from './helpers.js';

interface GoEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Elapsed?: number;
}

/** Every test result event of a fixture, in order. */
function results(path: string): GoEvent[] {
  return readFileSync(fixture(path), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as GoEvent)
    .filter((e) => e.Test !== undefined && ['pass', 'fail', 'skip'].includes(e.Action));
}

const PKG = 'example.com/gojson';

describe('go test -json (real go 1.19 run, one package that does not build)', () => {
  it('one test per test and subtest, statuses and durations as go wrote them', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/go-test.json'));
    expect(report.format).toBe('go-test-json');
    expect(report.warnings).toEqual([]);
    const events = results('go-test-json/go-test.json');
    expect(report.tests).toHaveLength(events.length + 1); // + the package that failed to build
    for (const event of events) {
      const test = byId(report.tests, `${event.Package ?? ''}.${event.Test ?? ''}`);
      expect(test.status).toBe({ pass: 'passed', fail: 'failed', skip: 'skipped' }[event.Action]);
      expect(test.durationSeconds).toBe(event.Elapsed);
    }
    expect(countByStatus(report.tests)).toEqual({ error: 1, passed: 8, failed: 5, skipped: 1 });
  });

  it('a package that does not build is an error test with the compiler output', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/go-test.json'));
    expect(byId(report.tests, `${PKG}/broken`)).toEqual({
      id: `${PKG}/broken`,
      name: `${PKG}/broken`,
      classname: '',
      status: 'error',
      message: 'broken/broken_test.go:7:6: unused declared but not used',
    });
  });

  it("a failing test's output is its message; subtests keep their names", async () => {
    const report = await parseGoTestJson(fixture('go-test-json/go-test.json'));
    expect(byId(report.tests, `${PKG}/tracer.TestFlush`)).toMatchObject({
      classname: `${PKG}/tracer`,
      name: 'TestFlush',
      message: 'tracer_test.go:15: flushing 3 spans; tracer_test.go:16: exported 3 spans, want 4',
    });
    expect(byId(report.tests, 'TestPayload/empty_batch').message).toBe(
      'tracer_test.go:28: batch of 0 spans: want an error, got nil',
    );
    expect(byId(report.tests, `${PKG}/tracer.TestPayload`)).toMatchObject({
      status: 'failed',
      message: undefined,
    });
    expect(byId(report.tests, 'TestStaging')).toMatchObject({
      status: 'skipped',
      message: 'tracer_test.go:20: needs a staging collector',
    });
    expect(report.tests.map((t) => t.name)).toEqual(
      expect.arrayContaining(['TestPayload/quotes_"hi"', 'TestPayload/unicode_café_✓']),
    );
    expect(byId(report.tests, 'TestObserve').durationSeconds).toBeGreaterThanOrEqual(0.02);
  });

  it('is detected from its content, even after plain compiler lines', async () => {
    expect(detectFormat(await readHead(fixture('go-test-json/go-test.json')))).toBe('go-test-json');
    expect(detectFormat(await readHead(fixture('go-test-json/gotestsum-rerun.json')))).toBe(
      'go-test-json',
    );
    expect(
      detectFormat(await readHead(fixture('go-test-json/edge/go124-build-failure.json'))),
    ).toBe('go-test-json');
    expect(detectFormat(await readHead(fixture('go-test-json/edge/not-json.txt')))).toBeUndefined();
  });
});

describe('gotestsum --rerun-fails (real run: reruns appended to the same --jsonfile)', () => {
  it('a test that passes on a rerun is flaky; one failing every run is failed with its retries', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/gotestsum-rerun.json'));
    const events = results('go-test-json/gotestsum-rerun.json');
    const runs = (suffix: string): number =>
      events.filter((e) => `${e.Package ?? ''}.${e.Test ?? ''}`.endsWith(suffix)).length;
    expect(runs('retry.TestReconnect')).toBe(2);
    expect(byId(report.tests, 'retry.TestReconnect')).toMatchObject({
      status: 'flaky',
      retries: runs('retry.TestReconnect') - 1,
      message: 'retry_test.go:15: connection reset by peer',
    });
    expect(runs('retry.TestAlwaysDown')).toBe(3);
    expect(byId(report.tests, 'retry.TestAlwaysDown')).toMatchObject({
      status: 'failed',
      retries: 2,
      message: 'retry_test.go:20: collector down',
    });
    expect(byId(report.tests, 'TestPayload/empty_batch')).toMatchObject({
      status: 'failed',
      retries: runs('TestPayload/empty_batch') - 1,
    });
    expect(byId(report.tests, 'retry.TestStable').status).toBe('passed');
    expect(byId(report.tests, 'retry.TestStable').retries).toBeUndefined();
    const distinct = new Set(events.map((e) => `${e.Package ?? ''}.${e.Test ?? ''}`));
    expect(report.tests).toHaveLength(distinct.size);
    expect(countByStatus(report.tests)).toEqual({ passed: 8, failed: 4, skipped: 1, flaky: 1 });
  });
});

describe('go test -json edge cases', () => {
  it('empty and not go test output', async () => {
    await expect(parseGoTestJson(fixture('go-test-json/edge/empty.json'))).rejects.toThrow(
      /no test2json event/,
    );
    await expect(parseGoTestJson(fixture('go-test-json/edge/not-json.txt'))).rejects.toThrow(
      /not-json\.txt: not a go test -json report/,
    );
  });

  it('Go 1.24 build events: the package is an error with the compiler line', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/edge/go124-build-failure.json'));
    expect(report.tests.toArray()).toEqual([
      {
        id: 'example.com/edge/broken',
        name: 'example.com/edge/broken',
        classname: '',
        status: 'error',
        message: 'broken/broken_test.go:8:2: undefined: undefinedFunction',
      },
      {
        id: 'example.com/edge/ok.TestFine',
        name: 'TestFine',
        classname: 'example.com/edge/ok',
        status: 'passed',
        durationSeconds: 0.25,
        message: undefined,
      },
    ]);
  });

  it('a panic (real run): the panic without the goroutine dump', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/edge/panic.json'));
    expect(countByStatus(report.tests)).toEqual({ passed: 1, failed: 1 });
    expect(byId(report.tests, 'TestIndex').message).toBe(
      'panic: runtime error: index out of range [3] with length 0 [recovered]; ' +
        'panic: runtime error: index out of range [3] with length 0',
    );
  });

  it('a test past -timeout (real run) has no result event: an error with its output', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/edge/timeout.json'));
    expect(byId(report.tests, 'TestHangs')).toMatchObject({
      status: 'error',
      message: 'hangs_test.go:13: waiting for the collector; panic: test timed out after 2s',
    });
    expect(byId(report.tests, 'TestQuick').status).toBe('passed');
  });

  it('a report cut short: finished tests kept, running ones errors, a warning', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/edge/truncated.json'));
    expect(byId(report.tests, 'TestFlush').status).toBe('failed');
    expect(byId(report.tests, 'TestPayload/spaces_in_name')).toMatchObject({
      status: 'error',
      message: 'the test did not finish (the report ends before its result)',
    });
    expect(report.warnings).toEqual([
      expect.stringMatching(/^line \d+: not valid JSON, ignored$/),
      expect.stringMatching(/^\d+ tests have no result: the report ends before them/),
    ]);
  });

  it('megabytes of output: the message keeps the end, capped; odd names kept', async () => {
    const report = await parseGoTestJson(fixture('go-test-json/edge/huge-output.json'));
    const loud = byId(report.tests, 'TestLoud');
    expect(loud.status).toBe('failed');
    expect(loud.message).toHaveLength(1000);
    expect(loud.message?.endsWith('loud_test.go:14: the last word')).toBe(true);
    expect(report.tests.at(1)?.name).toBe(
      'Testnaïve café ✓ – 日本語 "quoted" \'single\' <tag> & amp',
    );
    expect(report.warnings).toEqual([expect.stringMatching(/not valid JSON, ignored/)]);
  });
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { junitParser, parseJunit } from '../../src/reports/junit.js';
import { ReportError } from '../../src/reports/types.js';
import { byId, countByStatus, fixture } from './helpers.js';

describe('JUnit from real runners', () => {
  it('pytest xunit1: statuses, 1-based lines, durations, messages and figures', async () => {
    const report = await parseJunit(fixture('junit/pytest-xunit1.xml'));
    expect(report.format).toBe('junit');
    expect(countByStatus(report.tests)).toEqual({ passed: 7, failed: 1, skipped: 1 });
    const failed = byId(report.tests, 'tests.test_tracer.test_checkout_flow_e2e');
    expect(failed).toMatchObject({
      name: 'test_checkout_flow_e2e',
      classname: 'tests.test_tracer',
      file: 'tests/test_tracer.py',
      line: 107,
      status: 'failed',
      message: 'AssertionError: checkout returned HTTP 503 (EXAMPLE_FAIL set)',
    });
    expect(byId(report.tests, 'test_export_to_staging').message).toBe('needs a staging collector');
    expect(byId(report.tests, 'TestLatency.test_observe_adds_minimal_overhead').line).toBe(38);
    expect(report.tests.map((t) => t.name)).toContain('test_payload_round_trip[unicode-café-✓]');
    expect(report.tests.map((t) => t.id)).toContain(
      'tests.test_tracer.test_payload_round_trip[quotes-"hi"]',
    );
    expect(failed.durationSeconds).toBeGreaterThanOrEqual(0.05);
    expect(report.warnings).toEqual([]);

    const latency = report.figures
      .toArray()
      .filter((f) => f.test === 'tests.test_tracer.TestLatency.test_observe_adds_minimal_overhead');
    expect(latency.map((f) => f.stat)).toEqual(['p50', 'p95', 'p99', 'mean', 'max']);
    const p50 = latency[0];
    expect(p50?.kind).toBe('latency');
    expect(p50?.operation).toBe('observe_decorator');
    // Values as the real run wrote them, converted: milliseconds to seconds, MiB to bytes.
    const xml = await readFile(fixture('junit/pytest-xunit1.xml'), 'utf8');
    const raw = (name: string): number =>
      Number(new RegExp(`name="${name.replace(/\./g, '\\.')}" value="([^"]+)"`).exec(xml)?.[1]);
    expect(p50?.value).toBeCloseTo(raw('latency_ms.observe_decorator.p50') / 1000, 15);
    const memory = report.figures.toArray().filter((f) => f.kind === 'memory_growth');
    expect(memory).toHaveLength(1);
    expect(memory[0]?.value).toBeCloseTo(raw('memory_growth_mb') * 1048576, 3);
    expect(
      report.figures
        .toArray()
        .filter((f) => f.kind === 'metric')
        .map((f) => f.name),
    ).toEqual(['payload_bytes', 'payload_bytes', 'payload_bytes']);
    expect(report.figures).toHaveLength(20);
  });

  it('pytest xunit2 gives the same ids (no file/line attributes there)', async () => {
    const one = await parseJunit(fixture('junit/pytest-xunit1.xml'));
    const two = await parseJunit(fixture('junit/pytest-xunit2.xml'));
    expect(two.tests.map((t) => t.id)).toEqual(one.tests.map((t) => t.id));
    expect(two.tests.every((t) => t.file === undefined)).toBe(true);
    expect(two.figures).toHaveLength(20);
  });

  it('pytest outcomes: xfail, strict xpass, setup error', async () => {
    const report = await parseJunit(fixture('junit/pytest-rerun.xml'));
    // pytest's JUnit writer drops rerun reports: the flaky test looks like a plain pass here.
    expect(countByStatus(report.tests)).toEqual({
      passed: 2,
      failed: 1,
      xfailed: 1,
      xpassed: 1,
      error: 1,
    });
    expect(byId(report.tests, 'test_batch_size_respected')).toMatchObject({
      status: 'xfailed',
      message: 'known bug #12: batch size ignored',
    });
    expect(byId(report.tests, 'test_fixed_upstream').status).toBe('xpassed');
    expect(byId(report.tests, 'test_needs_collector').message).toBe(
      'failed on setup with "ConnectionRefusedError: collector not reachable on 127.0.0.1:4317"',
    );
  });

  it('GoogleTest: a disabled test (notrun, suppressed, no child) is skipped, not passed', async () => {
    const report = await parseJunit(fixture('junit/googletest.xml'));
    expect(report.tests.map((t) => [t.id, t.status])).toEqual([
      ['MathTest.Addition', 'failed'],
      ['MathTest.Subtraction', 'passed'],
      ['MathTest.DISABLED_Division', 'skipped'],
      ['MathTest.Modulo', 'skipped'],
      ['LogicTest.NonContradiction', 'passed'],
      ['Params/LogicTest.Identity/0', 'passed'],
    ]);
    expect(byId(report.tests, 'Addition')).toMatchObject({
      file: 'test/math_test.cc',
      line: 12,
      message: 'test/math_test.cc:14',
    });
    expect(report.figures.toArray()).toEqual([
      {
        test: 'LogicTest.NonContradiction',
        kind: 'latency',
        operation: 'evaluate',
        stat: 'p95',
        value: 0.00042,
      },
    ]);
  });

  it('reads the status/result attributes and decides several outcomes by severity', async () => {
    const report = await parseJunit(fixture('junit/edge/status-attributes.xml'));
    expect(Object.fromEntries(report.tests.map((t) => [t.name, [t.status, t.message]]))).toEqual({
      runs: ['passed', undefined],
      disabled: ['skipped', undefined],
      not_run: ['skipped', undefined],
      suppressed: ['skipped', undefined],
      skipped_by_result: ['skipped', undefined],
      skip_then_failure: ['failed', 'then failed'],
      failure_then_error: ['error', 'teardown crashed'],
      error_then_skip: ['error', 'setup crashed'],
      disabled_but_failed: ['failed', 'ran anyway and failed'],
    });
  });

  it('Maven Surefire: error vs failure, reruns and flaky runs', async () => {
    const report = await parseJunit(fixture('junit/maven-surefire.xml'));
    expect(countByStatus(report.tests)).toEqual({ passed: 3, failed: 1, error: 1, skipped: 1 });
    expect(byId(report.tests, 'com.example.TracerTest.flushExportsEverySpan')).toMatchObject({
      status: 'failed',
      retries: 2,
      message: 'exported span count ==> expected: <4> but was: <3>',
    });
    expect(byId(report.tests, 'collectorReachable')).toMatchObject({ status: 'error', retries: 2 });
    // Surefire's suite properties are JVM system properties: no figure among them.
    expect(report.figures.toArray()).toEqual([]);
    const flaky = await parseJunit(fixture('junit/maven-surefire-flaky.xml'));
    expect(flaky.tests.toArray()).toEqual([
      expect.objectContaining({
        id: 'com.example.ReconnectTest.reconnectsAfterDrop',
        status: 'flaky',
        retries: 1,
      }),
    ]);
  });

  it('jest-junit: classname from describe blocks, file attribute, testcase properties', async () => {
    const report = await parseJunit(fixture('junit/jest-junit.xml'));
    expect(countByStatus(report.tests)).toEqual({ passed: 5, failed: 1, skipped: 1 });
    const failed = byId(report.tests, 'flush fails with a clear message');
    expect(failed.classname).toBe('Tracer › latency');
    expect(failed.file).toBe('jest/tracer.test.cjs');
    expect(failed.message).toBe('Error: expect(received).toEqual(expected) // deep equality');
    expect(report.tests.map((t) => t.name)).toContain('naïve café ✓ – Unicode 日本語');
    expect(report.tests.map((t) => t.classname)).toContain('names with "quotes" & <brackets>');
    expect(
      report.figures.toArray().map((f) => `${f.kind}:${f.operation ?? ''}:${f.stat ?? ''}`),
    ).toEqual(['latency:observe:p50', 'latency:observe:p95', 'throughput:observe:']);
    expect(report.figures.at(0)?.test).toBe('Tracer › latency.observe adds minimal overhead');
  });

  it("Node's junit reporter: nested suites name the classname", async () => {
    const report = await parseJunit(fixture('junit/node-junit.xml'));
    expect(countByStatus(report.tests)).toEqual({ passed: 3, failed: 1, skipped: 2 });
    expect(byId(report.tests, 'flush fails with a clear message')).toMatchObject({
      classname: 'Tracer > latency',
      id: 'Tracer > latency.flush fails with a clear message',
      message:
        'Expected values to be strictly deep-equal:+ actual - expected  {+   exported: 3-   exported: 4  }',
    });
    expect(byId(report.tests, 'exports to staging').message).toBe('needs a staging collector');
  });

  it('gotestsum (Go): go test framing skipped in messages', async () => {
    const report = await parseJunit(fixture('junit/gotestsum.xml'));
    expect(countByStatus(report.tests)).toEqual({ passed: 4, failed: 1, skipped: 1 });
    expect(byId(report.tests, 'TestFlush')).toMatchObject({
      id: 'example.com/tracer.TestFlush',
      message: 'tracer_test.go:14: exported 3 spans, want 4',
    });
    expect(byId(report.tests, 'TestStaging').message).toBe(
      'tracer_test.go:18: needs a staging collector',
    );
    expect(byId(report.tests, 'TestObserve').durationSeconds).toBe(0.01);
  });
});

describe('JUnit edge cases', () => {
  it('empty file, empty suites and zero tests', async () => {
    await expect(parseJunit(fixture('junit/edge/empty.xml'))).rejects.toThrow(ReportError);
    await expect(parseJunit(fixture('junit/edge/empty.xml'))).rejects.toThrow(
      /empty\.xml.*root element/,
    );
    expect((await parseJunit(fixture('junit/edge/empty-suites.xml'))).tests.toArray()).toEqual([]);
    expect((await parseJunit(fixture('junit/edge/zero-tests.xml'))).tests.toArray()).toEqual([]);
  });

  it('skipped-only, missing durations, long and Unicode names', async () => {
    const skipped = await parseJunit(fixture('junit/edge/skipped-only.xml'));
    expect(skipped.tests.map((t) => [t.status, t.message])).toEqual([
      ['skipped', undefined],
      ['skipped', 'not on CI'],
    ]);
    const durations = await parseJunit(fixture('junit/edge/missing-durations.xml'));
    expect(durations.tests.map((t) => t.durationSeconds)).toEqual([undefined, undefined, 1234.5]);
    const long = await parseJunit(fixture('junit/edge/long-names.xml'));
    expect(long.tests.at(0)?.name).toHaveLength(10_000);
    const unicode = await parseJunit(fixture('junit/edge/unicode-quotes.xml'));
    const name = 'naïve café ✓ – 日本語 "quoted" \'single\' <tag> & amp';
    expect(unicode.tests.at(0)).toMatchObject({ name, status: 'failed', message: name });
    expect(unicode.tests.at(1)).toMatchObject({
      status: 'error',
      message: 'boom: <not a tag> & stuff',
    });
  });

  it('nested suites, suite properties, property text values, unknown elements', async () => {
    const report = await parseJunit(fixture('junit/edge/unknown-fields.xml'));
    expect(report.tests.toArray()).toEqual([
      expect.objectContaining({
        id: 'outer > inner.in_nested',
        classname: 'outer > inner',
        status: 'passed',
      }),
    ]);
    expect(report.figures.toArray()).toEqual([
      { test: 'outer', kind: 'throughput', operation: 'suite_op', value: 1200 },
      {
        test: 'outer > inner.in_nested',
        kind: 'latency',
        operation: 'rpc',
        stat: 'p99',
        value: 0.00025,
      },
      { test: 'outer > inner.in_nested', kind: 'metric', name: 'queue_depth_max', value: 17 },
    ]);
  });

  it('malformed figures become warnings naming test and property', async () => {
    const report = await parseJunit(fixture('junit/edge/malformed-figures.xml'));
    expect(report.tests).toHaveLength(1);
    expect(report.figures.toArray()).toEqual([
      { test: 'm.bad', kind: 'latency', operation: 'db.query.users', stat: 'p50', value: 0.0025 },
    ]);
    expect(report.warnings).toHaveLength(6);
    expect(report.warnings[0]).toBe(
      'test "m.bad": property "latency_ms.op.p95": value "fast" is not a finite number',
    );
  });

  it('BOM: UTF-8, UTF-16 LE and BE', async () => {
    for (const file of ['bom-utf8.xml', 'utf16le-bom.xml', 'utf16be-bom.xml']) {
      const report = await parseJunit(fixture(`junit/edge/${file}`));
      expect(report.tests.map((t) => t.id)).toEqual(['c.café']);
    }
  });

  it('truncated XML names the file and the line', async () => {
    const error = await parseJunit(fixture('junit/edge/truncated.xml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as Error).message).toMatch(
      /truncated\.xml: invalid JUnit XML at line 7, column \d+: unclosed tag/,
    );
  });

  it('not JUnit, and unknown entities, are errors', async () => {
    await expect(parseJunit(fixture('junit/edge/not-junit.xml'))).rejects.toThrow(
      /root element <project> is not <testsuites> or <testsuite>/,
    );
    await expect(parseJunit(fixture('junit/edge/undefined-entity.xml'))).rejects.toThrow(
      /line 3, column \d+: undefined entity/,
    );
  });

  it('billion laughs fails fast with a clear error and without ballooning memory', async () => {
    const before = process.memoryUsage().rss;
    const start = performance.now();
    await expect(parseJunit(fixture('junit/edge/billion-laughs.xml'))).rejects.toThrow(
      'DOCTYPE/entity declarations are not allowed',
    );
    expect(performance.now() - start).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('external entities and DTDs are refused and the file they name is never read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-xxe-'));
    const secret = join(dir, 'secret.txt');
    await writeFile(secret, 'TOP-SECRET-CONTENT');
    const xxe = join(dir, 'xxe.xml');
    await writeFile(
      xxe,
      `<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM "file://${secret}">]>\n<testsuite name="&x;"><testcase name="&x;"/></testsuite>\n`,
    );
    for (const file of [
      xxe,
      fixture('junit/edge/external-entity.xml'),
      fixture('junit/edge/external-dtd.xml'),
    ]) {
      const error = await parseJunit(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReportError);
      expect((error as Error).message).toContain('DOCTYPE/entity declarations are not allowed');
      expect((error as Error).message).not.toContain('TOP-SECRET');
      expect((error as Error).message).not.toContain('root:');
    }
  });

  it('detect recognises JUnit roots past the prolog only', () => {
    expect(junitParser.detect('<?xml version="1.0"?>\n<!-- c -->\n<testsuites>')).toBe(true);
    expect(junitParser.detect('<testsuite name="x">')).toBe(true);
    expect(junitParser.detect('<!DOCTYPE x [<!ENTITY a "b">]><testsuite>')).toBe(true);
    expect(junitParser.detect('<project>')).toBe(false);
    expect(junitParser.detect('{"testsuites": 1}')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';

import { splitPytestNodeId } from '../../src/reports/ids.js';
import { parsePytestJson, pytestJsonParser } from '../../src/reports/pytest-json.js';
import { ReportError } from '../../src/reports/types.js';
import { byId, countByStatus, fixture } from './helpers.js';
import { parseJunit } from '../../src/reports/junit.js';

describe('splitPytestNodeId', () => {
  it('splits as pytest --junitxml does', () => {
    expect(splitPytestNodeId('tests/test_x.py::TestA::test_b[p]')).toEqual({
      classname: 'tests.test_x.TestA',
      name: 'test_b[p]',
      file: 'tests/test_x.py',
    });
    expect(splitPytestNodeId('test_x.py::test_c[a::b/c.py]')).toEqual({
      classname: 'test_x',
      name: 'test_c[a::b/c.py]',
      file: 'test_x.py',
    });
    expect(splitPytestNodeId('tests/test_x.py')).toEqual({
      classname: '',
      name: 'tests.test_x',
      file: 'tests/test_x.py',
    });
  });
});

describe('pytest-json-report', () => {
  it('reads outcomes, rerun as flaky, durations as setup+call+teardown, messages', async () => {
    const report = await parsePytestJson(fixture('pytest-json/report.json'));
    expect(report.format).toBe('pytest-json');
    expect(countByStatus(report.tests)).toEqual({
      passed: 7,
      failed: 2,
      skipped: 1,
      flaky: 1,
      xfailed: 1,
      xpassed: 2,
      error: 1,
    });
    const failed = byId(report.tests, 'test_checkout_flow_e2e');
    expect(failed).toMatchObject({
      id: 'tests.test_tracer.test_checkout_flow_e2e',
      classname: 'tests.test_tracer',
      file: 'tests/test_tracer.py',
      line: 107,
      status: 'failed',
      message: 'AssertionError: checkout returned HTTP 503 (EXAMPLE_FAIL set)',
    });
    expect(failed.durationSeconds).toBeCloseTo(0.00017 + 0.05072 + 0.00015, 10);
    expect(byId(report.tests, 'test_reconnects_after_drop')).toMatchObject({
      status: 'flaky',
      retries: 1,
    });
    expect(byId(report.tests, 'test_export_to_staging').message).toBe('needs a staging collector');
    expect(byId(report.tests, 'test_needs_collector')).toMatchObject({
      status: 'error',
      message: 'ConnectionRefusedError: collector not reachable on 127.0.0.1:4317',
    });
    expect(byId(report.tests, 'test_fixed_upstream').status).toBe('xpassed');
    expect(byId(report.tests, 'test_maybe_fixed').status).toBe('xpassed');
    expect(report.tests.map((t) => t.id)).toContain(
      'tests.test_tracer.test_payload_round_trip[unicode-café-✓]',
    );
  });

  it('gives the same ids as pytest JUnit for the same run', async () => {
    const json = await parsePytestJson(fixture('pytest-json/report.json'));
    const junit = await parseJunit(fixture('junit/pytest-xunit1.xml'));
    const jsonIds = new Set(json.tests.map((t) => t.id));
    for (const id of [
      'tests.test_tracer.TestLatency.test_observe_adds_minimal_overhead',
      'tests.test_tracer.test_checkout_flow_e2e',
    ]) {
      expect(jsonIds.has(id)).toBe(true);
      expect(junit.tests.map((t) => t.id)).toContain(id);
    }
  });

  it('reads figures from user_properties and metadata', async () => {
    const report = await parsePytestJson(fixture('pytest-json/report.json'));
    const memory = report.figures
      .toArray()
      .filter((f) => f.test === 'tests.test_tracer.TestMemory.test_no_leak_across_flushes');
    expect(memory).toEqual([
      { test: memory[0]?.test, kind: 'memory', operation: 'baseline', value: 0.000528 * 1048576 },
      { test: memory[0]?.test, kind: 'memory', operation: 'final', value: 0.112888 * 1048576 },
      { test: memory[0]?.test, kind: 'memory_growth', value: 0.11236 * 1048576 },
      { test: memory[0]?.test, kind: 'memory', operation: 'peak', value: 0.391232 * 1048576 },
    ]);
    expect(report.figures.toArray().filter((f) => f.kind === 'throughput')).toEqual([
      {
        test: 'tests.test_tracer.TestThroughput.test_span_throughput',
        kind: 'throughput',
        operation: 'observe_decorator',
        value: 1367527.688877979,
      },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('edge cases', async () => {
    await expect(parsePytestJson(fixture('pytest-json/edge/empty.json'))).rejects.toThrow(
      /empty\.json: file is empty/,
    );
    await expect(parsePytestJson(fixture('pytest-json/edge/summary-only.json'))).rejects.toThrow(
      /--json-report-summary/,
    );
    expect(
      (await parsePytestJson(fixture('pytest-json/edge/zero-tests.json'))).tests.toArray(),
    ).toEqual([]);
    const skipped = await parsePytestJson(fixture('pytest-json/edge/skipped-only.json'));
    expect(skipped.tests.toArray()).toEqual([
      expect.objectContaining({ status: 'skipped', message: 'no network', line: 4 }),
    ]);
    const unicode = await parsePytestJson(fixture('pytest-json/edge/unicode-quotes.json'));
    expect(unicode.tests.at(0)).toMatchObject({
      classname: 'tests.sub dir.test_ü.TestÜ',
      file: 'tests/sub dir/test_ü.py',
      message: expect.stringContaining('AssertionError: naïve café ✓') as unknown,
    });
    const long = await parsePytestJson(fixture('pytest-json/edge/long-names.json'));
    expect(long.tests.at(0)?.name).toHaveLength(10_005);
    const durations = await parsePytestJson(fixture('pytest-json/edge/missing-durations.json'));
    expect(durations.tests.map((t) => t.durationSeconds)).toEqual([undefined, 0.5]);
    const unknown = await parsePytestJson(fixture('pytest-json/edge/unknown-fields.json'));
    expect(unknown.tests.toArray()).toEqual([
      expect.objectContaining({ id: 't.test_u', status: 'error' }),
    ]);
    expect(unknown.figures.toArray()).toEqual([
      { test: 't.test_u', kind: 'latency', operation: 'old_style', stat: 'p50', value: 0.003 },
    ]);
    expect(unknown.warnings).toEqual([
      'test "t.test_u": unknown outcome "weird", counted as error',
      'tests[1]: no nodeid, entry ignored',
    ]);
  });

  it('malformed figures warn, good ones stay', async () => {
    const report = await parsePytestJson(fixture('pytest-json/edge/malformed-figures.json'));
    expect(report.figures.toArray()).toEqual([
      { test: 't.test_m', kind: 'metric', name: 'ok', value: 1 },
      { test: 't.test_m', kind: 'memory', operation: 'final', value: 12.5 * 1048576 },
    ]);
    expect(report.warnings).toHaveLength(3);
    expect(report.warnings.every((w) => w.startsWith('test "t.test_m": property "'))).toBe(true);
  });

  it('rejects documents of another shape and detects its own', async () => {
    const error = await parsePytestJson(fixture('ctrf/report.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportError);
    expect(
      pytestJsonParser.detect('{"created": 1, "duration": 2, "exitcode": 0, "root": "/r"'),
    ).toBe(true);
    expect(pytestJsonParser.detect('{"testResults": []}')).toBe(false);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  collectReports,
  DEFAULT_REPORT_PATTERNS,
  UNMATCHED_PATTERN_ERROR,
} from '../../src/reports/collect.js';
import { byId, countByStatus, fixtureWorkspace, setMtime } from './helpers.js';

describe('collectReports', () => {
  it('reads several formats at once and counts a test seen in two reports once', async () => {
    const cwd = await fixtureWorkspace({
      'reports/junit.xml': 'junit/pytest-xunit1.xml',
      'reports/pytest.json': 'pytest-json/report.json',
      'reports/bench.json': 'pytest-benchmark/benchmark.json',
      'web/jest.json': 'jest-json/jest.json',
    });
    const result = await collectReports({
      patterns: ['reports/*', 'web/*.json'],
      cwd,
      format: 'auto',
    });
    expect(result.reports.map((r) => [r.path, r.format, r.tests, r.error]).sort()).toEqual([
      ['reports/bench.json', 'pytest-benchmark', 4, undefined],
      ['reports/junit.xml', 'junit', 9, undefined],
      ['reports/pytest.json', 'pytest-json', 15, undefined],
      ['web/jest.json', 'jest-json', 7, undefined],
    ]);
    // The 9 JUnit tests are all in the pytest-json report too (15): 15 + 4 benchmarks + 7 Jest.
    expect(result.tests).toHaveLength(15 + 4 + 7);
    const e2e = result.tests.filter((t) => t.id === 'tests.test_tracer.test_checkout_flow_e2e');
    expect(e2e).toHaveLength(1);
    expect(e2e[0]).toMatchObject({ status: 'failed', file: 'tests/test_tracer.py', line: 107 });
    // The figures both reports carry are kept once each.
    const p50 = result.figures
      .toArray()
      .filter((f) => f.test.endsWith('test_observe_adds_minimal_overhead') && f.stat === 'p50');
    expect(p50).toHaveLength(1);
    expect(result.warnings).toEqual([]);
  });

  it('a failure followed by a pass in a later report is flaky', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-collect-'));
    const junit = (status: string): string =>
      `<testsuite name="pytest"><testcase classname="t.test_x" name="test_net" time="0.5">${status}</testcase></testsuite>`;
    await writeFile(join(cwd, 'run1.xml'), junit('<failure message="connection reset"/>'));
    await writeFile(join(cwd, 'run2.xml'), junit(''));
    await setMtime(join(cwd, 'run1.xml'), 1_000);
    await setMtime(join(cwd, 'run2.xml'), 2_000);
    const result = await collectReports({ patterns: ['*.xml'], cwd, format: 'junit' });
    expect(result.tests.toArray()).toEqual([
      expect.objectContaining({
        id: 't.test_x.test_net',
        status: 'flaky',
        retries: 1,
        message: 'connection reset',
      }),
    ]);
    // The other way round (a later run failed), the later verdict stands.
    await setMtime(join(cwd, 'run1.xml'), 3_000);
    const reversed = await collectReports({ patterns: ['*.xml'], cwd, format: 'junit' });
    expect(reversed.tests.map((t) => t.status)).toEqual(['failed']);
  });

  it('a broken file gets an error and does not stop the others', async () => {
    const cwd = await fixtureWorkspace({
      'a.xml': 'junit/edge/truncated.xml',
      'b.xml': 'junit/maven-surefire.xml',
      'c.json': 'jest-json/edge/truncated.json',
      'd.xml': 'junit/edge/billion-laughs.xml',
    });
    const result = await collectReports({ patterns: ['*'], cwd, format: 'auto' });
    const byPath = Object.fromEntries(result.reports.map((r) => [r.path, r]));
    expect(byPath['a.xml']?.error).toMatch(/^a\.xml: invalid JUnit XML at line 7/);
    expect(byPath['c.json']?.error).toMatch(/^c\.json: invalid JSON/);
    expect(byPath['d.xml']?.error).toContain('DOCTYPE/entity declarations are not allowed');
    expect(byPath['b.xml']).toMatchObject({ format: 'junit', tests: 6 });
    expect(byPath['b.xml']).not.toHaveProperty('error');
    expect(result.tests).toHaveLength(6);
  });

  it('explicit patterns: exclusions, absolute paths, no-match warnings, unknown formats', async () => {
    const cwd = await fixtureWorkspace({
      'out/junit.xml': 'junit/gotestsum.xml',
      'out/skip/junit.xml': 'junit/maven-surefire.xml',
      'node_modules/pkg/junit.xml': 'junit/maven-surefire.xml',
      'out/pom.xml': 'junit/edge/not-junit.xml',
      'report[1].xml': 'junit/maven-surefire-flaky.xml',
    });
    const result = await collectReports({
      patterns: ['**/*.xml', '!out/skip/**', join(cwd, 'report[1].xml'), 'missing/*.xml', ''],
      cwd,
      format: 'auto',
    });
    expect(result.reports.map((r) => r.path).sort()).toEqual([
      'missing/*.xml',
      'out/junit.xml',
      'out/pom.xml',
      'report[1].xml',
    ]);
    expect(result.reports.find((r) => r.path === 'out/pom.xml')?.error).toBe(
      'not a report of any known format',
    );
    // An explicit pattern that matches nothing is a report error, so fail-on-report-error fails.
    expect(result.reports.find((r) => r.path === 'missing/*.xml')).toEqual({
      path: 'missing/*.xml',
      tests: 0,
      figures: 0,
      bytes: 0,
      error: UNMATCHED_PATTERN_ERROR,
      unmatchedPattern: true,
    });
    expect(result.warnings).toEqual([]);
    expect(countByStatus(result.tests)).toEqual({ passed: 4, failed: 1, skipped: 1, flaky: 1 });
  });

  it('auto-discovery skips old reports with a warning naming them, and non-reports silently', async () => {
    const cwd = await fixtureWorkspace({
      'old/junit.xml': 'junit/gotestsum.xml',
      'new/junit.xml': 'junit/maven-surefire-flaky.xml',
      'new/vitest.json': 'vitest-json/vitest.json',
      'package.json': 'junit/edge/../../../../package.json',
      'new/pom.xml': 'junit/edge/not-junit.xml',
      '.git/junit.xml': 'junit/gotestsum.xml',
    });
    await setMtime(join(cwd, 'old/junit.xml'), 1_000);
    const result = await collectReports({
      patterns: DEFAULT_REPORT_PATTERNS,
      cwd,
      format: 'auto',
      modifiedSince: 10_000_000,
    });
    expect(result.reports.map((r) => [r.path, r.format]).sort()).toEqual([
      ['new/junit.xml', 'junit'],
      ['new/vitest.json', 'jest-json'],
    ]);
    // package.json is older too, but no report: only the old report is named.
    expect(result.warnings).toEqual([
      "Skipped 1 report file(s) older than the command's start: old/junit.xml. Report discovery reads only reports the command wrote, so that reports checked into the repository or left by an earlier step are not taken for this run's; to read them anyway, name them in report-paths.",
    ]);
    expect(byId(result.tests, 'reconnectsAfterDrop').status).toBe('flaky');
  });

  it('a run cancelled before its reports are read still reads them', async () => {
    const cwd = await fixtureWorkspace({ 'junit.xml': 'junit/maven-surefire.xml' });
    const controller = new AbortController();
    controller.abort();
    const result = await collectReports({
      patterns: DEFAULT_REPORT_PATTERNS,
      cwd,
      format: 'auto',
      modifiedSince: 0,
      signal: controller.signal,
    });
    expect(result.tests).toHaveLength(6);
    expect(result.warnings).toEqual([]);
  });

  it('a fixed format is used for every file', async () => {
    const cwd = await fixtureWorkspace({ 'a.json': 'ctrf/report.json' });
    const result = await collectReports({ patterns: ['a.json'], cwd, format: 'jest-json' });
    expect(result.reports[0]?.error).toMatch(/not a Jest\/Vitest JSON report/);
  });
});

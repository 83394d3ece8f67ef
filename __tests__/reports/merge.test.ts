import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Figure, TestCase } from '../../src/model.js';
import { collectReports } from '../../src/reports/collect.js';
import { FigureMerger, mergeTests } from '../../src/reports/merge.js';
import { FigureTable } from '../../src/tables/figure-table.js';
import { byId, fixtureWorkspace, setMtime } from './helpers.js';

describe('mergeTests', () => {
  const base: TestCase = { id: 'a.b', name: 'b', classname: 'a', status: 'passed' };
  it('prefers the entry with more information and fills gaps', () => {
    const merged = mergeTests(
      { ...base, file: 'a.py', line: 3 },
      { ...base, durationSeconds: 1, message: undefined },
    );
    expect(merged).toMatchObject({ file: 'a.py', line: 3, durationSeconds: 1, status: 'passed' });
  });
  it('keeps flaky over a later pass, and counts retries', () => {
    expect(mergeTests({ ...base, status: 'flaky', retries: 2 }, base)).toMatchObject({
      status: 'flaky',
      retries: 2,
    });
    expect(mergeTests({ ...base, status: 'error', retries: 1 }, base)).toMatchObject({
      status: 'flaky',
      retries: 2,
    });
  });
});

describe('merging across reports', () => {
  /** A Jest JSON report of one test file, as Jest writes it: the file's absolute path. */
  const jestReport = (file: string, status: 'passed' | 'failed'): string =>
    JSON.stringify({
      numTotalTests: 1,
      testResults: [
        {
          name: file,
          status,
          assertionResults: [
            {
              ancestorTitles: ['x'],
              title: 'works',
              fullName: 'x works',
              status,
              duration: 3,
              failureMessages: status === 'failed' ? ['Error: expected 1, got 2'] : [],
              location: { line: 4, column: 3 },
            },
          ],
        },
      ],
    });

  it('tests of different packages are never one test: a failure in a monorepo stays a failure', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-collect-'));
    for (const [pkg, status] of [
      ['a', 'failed'],
      ['b', 'passed'],
    ] as const) {
      await mkdir(join(cwd, pkg, 'src'), { recursive: true });
      const report = jestReport(join(cwd, pkg, 'src/x.test.ts'), status);
      await writeFile(join(cwd, pkg, 'jest.json'), report);
    }
    const result = await collectReports({ patterns: ['*/jest.json'], cwd, format: 'auto' });
    expect(result.tests.map((t) => [t.id, t.file, t.status]).sort()).toEqual([
      ['a/src/x.test.ts > x > works', 'a/src/x.test.ts', 'failed'],
      ['b/src/x.test.ts > x > works', 'b/src/x.test.ts', 'passed'],
    ]);
  });

  it('the same JUnit id in two folders is two tests; in one folder a rerun merges', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-collect-'));
    const junit = (outcome: string): string =>
      `<testsuite name="pytest"><testcase classname="tests.test_x" name="test_a" file="tests/test_x.py" line="3" time="0.5">${outcome}</testcase></testsuite>`;
    for (const pkg of ['a', 'b']) await mkdir(join(cwd, pkg, 'tests'), { recursive: true });
    await writeFile(join(cwd, 'a/tests/test_x.py'), '');
    await writeFile(join(cwd, 'a/junit.xml'), junit('<failure message="boom"/>'));
    await writeFile(join(cwd, 'b/junit.xml'), junit(''));
    await setMtime(join(cwd, 'a/junit.xml'), 1_000);
    await setMtime(join(cwd, 'b/junit.xml'), 2_000);
    const apart = await collectReports({ patterns: ['*/junit.xml'], cwd, format: 'junit' });
    expect(apart.tests.map((t) => [t.id, t.status, t.file])).toEqual([
      // The file lies beside a's report: its path is made relative to the working directory.
      ['tests.test_x.test_a', 'failed', 'a/tests/test_x.py'],
      // Not beside b's report: kept as the report gives it.
      ['tests.test_x.test_a', 'passed', 'tests/test_x.py'],
    ]);
    await writeFile(join(cwd, 'a/rerun.xml'), junit(''));
    await setMtime(join(cwd, 'a/rerun.xml'), 3_000);
    const rerun = await collectReports({ patterns: ['*/*.xml'], cwd, format: 'junit' });
    expect(rerun.tests.map((t) => [t.file, t.status])).toEqual([
      ['a/tests/test_x.py', 'flaky'],
      ['tests/test_x.py', 'passed'],
    ]);
  });

  it('annotations point at the file under the working directory, not under the report', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'rma-collect-'));
    await mkdir(join(cwd, 'pkg/src'), { recursive: true });
    await writeFile(
      join(cwd, 'pkg/jest.json'),
      jestReport(join(cwd, 'pkg/src/x.test.ts'), 'failed'),
    );
    const result = await collectReports({ patterns: ['pkg/jest.json'], cwd, format: 'auto' });
    expect(result.tests.at(0)).toMatchObject({ file: 'pkg/src/x.test.ts', line: 4 });
  });

  it('a pytest-benchmark report adds figures and durations, never a status', async () => {
    const cwd = await fixtureWorkspace({
      'reports/junit.xml': 'junit/pytest-xunit1.xml',
      'reports/bench.json': 'pytest-benchmark/benchmark.json',
    });
    const bench = JSON.parse(await readFile(join(cwd, 'reports/bench.json'), 'utf8')) as {
      benchmarks: { fullname: string }[];
    };
    const failing = byId(
      (await collectReports({ patterns: ['reports/junit.xml'], cwd, format: 'junit' })).tests,
      'test_checkout_flow_e2e',
    );
    // The benchmark JSON names a test the JUnit report says failed, and is newer.
    bench.benchmarks[0] = {
      ...bench.benchmarks[0],
      fullname: 'tests/test_tracer.py::test_checkout_flow_e2e',
    };
    await writeFile(join(cwd, 'reports/bench.json'), JSON.stringify(bench));
    await setMtime(join(cwd, 'reports/junit.xml'), 1_000);
    const result = await collectReports({ patterns: ['reports/*'], cwd, format: 'auto' });
    const merged = byId(result.tests, 'test_checkout_flow_e2e');
    expect(merged.status).toBe('failed');
    expect(merged).toEqual(failing);
    expect(
      result.figures.toArray().some((f) => f.test === failing.id && f.kind === 'latency'),
    ).toBe(true);
    // The other benchmarks, which no other report names, count as passed tests.
    expect(result.tests).toHaveLength(9 + bench.benchmarks.length - 1);
  });
});

describe('FigureMerger', () => {
  const latency = (test: string, stat: string, value: number): Figure => ({
    test,
    kind: 'latency',
    operation: 'checkout',
    stat,
    value,
  });

  it('keeps the later value of a figure two reports gave, and every figure given once', () => {
    const merger = new FigureMerger();
    merger.add(FigureTable.from([latency('t.a', 'p50', 1), latency('t.b', 'p50', 2)]));
    merger.add([latency('t.a', 'p50', 1.5), latency('t.a', 'p99', 9), latency('t.c', 'p50', 3)]);
    merger.add([latency('t.c', 'p50', 3.5)]);
    expect(merger.result().toArray()).toEqual([
      latency('t.b', 'p50', 2),
      latency('t.a', 'p50', 1.5),
      latency('t.a', 'p99', 9),
      latency('t.c', 'p50', 3.5),
    ]);
  });

  it('leaves figures of one report alone, repeats included, when no other report overlaps', () => {
    const merger = new FigureMerger();
    merger.add([latency('t.a', 'p50', 1), latency('t.a', 'p50', 2)]);
    merger.add([latency('t.b', 'p50', 3)]);
    expect(
      merger
        .result()
        .toArray()
        .map((f) => f.value),
    ).toEqual([1, 2, 3]);
  });
});

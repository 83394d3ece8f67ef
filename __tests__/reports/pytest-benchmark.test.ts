import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { MAX_FIGURES_PER_REPORT } from '../../src/reports/figures.js';
import { parsePytestBenchmark, pytestBenchmarkParser } from '../../src/reports/pytest-benchmark.js';
import { fixture } from './helpers.js';

interface RawBenchmark {
  fullname: string;
  group: string | null;
  name: string;
  stats: Record<string, number>;
}

describe('pytest-benchmark (real pytest-benchmark 3.2 run)', () => {
  it('one passed test per benchmark, with ids as pytest JUnit forms them', async () => {
    const report = await parsePytestBenchmark(fixture('pytest-benchmark/benchmark.json'));
    expect(report.format).toBe('pytest-benchmark');
    expect(report.tests.map((t) => [t.id, t.status, t.file])).toEqual([
      ['benchmarks.test_bench.test_serialize_span', 'passed', 'benchmarks/test_bench.py'],
      ['benchmarks.test_bench.test_serialize_batch[10]', 'passed', 'benchmarks/test_bench.py'],
      ['benchmarks.test_bench.test_serialize_batch[1000]', 'passed', 'benchmarks/test_bench.py'],
      ['benchmarks.test_bench.test_sort_spans', 'passed', 'benchmarks/test_bench.py'],
    ]);
  });

  it('latency stats in seconds and ops as throughput, operation = group or name', async () => {
    const raw = JSON.parse(await readFile(fixture('pytest-benchmark/benchmark.json'), 'utf8')) as {
      benchmarks: RawBenchmark[];
    };
    const report = await parsePytestBenchmark(fixture('pytest-benchmark/benchmark.json'));
    expect(report.figures).toHaveLength(4 * 7);
    const span = raw.benchmarks.find((b) => b.name === 'test_serialize_span');
    const spanFigures = report.figures
      .toArray()
      .filter((f) => f.test === 'benchmarks.test_bench.test_serialize_span');
    expect(spanFigures).toEqual([
      ...['min', 'max', 'mean', 'median', 'stddev', 'iqr'].map((stat) => ({
        test: 'benchmarks.test_bench.test_serialize_span',
        kind: 'latency',
        operation: 'serialize',
        stat,
        value: span?.stats[stat],
      })),
      {
        test: 'benchmarks.test_bench.test_serialize_span',
        kind: 'throughput',
        operation: 'serialize',
        value: span?.stats.ops,
      },
    ]);
    const sort = report.figures
      .toArray()
      .filter((f) => f.test === 'benchmarks.test_bench.test_sort_spans');
    expect(new Set(sort.map((f) => f.operation))).toEqual(new Set(['test_sort_spans']));
    expect(report.tests.at(0)?.durationSeconds).toBe(span?.stats.total);
  });

  it('edge cases: empty, zero benchmarks, missing stats, Unicode and long names, extra_info', async () => {
    await expect(parsePytestBenchmark(fixture('pytest-benchmark/edge/empty.json'))).rejects.toThrow(
      /file is empty/,
    );
    expect(
      (
        await parsePytestBenchmark(fixture('pytest-benchmark/edge/zero-benchmarks.json'))
      ).tests.toArray(),
    ).toEqual([]);
    const report = await parsePytestBenchmark(
      fixture('pytest-benchmark/edge/unicode-long-missing.json'),
    );
    expect(report.tests).toHaveLength(3);
    expect(report.tests.at(0)?.id).toBe(
      'bench.test_ü.test_ü[naïve café ✓ – 日本語 "quoted" \'single\' <tag> & amp]',
    );
    expect(
      report.figures
        .toArray()
        .filter((f) => f.test === report.tests.at(0)?.id)
        .map((f) => f.stat ?? f.kind),
    ).toEqual(['min', 'max', 'mean', 'median', 'throughput']);
    expect(report.tests.at(1)?.name).toHaveLength(10_005);
    expect(report.figures.toArray().find((f) => f.kind === 'metric')).toEqual({
      test: 'no_fullname_but_name',
      kind: 'metric',
      name: 'rows',
      value: 10,
    });
    expect(report.warnings).toEqual([
      expect.stringContaining('benchmark without stats'),
      'benchmarks[3]: no fullname or name, entry ignored',
    ]);
  });

  it('detects benchmark documents', () => {
    expect(
      pytestBenchmarkParser.detect(
        '{\n  "machine_info": {},\n  "commit_info": {},\n  "benchmarks": [',
      ),
    ).toBe(true);
    expect(pytestBenchmarkParser.detect('{"tests": []}')).toBe(false);
  });
});

describe('pytest-benchmark at scale', () => {
  it('keeps the report figure cap for the stats it exports, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rma-bench-cap-'));
    try {
      // 7 figures per benchmark: 15,000 benchmarks would give 105,000.
      const benchmarks = Array.from({ length: 15_000 }, (_, i) => ({
        fullname: `tests/test_b.py::test_${i}`,
        name: `test_${i}`,
        group: null,
        stats: { min: 1, max: 2, mean: 1.5, median: 1.5, stddev: 0.1, iqr: 0.2, ops: 10, total: 3 },
        extra_info: { 'latency_ms.extra.p95': 5 },
      }));
      const path = join(dir, 'bench.json');
      await writeFile(path, JSON.stringify({ machine_info: {}, commit_info: {}, benchmarks }));
      const report = await parsePytestBenchmark(path);
      expect(report.tests).toHaveLength(15_000);
      expect(report.figures).toHaveLength(MAX_FIGURES_PER_REPORT);
      expect(report.warnings).toEqual([
        `figures beyond the first ${MAX_FIGURES_PER_REPORT} of this report were left out`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * pytest-benchmark `--benchmark-json`: each `benchmarks[]` item is a benchmark that ran to
 * completion, whose `stats` (already in seconds) become latency figures and whose `stats.ops`
 * becomes a throughput figure. Its test entry carries no verdict of its own: when collecting, it
 * adds its duration to the test of the same id from another report of the run (whose status
 * stands), and counts as a passed test only when no other report names it.
 */
import type { Figure } from '../model.js';
import { FigureSink, MAX_FIGURES_PER_REPORT } from './figures.js';
import { splitPytestNodeId, testId } from './ids.js';
import { isObject, jsonHeadHas, num, obj, str } from './json.js';
import { streamJsonArrays } from './json-read.js';
import { ReportError, type ParsedReport, type ReportParser } from './types.js';
import { FigureTable } from '../tables/figure-table.js';
import { TestTable } from '../tables/test-table.js';

/** The array streamed. */
const BENCHMARKS = { arrays: [['benchmarks']] };

/**
 * `stats` keys exported as latency statistics. The quartiles `q1`/`q3`, the outlier bounds
 * `ld15iqr`/`hd15iqr` and the counters (`rounds`, `iterations`, `outliers`) are left out: they are
 * no latency statistic of the convention (the spread is there as `iqr` and `stddev`).
 */
const LATENCY_KEYS = ['min', 'max', 'mean', 'median', 'stddev', 'iqr'] as const;

/**
 * Parses a pytest-benchmark JSON file. Test id: the benchmark's `fullname` (a pytest node id)
 * as pytest's JUnit writer forms ids, so it matches the same test in a JUnit report. Operation:
 * the benchmark `group` when set, else its `name`. Duration: `stats.total`, the time spent in
 * measured rounds. Numbers in `extra_info` that follow the figure naming convention are figures
 * too.
 */
export async function parsePytestBenchmark(filePath: string): Promise<ParsedReport> {
  const tests = new TestTable();
  const figures = new FigureTable();
  const sink = new FigureSink();
  let capped = false;
  // Benchmarks are read one at a time as the file streams (any size).
  const document = await streamJsonArrays(filePath, BENCHMARKS, (bench, index) => {
    const fullname = isObject(bench) ? (str(bench, 'fullname') ?? str(bench, 'name')) : undefined;
    if (!isObject(bench) || fullname === undefined) {
      sink.warnings.push(`benchmarks[${index}]: no fullname or name, entry ignored`);
      return;
    }
    const { classname, name, file } = splitPytestNodeId(fullname);
    const id = testId(classname, name);
    const stats = obj(bench, 'stats');
    const group = str(bench, 'group');
    const operation = group !== undefined && group !== '' ? group : (str(bench, 'name') ?? name);
    tests.push({
      id,
      name,
      classname,
      file: file === '' || !file.endsWith('.py') ? undefined : file,
      status: 'passed',
      durationSeconds: stats === undefined ? undefined : num(stats, 'total'),
    });
    if (stats === undefined) {
      sink.warnings.push(`test "${id}": benchmark without stats`);
      return;
    }
    // The report's figure cap holds for the stats too (7 figures per benchmark).
    if (figures.length + 7 <= MAX_FIGURES_PER_REPORT) {
      for (const stat of LATENCY_KEYS) {
        const value = num(stats, stat);
        if (value !== undefined)
          figures.push({ test: id, kind: 'latency', operation, stat, value });
      }
      const ops = num(stats, 'ops');
      if (ops !== undefined) figures.push({ test: id, kind: 'throughput', operation, value: ops });
    } else capped = true;
    sink.addObject(id, bench.extra_info);
  });
  if (!isObject(document) || !Array.isArray(document.benchmarks)) {
    throw new ReportError(filePath, 'not a pytest-benchmark report: no benchmarks[] array');
  }
  const room = MAX_FIGURES_PER_REPORT - figures.length;
  if (sink.figures.length > room) capped = true;
  for (let row = 0; row < Math.min(room, sink.figures.length); row++) {
    figures.push(sink.figures.at(row) as Figure);
  }
  if (capped && !sink.warnings.some((warning) => warning.startsWith('figures beyond'))) {
    sink.warnings.push(
      `figures beyond the first ${MAX_FIGURES_PER_REPORT} of this report were left out`,
    );
  }
  return { format: 'pytest-benchmark', tests, figures, warnings: sink.warnings };
}

/** Parser of pytest-benchmark JSON files. */
export const pytestBenchmarkParser: ReportParser = {
  format: 'pytest-benchmark',
  detect: (head) =>
    jsonHeadHas(head, 'benchmarks', 'machine_info') ||
    jsonHeadHas(head, 'benchmarks', 'commit_info'),
  parse: parsePytestBenchmark,
};

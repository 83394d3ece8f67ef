/**
 * Merging the tests and figures of several reports into one run. Only reports of the same run of
 * the same suite are merged: reports in the same folder (a JUnit and a JSON report of one pytest
 * run, a rerun's report written beside the first). Tests of reports in different folders (the
 * packages of a monorepo) are never one test, even when their ids are equal.
 */
import { FAILING_STATUSES, type Figure, type TestCase } from '../model.js';

function infoScore(test: TestCase): number {
  let score = 0;
  for (const value of [test.file, test.line, test.durationSeconds, test.message, test.retries]) {
    if (value !== undefined) score += 1;
  }
  return score;
}

/**
 * Merges two reports of one test: `earlier` from an older (or same-age, earlier-named) file.
 * A failure followed by a pass is `flaky`; otherwise the later verdict stands. Fields come from
 * the entry with more information, the other filling what it lacks.
 */
export function mergeTests(earlier: TestCase, later: TestCase): TestCase {
  const [main, other] =
    infoScore(later) >= infoScore(earlier) ? [later, earlier] : [earlier, later];
  const merged: TestCase = {
    ...main,
    file: main.file ?? other.file,
    line: main.line ?? other.line,
    durationSeconds: main.durationSeconds ?? other.durationSeconds,
    message: main.message ?? other.message,
  };
  const laterPassed = later.status === 'passed' || later.status === 'flaky';
  if (FAILING_STATUSES.has(earlier.status) && earlier.status !== 'xpassed' && laterPassed) {
    const retries = (earlier.retries ?? 0) + 1 + (later.retries ?? 0);
    return { ...merged, status: 'flaky', retries, message: earlier.message ?? merged.message };
  }
  if (earlier.status === 'flaky' && later.status === 'passed') {
    return {
      ...merged,
      status: 'flaky',
      retries: Math.max(earlier.retries ?? 1, later.retries ?? 0),
    };
  }
  return { ...merged, status: later.status, message: later.message ?? merged.message };
}

/**
 * Tests of several reports; a test seen in several reports of one group (folder) merged into
 * one. The index is only built once a second report arrives: one large report costs no map.
 */
export class TestMerger {
  readonly tests: TestCase[] = [];
  private indexOf: Map<string, number> | undefined;
  /** Report that last gave each entry of `tests` (-1: an earlier report, before indexing). */
  private readonly reportOf: number[] = [];
  /** Group of each entry of `tests`. */
  private readonly groupOf: string[] = [];

  private static key(group: string, id: string): string {
    return `${group}\u0000${id}`;
  }

  /** Adds the tests of report number `report`, of merge group `group`. */
  add(tests: readonly TestCase[], report: number, group: string): void {
    if (this.indexOf === undefined && this.tests.length > 0) {
      this.indexOf = new Map();
      for (const [index, test] of this.tests.entries()) {
        const key = TestMerger.key(this.groupOf[index] ?? '', test.id);
        if (!this.indexOf.has(key)) this.indexOf.set(key, index);
        this.reportOf.push(-1);
      }
    }
    const indexOf = this.indexOf;
    for (const test of tests) {
      const key = indexOf === undefined ? '' : TestMerger.key(group, test.id);
      const index = indexOf?.get(key);
      if (index === undefined || this.reportOf[index] === report) {
        if (indexOf !== undefined) {
          if (index === undefined) indexOf.set(key, this.tests.length);
          this.reportOf.push(report);
        }
        this.groupOf.push(group);
        this.tests.push(test);
      } else {
        this.tests[index] = mergeTests(this.tests[index] as TestCase, test);
        this.reportOf[index] = report;
      }
    }
  }

  /**
   * Adds benchmark entries, which add figures and durations, never a status: an entry fills the
   * duration of the test of the same id (in the same group first, else in any), and only a
   * benchmark no other report names becomes a test of its own (it ran to completion).
   */
  addBenchmarks(benchmarks: readonly TestCase[], group: string): void {
    const anyGroup = new Map<string, number>();
    const sameGroup = new Map<string, number>();
    this.tests.forEach((test, index) => {
      if (this.groupOf[index] === group && !sameGroup.has(test.id)) sameGroup.set(test.id, index);
      if (!anyGroup.has(test.id)) anyGroup.set(test.id, index);
    });
    for (const bench of benchmarks) {
      const index = sameGroup.get(bench.id) ?? anyGroup.get(bench.id);
      if (index === undefined) {
        this.indexOf?.set(TestMerger.key(group, bench.id), this.tests.length);
        if (this.indexOf !== undefined) this.reportOf.push(-1);
        this.groupOf.push(group);
        this.tests.push(bench);
        continue;
      }
      const test = this.tests[index] as TestCase;
      this.tests[index] = {
        ...test,
        file: test.file ?? bench.file,
        durationSeconds: test.durationSeconds ?? bench.durationSeconds,
      };
    }
  }
}

function figureKey(figure: Figure): string {
  return [
    figure.test,
    figure.kind,
    figure.operation ?? '',
    figure.stat ?? '',
    figure.name ?? '',
  ].join('\u0000');
}

/** Figures of several reports; figures given again by a later report replace the earlier ones. */
export class FigureMerger {
  private readonly figures: Figure[] = [];
  /** Tests with figures from earlier reports; built once a second report brings figures. */
  private earlier: Set<string> | undefined;
  private readonly overlapping = new Set<string>();

  add(figures: readonly Figure[]): void {
    if (figures.length === 0) return;
    if (this.figures.length > 0) {
      this.earlier ??= new Set(this.figures.map((figure) => figure.test));
      for (const figure of figures) {
        if (this.earlier.has(figure.test)) this.overlapping.add(figure.test);
      }
    }
    for (const figure of figures) this.figures.push(figure);
    if (this.earlier !== undefined) for (const figure of figures) this.earlier.add(figure.test);
  }

  result(): Figure[] {
    return dedupeFigures(this.figures, this.overlapping);
  }
}

/**
 * Drops figures that a later report gave again (same test, kind, operation, stat and name), for
 * the tests that several reports gave figures of (JUnit and pytest-json of one pytest run).
 */
function dedupeFigures(figures: Figure[], overlapping: ReadonlySet<string>): Figure[] {
  if (overlapping.size === 0) return figures;
  const seen = new Set<string>();
  const kept: Figure[] = [];
  for (let i = figures.length - 1; i >= 0; i--) {
    const figure = figures[i] as Figure;
    if (overlapping.has(figure.test)) {
      const key = figureKey(figure);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    kept.push(figure);
  }
  return kept.reverse();
}

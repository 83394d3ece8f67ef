/**
 * Merging the tests and figures of several reports into one run. Only reports of the same run of
 * the same suite are merged: reports in the same folder (a JUnit and a JSON report of one pytest
 * run, a rerun's report written beside the first). Tests of reports in different folders (the
 * packages of a monorepo) are never one test, even when their ids are equal.
 */
import {
  FAILING_STATUSES,
  type Figure,
  type FigureList,
  type TestCase,
  type TestList,
} from '../model.js';
import { NumberColumn } from '../tables/columns.js';
import { RowIndex } from '../tables/distinct-keys.js';
import { FigureTable } from '../tables/figure-table.js';
import { TestTable } from '../tables/test-table.js';

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
 * one. The index is only built once a second report arrives: one large report costs no map, and
 * its table is taken over as it is.
 */
export class TestMerger {
  private table: TestTable | undefined;
  /** Row of each group and id, keys rebuilt from the table (no id kept on the heap). */
  private indexOf: RowIndex | undefined;
  /** Report that last gave each row (-1: an earlier report, before indexing). */
  private readonly reportOf = new NumberColumn();
  /** The group of the rows from `start` up to the next range's start. */
  private readonly groups: { readonly start: number; readonly group: string }[] = [];

  private static key(group: string, id: string): string {
    return `${group}\u0000${id}`;
  }

  /** The merged tests. */
  get tests(): TestTable {
    this.table ??= new TestTable();
    return this.table;
  }

  private groupOf(row: number): string {
    let low = 0;
    let high = this.groups.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.groups[middle]?.start ?? 0) <= row) low = middle;
      else high = middle - 1;
    }
    return this.groups[low]?.group ?? '';
  }

  private append(test: TestCase, group: string): void {
    const table = this.tests;
    if (this.groups.at(-1)?.group !== group) this.groups.push({ start: table.length, group });
    table.push(test);
  }

  /** Adds the tests of report number `report`, of merge group `group`. */
  add(tests: TestTable, report: number, group: string): void {
    if (this.table === undefined || this.table.length === 0) {
      if (tests.length === 0) return;
      this.table = tests;
      this.groups.push({ start: 0, group });
      return;
    }
    const table = this.table;
    if (this.indexOf === undefined) {
      const index = new RowIndex((row) => TestMerger.key(this.groupOf(row), table.id(row)));
      for (let row = 0; row < table.length; row++) {
        const key = TestMerger.key(this.groupOf(row), table.id(row));
        if (index.get(key) === undefined) index.add(key, row);
        this.reportOf.set(row, -1);
      }
      this.indexOf = index;
    }
    const indexOf = this.indexOf;
    for (const test of tests) {
      const key = TestMerger.key(group, test.id);
      const index = indexOf.get(key);
      if (index === undefined || this.reportOf.get(index) === report) {
        if (index === undefined) indexOf.add(key, table.length);
        this.reportOf.set(table.length, report);
        this.append(test, group);
      } else {
        table.set(index, mergeTests(table.at(index) as TestCase, test));
        this.reportOf.set(index, report);
      }
    }
  }

  /**
   * Adds benchmark entries, which add figures and durations, never a status: an entry fills the
   * duration of the test of the same id (in the same group first, else in any), and only a
   * benchmark no other report names becomes a test of its own (it ran to completion).
   */
  addBenchmarks(benchmarks: TestList, group: string): void {
    const table = this.tests;
    const anyGroup = new Map<string, number>();
    const sameGroup = new Map<string, number>();
    for (let row = 0; row < table.length; row++) {
      const id = table.id(row);
      if (this.groupOf(row) === group && !sameGroup.has(id)) sameGroup.set(id, row);
      if (!anyGroup.has(id)) anyGroup.set(id, row);
    }
    for (const bench of benchmarks) {
      const index = sameGroup.get(bench.id) ?? anyGroup.get(bench.id);
      if (index === undefined) {
        this.indexOf?.add(TestMerger.key(group, bench.id), table.length);
        if (this.indexOf !== undefined) this.reportOf.set(table.length, -1);
        this.append(bench, group);
        continue;
      }
      const test = table.at(index) as TestCase;
      table.set(index, {
        ...test,
        file: test.file ?? bench.file,
        durationSeconds: test.durationSeconds ?? bench.durationSeconds,
      });
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
  private table: FigureTable | undefined;
  /** First row of each test with figures; built once a second report brings figures. */
  private earlier: RowIndex | undefined;
  /** A row of each test that several reports gave figures of. */
  private overlapping: RowIndex | undefined;

  add(figures: FigureList): void {
    if (figures.length === 0) return;
    if (this.table === undefined) {
      // The first report's table is taken over as it is: one large report is never copied.
      this.table = figures instanceof FigureTable ? figures : FigureTable.from(figures);
      return;
    }
    const table = this.table;
    const testOf = (row: number): string => table.test(row);
    if (this.earlier === undefined) {
      this.earlier = new RowIndex(testOf);
      for (let row = 0; row < table.length; row++) {
        const test = table.test(row);
        if (this.earlier.get(test) === undefined) this.earlier.add(test, row);
      }
    }
    const { earlier } = this;
    const overlapping = (this.overlapping ??= new RowIndex(testOf));
    const start = table.length;
    for (const figure of figures) table.push(figure);
    for (let row = start; row < table.length; row++) {
      const test = table.test(row);
      const first = earlier.get(test);
      if (first === undefined) earlier.add(test, row);
      else if (first < start && overlapping.get(test) === undefined) overlapping.add(test, row);
    }
  }

  result(): FigureTable {
    const table = this.table ?? new FigureTable();
    return this.overlapping === undefined ? table : dedupeFigures(table, this.overlapping);
  }
}

/**
 * Drops figures that a later report gave again (same test, kind, operation, stat and name), for
 * the tests that several reports gave figures of (JUnit and pytest-json of one pytest run). Keys
 * are rebuilt from the rows, never kept: two reports of 100k figures each keep no key strings.
 */
function dedupeFigures(figures: FigureTable, overlapping: RowIndex): FigureTable {
  const seen = new RowIndex((row) => figureKey(figures.at(row) as Figure));
  const dropped = new Uint8Array(figures.length);
  let drops = 0;
  for (let row = figures.length - 1; row >= 0; row--) {
    if (overlapping.get(figures.test(row)) === undefined) continue;
    const key = figureKey(figures.at(row) as Figure);
    if (seen.get(key) === undefined) seen.add(key, row);
    else {
      dropped[row] = 1;
      drops += 1;
    }
  }
  if (drops === 0) return figures;
  const kept = new FigureTable();
  for (let row = 0; row < figures.length; row++) {
    if (dropped[row] === 0) kept.push(figures.at(row) as Figure);
  }
  return kept;
}

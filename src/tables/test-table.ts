/**
 * The tests of a report or a run, kept in columns outside the JS heap ({@link StringStore},
 * {@link NumberColumn}): every stage reads them through {@link TestList}, and the passes over
 * every test (counts, the duration histogram, the selection of per-test series and of the
 * slowest tests) read only the status and duration columns, without building a test object.
 */
import { TEST_STATUSES, type TestCase, type TestList, type TestStatus } from '../model.js';
import { CodeColumn, NO_STRING, NumberColumn, RefColumn, StringStore } from './columns.js';

/** A name reference below this is a suffix of the id: `-(2 + length)`. */
const SUFFIX_BASE = -2;

const STATUS_CODE = new Map(TEST_STATUSES.map((status, code) => [status, code]));

function optionalNumber(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

/** The tests of one report or run, in the order they were added. */
export class TestTable implements TestList {
  private readonly strings = new StringStore();
  private readonly statuses = new CodeColumn();
  private readonly durations = new NumberColumn();
  private readonly lines = new NumberColumn();
  private readonly retryCounts = new NumberColumn();
  private readonly ids = new RefColumn();
  private readonly names = new NumberColumn();
  private readonly classnames = new RefColumn();
  private readonly files = new RefColumn();
  private readonly messages = new RefColumn();
  private rows = 0;
  /** Consecutive tests mostly share their classname and file: the last of each, stored once. */
  private lastClassname = { text: '', ref: NO_STRING };
  private lastFile = { text: '', ref: NO_STRING };

  /** A table holding `tests`. */
  static from(tests: Iterable<TestCase>): TestTable {
    const table = new TestTable();
    for (const test of tests) table.push(test);
    return table;
  }

  /** Number of tests. */
  get length(): number {
    return this.rows;
  }

  /** Adds a test at the end. */
  push(test: TestCase): void {
    this.set(this.rows, test);
  }

  /** Replaces the test at `row` (or adds it when `row` is the length). */
  set(row: number, test: TestCase): void {
    if (!Number.isInteger(row) || row < 0 || row > this.rows) {
      throw new RangeError(`row ${row} is outside the table (${this.rows} rows)`);
    }
    const code = STATUS_CODE.get(test.status);
    if (code === undefined) throw new TypeError(`unknown test status ${test.status as string}`);
    this.statuses.set(row, code);
    this.durations.set(row, test.durationSeconds ?? Number.NaN);
    this.lines.set(row, test.line ?? Number.NaN);
    this.retryCounts.set(row, test.retries ?? Number.NaN);
    this.ids.set(row, this.strings.put(test.id));
    const { id, name } = test;
    this.names.set(
      row,
      name.length <= id.length && id.endsWith(name)
        ? SUFFIX_BASE - name.length
        : this.strings.put(name),
    );
    this.classnames.set(row, this.internLast(test.classname, 'lastClassname'));
    this.files.set(
      row,
      test.file === undefined ? NO_STRING : this.internLast(test.file, 'lastFile'),
    );
    this.messages.set(row, this.strings.putOptional(test.message));
    if (row === this.rows) this.rows += 1;
  }

  private internLast(text: string, last: 'lastClassname' | 'lastFile'): number {
    const known = this[last];
    if (known.ref !== NO_STRING && known.text === text) return known.ref;
    const ref = this.strings.intern(text);
    this[last] = { text, ref };
    return ref;
  }

  /** Status of the test at `row`, read from its column alone. */
  status(row: number): TestStatus {
    return TEST_STATUSES[this.statuses.get(row)] as TestStatus;
  }

  /** Duration of the test at `row`, read from its column alone. */
  durationSeconds(row: number): number | undefined {
    return optionalNumber(this.durations.get(row));
  }

  /** Id of the test at `row`. */
  id(row: number): string {
    return this.strings.get(this.ids.get(row));
  }

  /** File of the test at `row`. */
  file(row: number): string | undefined {
    const ref = this.files.get(row);
    return ref === NO_STRING ? undefined : this.strings.getInterned(ref);
  }

  /** Rewrites the file of every test through `rewrite`, called once per distinct file. */
  mapFiles(rewrite: (file: string) => string): void {
    const rewritten = new Map<number, number>();
    for (let row = 0; row < this.rows; row++) {
      const ref = this.files.get(row);
      if (ref === NO_STRING) continue;
      let to = rewritten.get(ref);
      if (to === undefined) {
        const file = this.strings.get(ref);
        const target = rewrite(file);
        to = target === file ? ref : this.strings.intern(target);
        rewritten.set(ref, to);
      }
      this.files.set(row, to);
    }
  }

  /** The test at `row` as a plain object; undefined outside the table, as for an array. */
  at(row: number): TestCase | undefined {
    const index = row < 0 ? this.rows + row : row;
    if (!Number.isInteger(index) || index < 0 || index >= this.rows) return undefined;
    const id = this.id(index);
    const nameRef = this.names.get(index);
    const messageRef = this.messages.get(index);
    return {
      id,
      name:
        nameRef <= SUFFIX_BASE
          ? id.slice(id.length - (SUFFIX_BASE - nameRef))
          : this.strings.get(nameRef),
      classname: this.strings.getInterned(this.classnames.get(index)),
      file: this.file(index),
      line: optionalNumber(this.lines.get(index)),
      status: this.status(index),
      durationSeconds: this.durationSeconds(index),
      message: messageRef === NO_STRING ? undefined : this.strings.get(messageRef),
      retries: optionalNumber(this.retryCounts.get(index)),
    };
  }

  *[Symbol.iterator](): Iterator<TestCase> {
    for (let row = 0; row < this.rows; row++) yield this.at(row) as TestCase;
  }

  /** The tests for which `keep` is true, as an array. */
  filter(keep: (test: TestCase) => boolean): TestCase[] {
    const kept: TestCase[] = [];
    for (const test of this) if (keep(test)) kept.push(test);
    return kept;
  }

  /** Every test mapped through `map`, as an array. */
  map<T>(map: (test: TestCase) => T): T[] {
    const mapped: T[] = [];
    for (const test of this) mapped.push(map(test));
    return mapped;
  }

  /** Whether `check` holds for every test. */
  every(check: (test: TestCase) => boolean): boolean {
    for (const test of this) if (!check(test)) return false;
    return true;
  }

  /** Whether `check` holds for some test. */
  some(check: (test: TestCase) => boolean): boolean {
    for (const test of this) if (check(test)) return true;
    return false;
  }

  /** The first test for which `check` holds. */
  find(check: (test: TestCase) => boolean): TestCase | undefined {
    for (const test of this) if (check(test)) return test;
    return undefined;
  }

  /** The tests as an array of plain objects. */
  toArray(): TestCase[] {
    return [...this];
  }

  /** Like an array in `JSON.stringify` and in test assertions' output. */
  toJSON(): TestCase[] {
    return this.toArray();
  }
}

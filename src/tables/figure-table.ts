/**
 * The figures of a report or a run, kept in columns outside the JS heap, for the reason the
 * tests are ({@link TestTable}): a report of 100k figures kept as objects grows V8's young
 * generation to its maximum.
 */
import type { Figure, FigureKind, FigureList } from '../model.js';
import { CodeColumn, NO_STRING, NumberColumn, RefColumn, StringStore } from './columns.js';

const KINDS: readonly FigureKind[] = [
  'latency',
  'throughput',
  'memory_growth',
  'memory',
  'spans_generated',
  'spans_delivered',
  'metric',
];
const KIND_CODE = new Map(KINDS.map((kind, code) => [kind, code]));

/** The figures of one report or run, in the order they were added. */
export class FigureTable implements FigureList {
  private readonly strings = new StringStore();
  private readonly tests = new RefColumn();
  private readonly kinds = new CodeColumn();
  private readonly operations = new RefColumn();
  private readonly stats = new RefColumn();
  private readonly names = new RefColumn();
  private readonly values = new NumberColumn();
  private rows = 0;
  /** The last test stored: a test's figures come one after another and share one copy. */
  private lastTest: { readonly text: string; readonly ref: number } | undefined;

  /** A table holding `figures`. */
  static from(figures: Iterable<Figure>): FigureTable {
    const table = new FigureTable();
    for (const figure of figures) table.push(figure);
    return table;
  }

  /** Number of figures. */
  get length(): number {
    return this.rows;
  }

  /** Adds a figure at the end. */
  push(figure: Figure): void {
    const kind = KIND_CODE.get(figure.kind);
    if (kind === undefined) throw new TypeError(`unknown figure kind ${figure.kind as string}`);
    const row = this.rows;
    if (this.lastTest?.text !== figure.test) {
      this.lastTest = { text: figure.test, ref: this.strings.put(figure.test) };
    }
    this.tests.set(row, this.lastTest.ref);
    this.kinds.set(row, kind);
    this.operations.set(row, this.strings.internOptional(figure.operation));
    this.stats.set(row, this.strings.internOptional(figure.stat));
    this.names.set(row, this.strings.internOptional(figure.name));
    this.values.set(row, figure.value);
    this.rows += 1;
  }

  /** The test (or report) the figure at `row` belongs to, without building the figure. */
  test(row: number): string {
    return this.strings.get(this.tests.get(row));
  }

  /** The figure at `row` as a plain object; undefined outside the table, as for an array. */
  at(row: number): Figure | undefined {
    const index = row < 0 ? this.rows + row : row;
    if (!Number.isInteger(index) || index < 0 || index >= this.rows) return undefined;
    const figure: { -readonly [K in keyof Figure]: Figure[K] } = {
      test: this.strings.get(this.tests.get(index)),
      kind: KINDS[this.kinds.get(index)] as FigureKind,
      value: this.values.get(index),
    };
    // Fields a figure lacks stay absent, as the figure parser leaves them.
    const operation = this.operations.get(index);
    if (operation !== NO_STRING) figure.operation = this.strings.getInterned(operation);
    const stat = this.stats.get(index);
    if (stat !== NO_STRING) figure.stat = this.strings.getInterned(stat);
    const name = this.names.get(index);
    if (name !== NO_STRING) figure.name = this.strings.getInterned(name);
    return figure;
  }

  *[Symbol.iterator](): Iterator<Figure> {
    for (let row = 0; row < this.rows; row++) yield this.at(row) as Figure;
  }

  /** The figures as an array of plain objects. */
  toArray(): Figure[] {
    return [...this];
  }

  /** Like an array in `JSON.stringify`. */
  toJSON(): Figure[] {
    return this.toArray();
  }
}

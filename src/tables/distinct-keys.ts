/**
 * Keys told apart, numbered and indexed over many rows without keeping them on the JS heap: each
 * key's 30-bit hash leads to the rows that had it ({@link HashChains}), whose keys are rebuilt and
 * compared, so every answer is exact. Keeping 100k key strings instead would make them survivors
 * of V8's scavenges, the cost the tables exist to avoid.
 */

import { RefColumn, StringStore } from './columns.js';
import { HashChains, hashKey } from './hash-chains.js';

/**
 * Number of distinct keys of rows 0 to `rows - 1`, leaving out the rows whose key is undefined.
 * Exact and off the JS heap ({@link DistinctKeys}).
 */
export function countDistinctKeys(
  rows: number,
  keyOf: (row: number) => string | undefined,
): number {
  const keys = new DistinctKeys((row) => keyOf(row) ?? '');
  for (let row = 0; row < rows; row++) {
    const key = keyOf(row);
    if (key !== undefined) keys.add(row, key);
  }
  return keys.size;
}

/** Distinct keys of rows, each key rebuilt from its row when two hashes meet. */
export class DistinctKeys {
  private readonly chains = new HashChains();

  /** @param keyOf the key of a row added earlier (called again only when hashes meet) */
  constructor(private readonly keyOf: (row: number) => string) {}

  /** Number of distinct keys added. */
  get size(): number {
    return this.chains.size;
  }

  /** Adds the key of `row`; true when no earlier row had the same key. */
  add(row: number, key: string = this.keyOf(row)): boolean {
    const hash = hashKey(key);
    if (this.chains.find(hash, (other) => this.keyOf(other) === key) >= 0) return false;
    this.chains.add(hash, row);
    return true;
  }
}

/**
 * Numbers strings in the order they are first seen (0, 1, 2, …) without keeping them on the JS
 * heap: a 30-bit hash leads to the numbers already given, and `textOf` (by default a copy in a
 * {@link StringStore}) tells them apart. For joins over hundreds of thousands of ids: TRX's test
 * GUIDs, `go test -json`'s reruns.
 */
export class TextIndex {
  private readonly chains = new HashChains();
  private readonly own: { readonly store: StringStore; readonly refs: RefColumn } | undefined;
  private readonly textOf: (number: number) => string;

  /** @param textOf the text given number `n` (when absent, the index keeps a copy of its own) */
  constructor(textOf?: (number: number) => string) {
    if (textOf !== undefined) {
      this.own = undefined;
      this.textOf = textOf;
    } else {
      const own = { store: new StringStore(), refs: new RefColumn() };
      this.own = own;
      this.textOf = (number) => own.store.get(own.refs.get(number));
    }
  }

  /** How many distinct strings were numbered. */
  get size(): number {
    return this.chains.size;
  }

  /** The number of `text`, if it was seen. */
  find(text: string): number | undefined {
    // Stored as UTF-8, a lone surrogate comes back as U+FFFD: compare what was stored.
    const wellFormed = text.toWellFormed();
    const number = this.chains.find(hashKey(wellFormed), (n) => this.textOf(n) === wellFormed);
    return number < 0 ? undefined : number;
  }

  /** The number of `text`: the one it was given, or the next one on first sight. */
  numberOf(text: string): number {
    const found = this.find(text);
    if (found !== undefined) return found;
    const wellFormed = text.toWellFormed();
    const number = this.chains.size;
    if (this.own !== undefined) this.own.refs.set(number, this.own.store.put(wellFormed));
    this.chains.add(hashKey(wellFormed), number);
    return number;
  }
}

/**
 * Rows by key, without keeping the keys: a 30-bit hash leads to candidate rows, and `keyOf`
 * rebuilds a candidate's key to compare. For merging reports of hundreds of thousands of tests.
 */
export class RowIndex {
  private readonly chains = new HashChains();

  /** @param keyOf the key of a row given to {@link add} */
  constructor(private readonly keyOf: (row: number) => string) {}

  /** The first row added with `key`, if any. */
  get(key: string): number | undefined {
    const wellFormed = key.toWellFormed();
    const row = this.chains.find(hashKey(wellFormed), (other) => this.keyOf(other) === wellFormed);
    return row < 0 ? undefined : row;
  }

  /** Adds `row` under `key` (a row added earlier with the same key stays the one found). */
  add(key: string, row: number): void {
    this.chains.add(hashKey(key.toWellFormed()), row);
  }
}

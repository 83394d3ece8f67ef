/**
 * A hash table of rows in typed arrays: buckets by a 30-bit hash of a key, each bucket a chain of
 * entries, every array outside the JS heap. It keeps no key, only hashes and row numbers; the
 * callers rebuild a candidate's key from its row to compare, which makes every answer exact. A
 * `Map` of 300k entries instead is a large object V8 copies as it grows and promotes as a
 * survivor, enough to double the young generation (docs/performance.md).
 */

/** FNV-1a over UTF-16 code units, folded to 30 bits. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ (hash >>> 30)) & 0x3fffffff;
}

const FIRST_CAPACITY = 1024;

/** Rows by hash, in the order they were added. */
export class HashChains {
  /** First entry of each bucket (-1: empty); the bucket of a hash is `hash & (length - 1)`. */
  private heads = new Int32Array(FIRST_CAPACITY).fill(-1);
  /** For each entry: the next entry of its bucket (-1: none), its hash and its row. */
  private next = new Int32Array(FIRST_CAPACITY);
  private hashes = new Int32Array(FIRST_CAPACITY);
  private rows = new Int32Array(FIRST_CAPACITY);
  private count = 0;

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /** Adds `row` under `hash`. */
  add(hash: number, row: number): void {
    if (this.count === this.rows.length) this.grow();
    const entry = this.count;
    const bucket = hash & (this.heads.length - 1);
    this.next[entry] = this.heads[bucket] as number;
    this.hashes[entry] = hash;
    this.rows[entry] = row;
    this.heads[bucket] = entry;
    this.count += 1;
  }

  /** The earliest row added under `hash` that `matches`; -1 when none does. */
  find(hash: number, matches: (row: number) => boolean): number {
    let found = -1;
    // A chain runs from the latest entry to the earliest: the last match is the earliest row.
    for (let entry = this.heads[hash & (this.heads.length - 1)] as number; entry >= 0;) {
      const row = this.rows[entry] as number;
      if (this.hashes[entry] === hash && matches(row)) found = row;
      entry = this.next[entry] as number;
    }
    return found;
  }

  private grow(): void {
    const capacity = this.rows.length * 2;
    const widen = (from: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const to = new Int32Array(capacity);
      to.set(from);
      return to;
    };
    this.next = widen(this.next);
    this.hashes = widen(this.hashes);
    this.rows = widen(this.rows);
    // As many buckets as entries: chains stay about one entry long. Entries are relinked in
    // order, so each chain still runs from the latest entry to the earliest.
    this.heads = new Int32Array(capacity).fill(-1);
    for (let entry = 0; entry < this.count; entry++) {
      const bucket = (this.hashes[entry] as number) & (capacity - 1);
      this.next[entry] = this.heads[bucket] as number;
      this.heads[bucket] = entry;
    }
  }
}

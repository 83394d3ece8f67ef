/**
 * Storage for tables of many rows kept outside the JS heap: numbers in typed-array blocks,
 * strings as UTF-8 in byte blocks. A report of 300k tests kept as 300k objects makes V8 grow
 * its young generation to its maximum (128 MiB on node 24), because every test survives the
 * scavenges that run while the parser allocates; rows in columns are a few large buffers that
 * never move (docs/performance.md, "Tests off the JS heap").
 */

/** Rows per block of a {@link NumberColumn}: columns grow without copying what they hold. */
const ROWS_PER_BLOCK = 1 << 14;
const ROW_MASK = ROWS_PER_BLOCK - 1;
const BLOCK_SHIFT = 14;

/** A column of numbers, every row a float64 (NaN where the row has none). */
export class NumberColumn {
  private readonly blocks: Float64Array[] = [];

  get(row: number): number {
    return (this.blocks[row >>> BLOCK_SHIFT] as Float64Array)[row & ROW_MASK] as number;
  }

  set(row: number, value: number): void {
    const block = row >>> BLOCK_SHIFT;
    while (block >= this.blocks.length) this.blocks.push(new Float64Array(ROWS_PER_BLOCK));
    (this.blocks[block] as Float64Array)[row & ROW_MASK] = value;
  }
}

/** A column of string references ({@link StringStore}), every row a uint32. */
export class RefColumn {
  private readonly blocks: Uint32Array[] = [];

  get(row: number): number {
    return (this.blocks[row >>> BLOCK_SHIFT] as Uint32Array)[row & ROW_MASK] as number;
  }

  set(row: number, value: number): void {
    const block = row >>> BLOCK_SHIFT;
    while (block >= this.blocks.length) this.blocks.push(new Uint32Array(ROWS_PER_BLOCK));
    (this.blocks[block] as Uint32Array)[row & ROW_MASK] = value;
  }
}

/** A column of small codes (0 to 255): statuses, kinds. */
export class CodeColumn {
  private readonly blocks: Uint8Array[] = [];

  get(row: number): number {
    return (this.blocks[row >>> BLOCK_SHIFT] as Uint8Array)[row & ROW_MASK] as number;
  }

  set(row: number, value: number): void {
    const block = row >>> BLOCK_SHIFT;
    while (block >= this.blocks.length) this.blocks.push(new Uint8Array(ROWS_PER_BLOCK));
    (this.blocks[block] as Uint8Array)[row & ROW_MASK] = value;
  }
}

/** Bytes per block of a {@link StringStore}; a longer string gets a block of its own. */
const BLOCK_BYTES = 1 << 20;

/** Reference of a missing string (`undefined`); no stored string has it. */
export const NO_STRING = 0xffffffff;

/** Blocks a store may hold: every reference fits in a uint32 below {@link NO_STRING}. */
const MAX_BLOCKS = 4095;

/** Distinct strings {@link StringStore.intern} remembers; past it, repeats are stored again. */
const MAX_INTERNED = 4_096;

/**
 * Strings as UTF-8 bytes in 1 MiB blocks, each behind a 4-byte length, addressed by a number
 * (`block * 2^20 + offset`, below 2^32: up to 4 GiB). Lone UTF-16 surrogates become U+FFFD, as in every label and
 * Markdown the action writes.
 */
export class StringStore {
  private readonly blocks: Buffer[] = [];
  private used = BLOCK_BYTES;
  private readonly interned = new Map<string, number>();
  /** Interned strings as read back, so that reading them again allocates nothing. */
  private readonly internedRead = new Map<number, string>();

  /** Stores `text`; its reference for {@link get}. */
  put(text: string): number {
    const most = 4 + text.length * 3;
    if (
      this.blocks.length >= MAX_BLOCKS &&
      (most > BLOCK_BYTES || this.used + most > BLOCK_BYTES)
    ) {
      throw new RangeError('more than 4 GiB of test names and messages in one report');
    }
    if (most > BLOCK_BYTES) {
      const bytes = Buffer.byteLength(text);
      const block = Buffer.allocUnsafeSlow(4 + bytes);
      block.writeUInt32LE(block.write(text, 4), 0);
      this.blocks.push(block);
      this.used = BLOCK_BYTES;
      return (this.blocks.length - 1) * BLOCK_BYTES;
    }
    if (this.used + most > BLOCK_BYTES) {
      this.blocks.push(Buffer.allocUnsafeSlow(BLOCK_BYTES));
      this.used = 0;
    }
    const block = this.blocks[this.blocks.length - 1] as Buffer;
    const offset = this.used;
    const written = block.write(text, offset + 4);
    block.writeUInt32LE(written, offset);
    this.used = offset + 4 + written;
    return (this.blocks.length - 1) * BLOCK_BYTES + offset;
  }

  /** Stores `text` once for the strings that repeat (classnames, files, operations). */
  intern(text: string): number {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    const ref = this.put(text);
    if (this.interned.size < MAX_INTERNED) this.interned.set(text, ref);
    return ref;
  }

  /** The string behind `ref`. */
  get(ref: number): string {
    const block = this.blocks[Math.floor(ref / BLOCK_BYTES)] as Buffer;
    const offset = ref % BLOCK_BYTES;
    const start = offset + 4;
    return block.toString('utf8', start, start + block.readUInt32LE(offset));
  }

  /** The interned string behind `ref`, one copy however often it is read. */
  getInterned(ref: number): string {
    let text = this.internedRead.get(ref);
    if (text === undefined) {
      text = this.get(ref);
      if (this.internedRead.size < MAX_INTERNED) this.internedRead.set(ref, text);
    }
    return text;
  }

  /** `put`, or {@link NO_STRING} for undefined. */
  putOptional(text: string | undefined): number {
    return text === undefined ? NO_STRING : this.put(text);
  }

  /** `intern`, or {@link NO_STRING} for undefined. */
  internOptional(text: string | undefined): number {
    return text === undefined ? NO_STRING : this.intern(text);
  }

  /** `get`, or undefined for {@link NO_STRING}. */
  getOptional(ref: number): string | undefined {
    return ref === NO_STRING ? undefined : this.get(ref);
  }
}

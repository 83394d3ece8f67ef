/**
 * Bounded selection: the first `k` items of a list in a given order, without sorting the whole
 * list. With 300k tests and k = 500, a full sort costs a copy of the list and ~5M comparisons;
 * this costs one pass and a buffer of k.
 */

/** Largest `k` selected with the insertion buffer. */
const MAX_BUFFERED = 2_000;

/** The best `k` items offered so far, in order; ties keep the order they were offered in. */
class Selection<T> {
  readonly best: T[] = [];

  constructor(
    private readonly k: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  offer(item: T): void {
    const { best, k, compare } = this;
    // Full and not strictly before the last kept item: an equal one came first and stays.
    if (best.length === k && compare(item, best[k - 1] as T) >= 0) return;
    // After every kept item that is not strictly after it: ties keep the order of `items`.
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(item, best[middle] as T) < 0) high = middle;
      else low = middle + 1;
    }
    best.splice(low, 0, item);
    if (best.length > k) best.pop();
  }
}

/**
 * The `k` first items of `items` in the order of `compare`, the same items in the same order as
 * `[...items].sort(compare).slice(0, k)` (ties keep their order in `items`, as the stable sort
 * does), for items that `keep` accepts (all by default).
 */
export function topK<T>(
  items: Iterable<T>,
  k: number,
  compare: (a: T, b: T) => number,
  keep: (item: T) => boolean = () => true,
): T[] {
  if (k <= 0) return [];
  // Each insertion moves up to k items: past a few thousand, one sort of the kept items is cheaper.
  if (k > MAX_BUFFERED) {
    const kept: T[] = [];
    for (const item of items) if (keep(item)) kept.push(item);
    return kept.sort(compare).slice(0, k);
  }
  const selection = new Selection(k, compare);
  for (const item of items) if (keep(item)) selection.offer(item);
  return selection.best;
}

/**
 * {@link topK} over the rows `0 … rows - 1` of a table, without an iterator: the rows that
 * `keep` accepts, the first `k` of them in the order of `compare`.
 */
export function topKRows(
  rows: number,
  k: number,
  compare: (a: number, b: number) => number,
  keep: (row: number) => boolean = () => true,
): number[] {
  if (k <= 0) return [];
  if (k > MAX_BUFFERED) {
    const kept: number[] = [];
    for (let row = 0; row < rows; row++) if (keep(row)) kept.push(row);
    return kept.sort(compare).slice(0, k);
  }
  const selection = new Selection(k, compare);
  for (let row = 0; row < rows; row++) if (keep(row)) selection.offer(row);
  return selection.best;
}

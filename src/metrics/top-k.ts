/**
 * Bounded selection: the first `k` items of a list in a given order, without sorting the whole
 * list. With 300k tests and k = 500, a full sort costs a copy of the list and ~5M comparisons;
 * this costs one pass and a buffer of k.
 */

/** Largest `k` selected with the insertion buffer. */
const MAX_BUFFERED = 2_000;

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
  const best: T[] = [];
  if (k <= 0) return best;
  // Each insertion moves up to k items: past a few thousand, one sort of the kept items is cheaper.
  if (k > MAX_BUFFERED) {
    const kept: T[] = [];
    for (const item of items) if (keep(item)) kept.push(item);
    return kept.sort(compare).slice(0, k);
  }
  for (const item of items) {
    if (!keep(item)) continue;
    // Full and not strictly before the last kept item: an equal one came first and stays.
    if (best.length === k && compare(item, best[k - 1] as T) >= 0) continue;
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
  return best;
}

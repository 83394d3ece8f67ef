/** Robust location and spread of a small sample: median and scaled MAD. */

/** Median of the values; NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Factor that makes the MAD estimate the standard deviation of normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * Median absolute deviation, scaled by {@link MAD_TO_SIGMA}: one outlier run (a noisy neighbour
 * on a shared runner) moves it little, where it would inflate a standard deviation.
 */
export function scaledMad(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const center = median(values);
  return MAD_TO_SIGMA * median(values.map((value) => Math.abs(value - center)));
}

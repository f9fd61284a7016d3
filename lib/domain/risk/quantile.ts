/**
 * Empirical quantiles. One convention everywhere: linear interpolation between order
 * statistics, Hyndman–Fan type 7 — R's `quantile()` default, numpy `percentile`/pandas
 * `quantile` default (`linear`). Callers that need several quantiles of one series sort it
 * once with {@link sortedCopy} and pass the sorted array to {@link quantileSorted}.
 */

/** Ascending copy of `x` as a Float64Array (typed-array sort is numeric, not lexical). */
export function sortedCopy(x: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(x);
  s.sort();
  return s;
}

/**
 * Type-7 quantile of an ascending array: h = (n−1)·p, q = x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 * @param sorted ascending values (not checked)
 * @param p probability in [0, 1]
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  if (lo < 0) return sorted[0];
  const f = h - lo;
  const a = sorted[lo];
  return f === 0 ? a : a + f * (sorted[lo + 1] - a);
}

/** The position of the type-7 quantile: lower order-statistic index and interpolation weight. */
export function quantilePosition(n: number, p: number): { lo: number; hi: number; weight: number } {
  const h = (n - 1) * p;
  let lo = Math.floor(h);
  if (lo >= n - 1) lo = n - 1;
  if (lo < 0) lo = 0;
  const hi = Math.min(lo + 1, n - 1);
  return { lo, hi, weight: hi === lo ? 0 : h - lo };
}

/** Type-7 quantile of unsorted values (sorts a copy; prefer {@link quantileSorted} for repeated use). */
export function quantile(x: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedCopy(x), p);
}

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
 * How close, in machine epsilons per unit of `scale`, a computed position must be to an integer
 * to be read as that integer. A probability written in decimal (0.9, 0.8) is off by up to half an
 * ulp once it is a double, so 1 − c and (N−1)·(1 − c) can land a few ulps below the integer they
 * stand for; 16 ε·(N−1) covers that with room to spare, and moving a genuinely fractional position
 * that far changes an interpolated quantile by at most that fraction of one order-statistic gap.
 */
const POSITION_TOLERANCE_EPSILONS = 16;

/**
 * `x` rounded to the nearest integer when it is within rounding noise of it (16 ε·max(1, scale)),
 * else `x` unchanged. The type-7 position goes through here, so historical VaR (the interpolated
 * value) and ES (the returns at or below it) agree on which return sits at the quantile.
 */
function snapToInteger(x: number, scale: number): number {
  const k = Math.round(x);
  return Math.abs(x - k) <= POSITION_TOLERANCE_EPSILONS * Number.EPSILON * Math.max(1, scale) ? k : x;
}

/**
 * The position of the type-7 quantile in an ascending array of length n: h = (n−1)·p (snapped to
 * an integer within rounding noise), the lower order-statistic index ⌊h⌋, the upper one and the
 * interpolation weight h − ⌊h⌋ (0 when h is an integer or at the ends).
 */
export function quantilePosition(n: number, p: number): { lo: number; hi: number; weight: number } {
  const h = snapToInteger((n - 1) * p, n - 1);
  let lo = Math.floor(h);
  if (lo >= n - 1) lo = n - 1;
  if (lo < 0) lo = 0;
  const hi = Math.min(lo + 1, n - 1);
  return { lo, hi, weight: hi === lo ? 0 : h - lo };
}

/**
 * Type-7 quantile of an ascending array: q = x[lo] + weight·(x[hi] − x[lo]) at
 * {@link quantilePosition}; exactly x[⌊h⌋] when h is an integer. NaN for an empty array.
 * @param sorted ascending values (not checked)
 * @param p probability in [0, 1]
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const { lo, hi, weight } = quantilePosition(n, p);
  const a = sorted[lo];
  return weight === 0 ? a : a + weight * (sorted[hi] - a);
}

/**
 * Sample moments. Population (biased, divide-by-N) central moments feed skewness,
 * excess kurtosis and the parametric VaR/ES, as in PerformanceAnalytics `centeredmoment`
 * and scipy.stats defaults; volatility uses N−1 ({@link sampleStandardDeviation}).
 *
 * A series that is constant up to floating-point rounding has every central moment exactly 0
 * ({@link isNegligibleDispersion}): prices growing by exactly 1 % a day give returns that differ
 * in their last bits, and their "dispersion" of 1e-16 must not become a volatility of 1e-15 and
 * a Sharpe ratio of 1e15.
 */
import { InsufficientDataError } from './errors.ts';

/**
 * The one near-zero rule of the engine: a dispersion (standard deviation, downside deviation,
 * tracking error — anything in the units of the data) is rounding noise, and is taken as exactly 0,
 * when it is at most 1e-12 × (1 + mean |xᵢ|). Relative to the data's magnitude, with the magnitude
 * of returns counted from 1: a simple return is computed as Pₜ/Pₜ₋₁ − 1, so its rounding error is a
 * few ulps of the price ratio 1 + r (~1e-16), however small r is. 1e-12 leaves four orders of
 * magnitude above that noise and is six below the dispersion of any traded asset's daily returns.
 */
const NEGLIGIBLE_DISPERSION = 1e-12;

/** Whether `dispersion` is rounding noise for data whose mean absolute value is `meanAbs` (see {@link NEGLIGIBLE_DISPERSION}). */
export function isNegligibleDispersion(dispersion: number, meanAbs: number): boolean {
  return dispersion <= NEGLIGIBLE_DISPERSION * (1 + meanAbs);
}

/** Options of the metrics that can reuse a caller's {@link moments} of the same series. */
export interface MomentsOption {
  /** Precomputed `moments(returns)` (saves two passes). */
  moments?: Moments;
}

/** Mean, population central moments m2..m4 and the range, from two passes. */
export interface Moments {
  n: number;
  mean: number;
  /** Σ(x−mean)²/N (population variance); exactly 0 for a series constant up to rounding. */
  m2: number;
  m3: number;
  m4: number;
  /** Σ|x|/N, the magnitude {@link isNegligibleDispersion} measures against. */
  meanAbs: number;
  min: number;
  max: number;
}

/** Arithmetic mean (NaN for an empty input). */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/** All population moments in two passes over `x`; central moments are 0 when the dispersion is negligible. */
export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  if (n === 0) throw new InsufficientDataError('moments', 1, 0);
  let s = 0;
  let sAbs = 0;
  let min = x[0];
  let max = x[0];
  for (let i = 0; i < n; i++) {
    const v = x[i];
    s += v;
    sAbs += Math.abs(v);
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const meanAbs = sAbs / n;
  // Identical values: the mean is the value itself (a float sum / n can be an ulp off).
  if (min === max) return { n, mean: min, m2: 0, m3: 0, m4: 0, meanAbs, min, max };
  const mu = s / n;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mu;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const m2 = s2 / n;
  if (isNegligibleDispersion(Math.sqrt(m2), meanAbs)) return { n, mean: mu, m2: 0, m3: 0, m4: 0, meanAbs, min, max };
  return { n, mean: mu, m2, m3: s3 / n, m4: s4 / n, meanAbs, min, max };
}

/** Sample variance (ddof 1) m2·N/(N−1) from population moments; NaN for N = 1. */
export function sampleVariance(m: Moments): number {
  return (m.m2 * m.n) / (m.n - 1);
}

/** Sample standard deviation (ddof 1) √(m2·N/(N−1)) — R `sd`, pandas `.std()`; NaN for N = 1. */
export function sampleStandardDeviation(m: Moments): number {
  return Math.sqrt(sampleVariance(m));
}

/** Skewness m3/m2^1.5 from population moments; null when m2 = 0 (or so small that it underflows). */
export function skewnessFromMoments(m: Moments): number | null {
  const s = m.m2 > 0 ? m.m3 / m.m2 ** 1.5 : Number.NaN;
  return Number.isFinite(s) ? s : null;
}

/** Excess kurtosis m4/m2² − 3 from population moments; null when m2 = 0 (or m2² underflows). */
export function excessKurtosisFromMoments(m: Moments): number | null {
  const k = m.m2 > 0 ? m.m4 / (m.m2 * m.m2) - 3 : Number.NaN;
  return Number.isFinite(k) ? k : null;
}

/** Bias-corrected skewness G1 = g1·√(N(N−1))/(N−2) from population moments (pandas `.skew()`). */
export function unbiasedSkewnessFromMoments(m: Moments): number | null {
  const g1 = skewnessFromMoments(m);
  if (g1 === null || m.n < 3) return null;
  return (g1 * Math.sqrt(m.n * (m.n - 1))) / (m.n - 2);
}

/** Bias-corrected excess kurtosis G2 = ((N+1)g2 + 6)(N−1)/((N−2)(N−3)) (pandas `.kurt()`). */
export function unbiasedExcessKurtosisFromMoments(m: Moments): number | null {
  const g2 = excessKurtosisFromMoments(m);
  const n = m.n;
  if (g2 === null || n < 4) return null;
  return (((n + 1) * g2 + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

/**
 * Value at Risk and Expected Shortfall of one return series.
 *
 * Sign: every function returns a POSITIVE LOSS FRACTION (0.02 = a 2% loss); the signed
 * return quantile of empyrical/quantstats is the negative of it. A negative value means the
 * tail is a gain (kept as is; PerformanceAnalytics would show NA).
 * Confidence c (0.95 by default) — the tail probability is α = 1 − c.
 *
 * Historical: type-7 quantile q = Q(α) (R `quantile` default, numpy `percentile`), VaR = −q;
 * ES = −mean{rᵢ : rᵢ ≤ q} (never empty: the order statistic below q is ≤ q).
 * Parametric (PerformanceAnalytics `VaR.Gaussian`, `VaR.CornishFisher`, `ES.Gaussian`,
 * `operES.CornishFisher`): mean μ and POPULATION central moments m2, m3, m4 (ddof 0).
 * Horizon H (periods) applies to the parametric measures only, by the square-root-of-time
 * rule: μ → μ·H, σ → σ·√H (skewness and kurtosis are those of one period).
 */

import { DEFAULT_CONFIDENCE } from './defaults.ts';
import { normalPdf, normalPpf } from './distributions.ts';
import { InvalidParameterError, requireConfidence, requireLength } from './errors.ts';
import { excessKurtosisFromMoments, type Moments, moments, skewnessFromMoments } from './moments.ts';
import { quantileSorted, sortedCopy } from './quantile.ts';

/** Options of the historical measures. */
export interface HistoricalOptions {
  /** The same returns sorted ascending, when the caller already has them (saves a sort). */
  sorted?: ArrayLike<number>;
}

/** Options of the parametric measures. */
export interface ParametricOptions {
  /** Horizon in periods for square-root-of-time scaling (default 1). */
  horizon?: number;
  /** Precomputed {@link moments} of the same returns (saves two passes). */
  moments?: Moments;
}

function sortedOf(returns: ArrayLike<number>, opts?: HistoricalOptions): ArrayLike<number> {
  return opts?.sorted ?? sortedCopy(returns);
}

/**
 * Historical VaR −Q(1−c), type-7 quantile (positive loss fraction).
 * @example historicalVar([-0.05, -0.02, 0, 0.01, 0.03], 0.8) // 0.026
 */
export function historicalVar(returns: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE, opts?: HistoricalOptions): number {
  requireLength('historicalVar', returns, 1);
  requireConfidence(confidence);
  return -quantileSorted(sortedOf(returns, opts), 1 - confidence);
}

/**
 * Historical ES: −(mean of the returns at or below the type-7 quantile Q(1−c)); ≥ historical VaR.
 * PerformanceAnalytics `ES.historical` uses strict `<` (differs only when a return equals the
 * quantile exactly); empyrical `conditional_value_at_risk` averages the ⌊(N−1)α⌋+1 smallest.
 */
export function historicalEs(returns: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE, opts?: HistoricalOptions): number {
  requireLength('historicalEs', returns, 1);
  requireConfidence(confidence);
  const s = sortedOf(returns, opts);
  const q = quantileSorted(s, 1 - confidence);
  let sum = 0;
  let k = 0;
  while (k < s.length && s[k] <= q) sum += s[k++];
  return -sum / k;
}

/** The checked inputs every parametric measure starts from: the moments and the horizon H. */
function parametricInputs(metric: string, returns: ArrayLike<number>, confidence: number, opts?: ParametricOptions): { m: Moments; h: number } {
  requireLength(metric, returns, 2);
  requireConfidence(confidence);
  const h = opts?.horizon ?? 1;
  if (!(h > 0 && Number.isFinite(h))) throw new InvalidParameterError('horizon', h, 'a positive number of periods');
  return { m: opts?.moments ?? moments(returns), h };
}

/**
 * Gaussian VaR −μH − z_α·√(m2·H), z_α = Φ⁻¹(1−c), population m2 (PerformanceAnalytics
 * `VaR(method="gaussian")`). quantstats `var` uses ddof 1 instead — see docs/metrics.md.
 */
export function gaussianVar(returns: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE, opts?: ParametricOptions): number {
  const { m, h } = parametricInputs('gaussianVar', returns, confidence, opts);
  return -m.mean * h - normalPpf(1 - confidence) * Math.sqrt(m.m2 * h);
}

/** Gaussian ES −μH + φ(z_α)/α·√(m2·H) (PerformanceAnalytics `ES(method="gaussian")`). */
export function gaussianEs(returns: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE, opts?: ParametricOptions): number {
  const { m, h } = parametricInputs('gaussianEs', returns, confidence, opts);
  const alpha = 1 - confidence;
  return -m.mean * h + (normalPdf(normalPpf(alpha)) / alpha) * Math.sqrt(m.m2 * h);
}

/**
 * Skewness and excess kurtosis for the Cornish–Fisher expansion; (0, 0) for a constant series
 * (and for dispersion so small, ~1e-160, that m2² underflows), where the expansion is Gaussian.
 */
function shape(m: Moments): { s: number; k: number } {
  return { s: skewnessFromMoments(m) ?? 0, k: excessKurtosisFromMoments(m) ?? 0 };
}

/** Cornish–Fisher quantile h = z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36 of the standard variate. */
export function cornishFisherQuantile(z: number, skew: number, exKurt: number): number {
  const z2 = z * z;
  const z3 = z2 * z;
  return z + ((z2 - 1) * skew) / 6 + ((z3 - 3 * z) * exKurt) / 24 - ((2 * z3 - 5 * z) * skew * skew) / 36;
}

/**
 * Cornish–Fisher (modified) VaR −μH − h·√(m2·H), with S, K the population skewness and excess
 * kurtosis (PerformanceAnalytics `VaR(method="modified")`, its default). For a constant series
 * S and K are taken as 0 (the value is then −μ). Not capped at 100% (PA caps it at 1).
 */
export function cornishFisherVar(returns: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE, opts?: ParametricOptions): number {
  const { m, h } = parametricInputs('cornishFisherVar', returns, confidence, opts);
  const { s, k } = shape(m);
  return -m.mean * h - cornishFisherQuantile(normalPpf(1 - confidence), s, k) * Math.sqrt(m.m2 * h);
}

/**
 * Cornish–Fisher (modified) ES in PerformanceAnalytics' "operational" form
 * (`ES(method="modified")`, `operES.CornishFisher`, Boudt–Peterson–Croux 2008):
 * −μH − √(m2·H)·min(−E/α, h), E = φ(h)[1 + h³S/6 + (h⁶−9h⁴+9h²+3)S²/72 + (h⁴−2h²−1)K/24].
 * The min() keeps it ≥ the Cornish–Fisher VaR.
 */
export function cornishFisherEs(returns: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE, opts?: ParametricOptions): number {
  const { m, h: hz } = parametricInputs('cornishFisherEs', returns, confidence, opts);
  const alpha = 1 - confidence;
  const { s, k } = shape(m);
  const h = cornishFisherQuantile(normalPpf(alpha), s, k);
  const h2 = h * h;
  const h3 = h2 * h;
  const h4 = h2 * h2;
  const h6 = h4 * h2;
  const e = normalPdf(h) * (1 + (h3 * s) / 6 + ((h6 - 9 * h4 + 9 * h2 + 3) * s * s) / 72 + ((h4 - 2 * h2 - 1) * k) / 24);
  return -m.mean * hz - Math.sqrt(m.m2 * hz) * Math.min(-e / alpha, h);
}

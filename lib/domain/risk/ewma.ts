/**
 * RiskMetrics EWMA variance: σ²ₜ = λσ²ₜ₋₁ + (1−λ)r²ₜ₋₁, zero mean, λ = 0.94 for daily data.
 *
 * Start value: arch's `EWMAVariance` backcast, σ²₀ = Σ_{i<τ} λ^i r_i² / Σ_{i<τ} λ^i over the
 * first τ = min(75, N) returns (the first return weighted most), so the sequence equals
 * `arch.univariate.EWMAVariance(lam=0.94)`'s conditional variance.
 */
import { InvalidParameterError, requireLength } from './errors.ts';
import { type AnnualizationOptions, annualizeVolatility, periodsOf } from './returns.ts';

/** RiskMetrics decay for daily data. */
export const RISKMETRICS_LAMBDA = 0.94;
/** Observations used by the backcast start value (arch). */
export const EWMA_BACKCAST_OBSERVATIONS = 75;

/** Options of the EWMA estimators. */
export interface EwmaOptions extends AnnualizationOptions {
  /** Decay λ in (0, 1); default 0.94. */
  lambda?: number;
}

/** @internal */
export function lambdaOf(opts?: { lambda?: number }): number {
  const l = opts?.lambda ?? RISKMETRICS_LAMBDA;
  if (!(l > 0 && l < 1)) throw new InvalidParameterError('lambda', l, 'in (0, 1)');
  return l;
}

/** The backcast σ²₀ (see module doc). */
export function ewmaStartVariance(returns: ArrayLike<number>, lambda = RISKMETRICS_LAMBDA): number {
  requireLength('ewmaStartVariance', returns, 1);
  const tau = Math.min(EWMA_BACKCAST_OBSERVATIONS, returns.length);
  let w = 1;
  let sw = 0;
  let s = 0;
  for (let i = 0; i < tau; i++) {
    s += w * returns[i] * returns[i];
    sw += w;
    w *= lambda;
  }
  return s / sw;
}

/**
 * Per-period EWMA variances, length N+1: element t (0 ≤ t ≤ N) is the forecast for return t made
 * with returns 0..t−1 — element 0 is the start value, element N the forecast for the next period.
 */
export function ewmaVarianceSeries(returns: ArrayLike<number>, opts?: { lambda?: number }): Float64Array {
  const lambda = lambdaOf(opts);
  const n = returns.length;
  const out = new Float64Array(n + 1);
  out[0] = ewmaStartVariance(returns, lambda);
  for (let t = 0; t < n; t++) out[t + 1] = lambda * out[t] + (1 - lambda) * returns[t] * returns[t];
  return out;
}

/**
 * Current annualised EWMA volatility √(A·σ²_{N}) — the one-step-ahead forecast after the last
 * return (the last element of {@link ewmaVarianceSeries}).
 */
export function ewmaVolatility(returns: ArrayLike<number>, opts?: EwmaOptions): number {
  const v = ewmaVarianceSeries(returns, opts);
  return annualizeVolatility(Math.sqrt(v[v.length - 1]), periodsOf(opts));
}

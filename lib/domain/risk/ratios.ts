/**
 * Risk-adjusted return ratios of one series. Each returns `null` when it is undefined (a zero
 * denominator, e.g. a constant series has no volatility), never NaN or ±Infinity.
 *
 * Rates are ANNUAL and converted to per period geometrically: rf_p = (1+rf)^(1/A) − 1.
 * The minimum acceptable return (MAR) of Sortino and Omega defaults to the risk-free rate,
 * which defaults to 0.
 */
import { requireLength } from './errors.ts';
import { type MomentsOption, moments, sampleStandardDeviation } from './moments.ts';
import { quantileSorted, sortedCopy } from './quantile.ts';
import { type AnnualizationOptions, periodsOf, perPeriodRate } from './returns.ts';
import { downsideDeviationPerPeriod } from './volatility.ts';

/** Options of the ratios. */
export interface RatioOptions extends AnnualizationOptions, MomentsOption {
  /** Annual risk-free rate (default 0), converted to per period geometrically. */
  riskFree?: number;
  /** Annual minimum acceptable return for Sortino/Omega/downside deviation (default: `riskFree`). */
  mar?: number;
}

/** num/den, or null when the quotient is not a finite number (den = 0). */
export function safeRatio(num: number, den: number): number | null {
  if (den === 0) return null;
  const r = num / den;
  return Number.isFinite(r) ? r : null;
}

/** @internal */
export function marOf(opts?: RatioOptions): number {
  return opts?.mar ?? opts?.riskFree ?? 0;
}

/**
 * Sharpe ratio √A·mean(r − rf_p)/sd(r − rf_p), sd with ddof 1 — empyrical `sharpe_ratio`,
 * quantstats `sharpe` (rf annual as here). PerformanceAnalytics `SharpeRatio.annualized` (2.1.0)
 * uses mean·A / (sd·√A), the same value; PA 2.0.x used the geometric annual return.
 * Since rf_p is a constant, sd(r − rf_p) = sd(r).
 */
export function sharpeRatio(returns: ArrayLike<number>, opts?: RatioOptions): number | null {
  requireLength('sharpeRatio', returns, 2);
  const a = periodsOf(opts);
  const m = opts?.moments ?? moments(returns);
  const sd = sampleStandardDeviation(m);
  return safeRatio((m.mean - perPeriodRate(opts?.riskFree ?? 0, a)) * Math.sqrt(a), sd);
}

/**
 * Sortino ratio √A·mean(r − MAR_p)/DD, DD = √(Σ min(rᵢ − MAR_p, 0)²/N) over all N (empyrical
 * `sortino_ratio`; quantstats `sortino` with MAR = rf). PerformanceAnalytics `SortinoRatio` is the
 * per-period value (this / √A).
 */
export function sortinoRatio(returns: ArrayLike<number>, opts?: RatioOptions): number | null {
  requireLength('sortinoRatio', returns, 1);
  const a = periodsOf(opts);
  const t = perPeriodRate(marOf(opts), a);
  const m = opts?.moments ?? moments(returns);
  return safeRatio((m.mean - t) * Math.sqrt(a), downsideDeviationPerPeriod(returns, t));
}

/**
 * Omega ratio Σ max(rᵢ − MAR_p, 0) / Σ max(MAR_p − rᵢ, 0) (PerformanceAnalytics `Omega(L, method
 * ="simple")`, empyrical `omega_ratio` with `required_return` = MAR annual). Null if nothing falls
 * below the threshold.
 */
export function omegaRatio(returns: ArrayLike<number>, opts?: RatioOptions): number | null {
  requireLength('omegaRatio', returns, 1);
  const t = perPeriodRate(marOf(opts), periodsOf(opts));
  let up = 0;
  let down = 0;
  for (let i = 0; i < returns.length; i++) {
    const d = returns[i] - t;
    if (d > 0) up += d;
    else down -= d;
  }
  return safeRatio(up, down);
}

/**
 * Tail ratio |Q(0.95)| / |Q(0.05)| with type-7 quantiles (empyrical `tail_ratio`, quantstats
 * `tail_ratio`). Null when Q(0.05) = 0.
 */
export function tailRatio(returns: ArrayLike<number>, opts?: { sorted?: ArrayLike<number> }): number | null {
  requireLength('tailRatio', returns, 1);
  const s = opts?.sorted ?? sortedCopy(returns);
  return safeRatio(Math.abs(quantileSorted(s, 0.95)), Math.abs(quantileSorted(s, 0.05)));
}

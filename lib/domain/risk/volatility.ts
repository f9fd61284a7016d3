/**
 * Dispersion measures of one return series: annualised volatility, downside deviation and
 * semideviation. All annualise by √A (A = periods per year, 252 by default).
 */
import { requireLength } from './errors.ts';
import { isNegligibleDispersion, type MomentsOption, moments, sampleStandardDeviation } from './moments.ts';
import { type AnnualizationOptions, annualizeVolatility, periodsOf, perPeriodRate } from './returns.ts';

/**
 * Annualised volatility: sample standard deviation (ddof 1) × √A — empyrical
 * `annual_volatility`, quantstats `volatility`, PerformanceAnalytics `StdDev.annualized`.
 * Exactly 0 for a constant series. Needs ≥ 2 returns.
 */
export function annualizedVolatility(returns: ArrayLike<number>, opts?: AnnualizationOptions & MomentsOption): number {
  requireLength('annualizedVolatility', returns, 2);
  return annualizeVolatility(sampleStandardDeviation(opts?.moments ?? moments(returns)), periodsOf(opts));
}

/** Options of the downside measures. */
export interface DownsideOptions extends AnnualizationOptions {
  /**
   * Minimum acceptable return, as an ANNUAL rate converted to per period geometrically
   * ((1+MAR)^(1/A) − 1). Default 0.
   */
  mar?: number;
}

/**
 * Downside deviation √(Σ min(rᵢ − MAR, 0)² / N) × √A, over ALL N observations ("full" method) —
 * empyrical `downside_risk`, PerformanceAnalytics `DownsideDeviation(method="full")` × √A
 * (PA reports it per period, i.e. this value / √A).
 */
export function downsideDeviation(returns: ArrayLike<number>, opts?: DownsideOptions): number {
  requireLength('downsideDeviation', returns, 1);
  const a = periodsOf(opts);
  return annualizeVolatility(downsideDeviationPerPeriod(returns, perPeriodRate(opts?.mar ?? 0, a)), a);
}

/**
 * @internal √(Σ min(rᵢ − t, 0)² / N), per period; 0 when that is rounding noise (returns on the
 * threshold up to their last bits), by the same rule as the volatility ({@link isNegligibleDispersion}).
 */
export function downsideDeviationPerPeriod(returns: ArrayLike<number>, threshold: number): number {
  let s = 0;
  let sAbs = 0;
  const n = returns.length;
  for (let i = 0; i < n; i++) {
    const d = returns[i] - threshold;
    if (d < 0) s += d * d;
    sAbs += Math.abs(returns[i]);
  }
  const dd = Math.sqrt(s / n);
  return isNegligibleDispersion(dd, sAbs / n) ? 0 : dd;
}

/**
 * Semideviation √(Σ_{rᵢ<mean} (rᵢ − mean)² / N) × √A: downside deviation about the mean with
 * denominator N — PerformanceAnalytics `SemiDeviation` (which is per period; × √A here).
 * Riskfolio divides by N−1 instead.
 */
export function semideviation(returns: ArrayLike<number>, opts?: AnnualizationOptions & MomentsOption): number {
  requireLength('semideviation', returns, 1);
  const m = opts?.moments ?? moments(returns);
  if (m.m2 === 0) return 0;
  return annualizeVolatility(downsideDeviationPerPeriod(returns, m.mean), periodsOf(opts));
}

/**
 * Metrics of a return series relative to a benchmark (both aligned: same length, same dates —
 * see `alignPriceSeries` for the inner join). Anchor: PerformanceAnalytics `table.CAPM`.
 *
 * Risk-free rate: annual, per period rf_p = (1+rf)^(1/A) − 1 (default 0). Beta and alpha are the
 * OLS slope and intercept of (r − rf_p) on (b − rf_p); with a constant rf the slope equals
 * cov(r, b)/var(b) (empyrical `beta`, quantstats `greeks`).
 */
import { betaOf, coMoments, correlationOf } from './co-moments.ts';
import { moments, sampleStandardDeviation } from './moments.ts';
import { safeRatio } from './ratios.ts';
import { type AnnualizationOptions, annualizeGrowth, annualizeVolatility, periodsOf, perPeriodRate } from './returns.ts';
import { downCaptureRatio, upCaptureRatio, upDownBeta } from './up-down.ts';

/** Options of the benchmark-relative metrics. */
export interface BenchmarkOptions extends AnnualizationOptions {
  /** Annual risk-free rate (default 0). */
  riskFree?: number;
}

/**
 * CAPM beta: OLS slope of (r − rf) on (b − rf) = cov(r, b)/var(b) (population co-moments; the
 * ddof cancels). Null if the benchmark is constant (up to rounding).
 */
export function beta(returns: ArrayLike<number>, benchmark: ArrayLike<number>): number | null {
  return betaOf(coMoments(returns, benchmark));
}

/** Active returns rᵢ − bᵢ. */
function activeReturns(returns: ArrayLike<number>, benchmark: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) out[i] = returns[i] - benchmark[i];
  return out;
}

/** All benchmark-relative metrics of aligned series; each is null where it is undefined. */
export interface BenchmarkMetrics {
  /** OLS slope of (r − rf_p) on (b − rf_p) = cov(r, b)/var(b): PerformanceAnalytics `CAPM.beta`, empyrical `beta`. */
  beta: number | null;
  /**
   * Annualised alpha (1 + α_p)^A − 1, α_p the per-period OLS intercept of (r − rf_p) on (b − rf_p)
   * — PerformanceAnalytics `table.CAPM` "Annualized Alpha", empyrical `alpha` (≥ 0.5.3). quantstats
   * reports (mean(r) − β·mean(b))·A instead.
   */
  alpha: number | null;
  /** Pearson correlation; null if either series is constant. */
  correlation: number | null;
  /** R² of the CAPM regression = correlation². */
  rSquared: number | null;
  /**
   * sd(r − b) × √A, ddof 1, from the active returns themselves (no var + var − 2cov cancellation):
   * PerformanceAnalytics `TrackingError`; quantstats and empyrical do not annualise it.
   */
  trackingError: number;
  /**
   * Active premium / tracking error, the premium being the difference of the annualised GEOMETRIC
   * returns (PerformanceAnalytics `InformationRatio`). empyrical `excess_sharpe` and quantstats
   * `information_ratio` give mean(r−b)/sd(r−b), per period. Null if the tracking error is 0.
   */
  informationRatio: number | null;
  /**
   * Annualised geometric excess return ∏(1 + rᵢ − rf_p)^(A/N) − 1 divided by beta
   * (PerformanceAnalytics `TreynorRatio`; quantstats divides the total return). Null if beta is 0 or undefined.
   */
  treynorRatio: number | null;
  /**
   * Up-market capture ratio: annualised geometric return over the periods with b > 0 divided by
   * the benchmark's over them (empyrical `up_capture`; see up-down.ts). Null if b never rose.
   */
  upCaptureRatio: number | null;
  /** Down-market capture ratio, the same over the periods with b < 0 (empyrical `down_capture`). Null if b never fell. */
  downCaptureRatio: number | null;
  /** OLS beta on the periods with b > 0 (empyrical `up_alpha_beta`). */
  upBeta: number | null;
  /** OLS beta on the periods with b < 0 (empyrical `down_alpha_beta`). */
  downBeta: number | null;
}

/** Computes every {@link BenchmarkMetrics} field for aligned series (≥ 2 returns each). */
export function benchmarkMetrics(returns: ArrayLike<number>, benchmark: ArrayLike<number>, opts?: BenchmarkOptions): BenchmarkMetrics {
  const a = periodsOf(opts);
  const c = coMoments(returns, benchmark);
  const n = c.n;
  const b = betaOf(c);
  const rf = perPeriodRate(opts?.riskFree ?? 0, a);
  const corr = correlationOf(c);
  const te = annualizeVolatility(sampleStandardDeviation(moments(activeReturns(returns, benchmark))), a);
  let gA = 1;
  let gB = 1;
  let gX = 1;
  for (let i = 0; i < n; i++) {
    gA *= 1 + returns[i];
    gB *= 1 + benchmark[i];
    gX *= 1 + returns[i] - rf;
  }
  return {
    beta: b,
    alpha: b === null ? null : (1 + (c.meanA - rf) - b * (c.meanB - rf)) ** a - 1,
    correlation: corr,
    rSquared: corr === null ? null : corr * corr,
    trackingError: te,
    informationRatio: safeRatio(annualizeGrowth(gA, n, a) - annualizeGrowth(gB, n, a), te),
    treynorRatio: b === null ? null : safeRatio(annualizeGrowth(gX, n, a), b),
    upCaptureRatio: upCaptureRatio(returns, benchmark, { periodsPerYear: a }),
    downCaptureRatio: downCaptureRatio(returns, benchmark, { periodsPerYear: a }),
    ...upDownBeta(returns, benchmark),
  };
}

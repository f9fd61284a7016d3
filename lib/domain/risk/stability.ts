/**
 * Stability of a wealth curve: how close the log of compounded wealth is to a straight line.
 */
import { coMoments, correlationOf } from './co-moments.ts';
import { requireLength } from './errors.ts';

/**
 * Stability of the equity curve, empyrical `stability_of_timeseries` (pyfolio's "Stability"):
 * the R² of the OLS line fitted to the cumulative log returns yₜ = Σ_{i≤t} ln(1 + rᵢ) against
 * t = 0, 1, …, N−1 (N points: log wealth after each return, without the starting point). 1 = wealth
 * grows (or falls) at a perfectly steady rate; near 0 = no trend. The direction does not matter:
 * a steady fall also gives 1. Null when log wealth is constant (up to rounding). Needs ≥ 2 returns.
 * @example stabilityOfTimeseries([0.01, 0.01, 0.01]) // 1
 */
export function stabilityOfTimeseries(returns: ArrayLike<number>): number | null {
  requireLength('stabilityOfTimeseries', returns, 2);
  const n = returns.length;
  const t = new Float64Array(n);
  const y = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += Math.log1p(returns[i]);
    t[i] = i;
    y[i] = s;
  }
  const rho = correlationOf(coMoments(t, y));
  return rho === null ? null : rho * rho;
}

/**
 * The risk-level label: forward realised volatility over the next `horizon` trading days,
 * bucketed into low/medium/high by the tertiles of the *training-period* forward volatility.
 */
import type { ClassThresholds, RiskLevel } from './types.ts';
import { TrainingDataError } from './errors.ts';

/** Type-7 (linear interpolation, R default / numpy "linear") quantile of unsorted values. */
export function quantile7(values: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** Tertile thresholds (type-7 quantiles 1/3 and 2/3) of the given forward volatilities. */
export function fitTertileThresholds(forwardVols: ArrayLike<number>): ClassThresholds {
  if (forwardVols.length < 3) {
    throw new TrainingDataError(`need at least 3 training rows to fit class thresholds, got ${forwardVols.length}`);
  }
  return { lowMax: quantile7(forwardVols, 1 / 3), mediumMax: quantile7(forwardVols, 2 / 3) };
}

/** low if v <= lowMax, medium if v <= mediumMax, else high. */
export function classifyVolatility(v: number, t: ClassThresholds): RiskLevel {
  if (v <= t.lowMax) return 'low';
  if (v <= t.mediumMax) return 'medium';
  return 'high';
}

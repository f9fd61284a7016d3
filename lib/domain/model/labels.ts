/**
 * The risk-level label: forward realised volatility over the next `horizon` trading days,
 * bucketed into low/medium/high by the tertiles of the forward volatility of the *training
 * period* of a time split, so the test period never shapes the class bounds.
 */
import { TrainingDataError } from './errors.ts';
import { timeSplit } from './split.ts';
import type { ClassThresholds, LabelRule, RiskLevel } from './types.ts';

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

/**
 * Labels rows by volatility bands: splits their dates in time (test share `testSize`, purge
 * gap `horizon` dates, as training splits by default), fits the tertile thresholds on the
 * training rows' forward volatility only, and classes every row with them.
 */
export function labelVolatilityBands(
  rows: readonly { date: string; forwardVol: number }[],
  horizon: number,
  testSize: number,
): { labelRule: Extract<LabelRule, { kind: 'volatility-bands' }>; labels: RiskLevel[] } {
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.forwardVol)) throw new TrainingDataError(`row ${i + 1} (${r.date}): forward volatility is ${r.forwardVol}`, { row: i + 1 });
  });
  const dates = rows.map((r) => r.date);
  const split = timeSplit(dates, testSize, horizon);
  const thresholds = fitTertileThresholds(split.train.map((i) => rows[i].forwardVol));
  // The split's training indices are in date order.
  const fit = { testSize, rows: split.train.length, from: dates[split.train[0]], to: dates[split.train[split.train.length - 1]], testFrom: split.testFrom! };
  return { labelRule: { kind: 'volatility-bands', horizon, thresholds, fit }, labels: rows.map((r) => classifyVolatility(r.forwardVol, thresholds)) };
}

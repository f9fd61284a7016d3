/**
 * The risk-level label: forward realised volatility over the next `horizon` trading days,
 * classed by fixed bands of annualised volatility. The bands are absolute, chosen before seeing
 * any data, so a label means the same thing for every instrument, every era and every training
 * run, and the API can state what `high` means in numbers.
 */
import { TrainingDataError } from './errors.ts';
import type { ClassThresholds, LabelRule, RiskLevel } from './types.ts';

/**
 * The default bands (annualised volatility, fractions): `low` up to 15 %, `medium` up to 25 %,
 * `high` above. They are the upper classes of the European synthetic risk and reward indicator
 * (SRRI, CESR/10-673, used in every UCITS fund's key investor information): SRRI 1–5 are
 * volatility below 15 %, class 6 is 15–25 %, class 7 above 25 %. A broad equity index sits
 * mostly in `low`/`medium`, a single stock mostly in `medium`/`high`, a crisis in `high`.
 */
export const DEFAULT_VOLATILITY_BANDS: Readonly<ClassThresholds> = Object.freeze({ lowMax: 0.15, mediumMax: 0.25 });

/** low if v <= lowMax, medium if v <= mediumMax, else high. */
export function classifyVolatility(v: number, t: ClassThresholds): RiskLevel {
  if (v <= t.lowMax) return 'low';
  if (v <= t.mediumMax) return 'medium';
  return 'high';
}

/** Throws TrainingDataError unless 0 < lowMax < mediumMax, both finite. */
export function checkVolatilityBands(t: ClassThresholds): ClassThresholds {
  if (!(Number.isFinite(t.lowMax) && Number.isFinite(t.mediumMax) && t.lowMax > 0 && t.lowMax < t.mediumMax)) {
    throw new TrainingDataError(`volatility bands need 0 < lowMax < mediumMax (annualised fractions), got ${t.lowMax} and ${t.mediumMax}`);
  }
  return t;
}

/** Labels rows by the volatility bands `thresholds` (default {@link DEFAULT_VOLATILITY_BANDS}). */
export function labelVolatilityBands(
  rows: readonly { date: string; forwardVol: number }[],
  horizon: number,
  thresholds: ClassThresholds = DEFAULT_VOLATILITY_BANDS,
): { labelRule: Extract<LabelRule, { kind: 'volatility-bands' }>; labels: RiskLevel[] } {
  checkVolatilityBands(thresholds);
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.forwardVol)) throw new TrainingDataError(`row ${i + 1} (${r.date}): forward volatility is ${r.forwardVol}`, { row: i + 1 });
  });
  return {
    labelRule: { kind: 'volatility-bands', horizon, thresholds: { lowMax: thresholds.lowMax, mediumMax: thresholds.mediumMax } },
    labels: rows.map((r) => classifyVolatility(r.forwardVol, thresholds)),
  };
}

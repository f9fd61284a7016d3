/**
 * The HAR baseline (Corsi 2009, "A Simple Approximate Long-Memory Model of Realized
 * Volatility"): the log of the volatility over the label's horizon regressed on the logs of
 * the daily, weekly and monthly realised volatility known today,
 *
 *   ln σ_fwd = b0 + b_d ln RV_d + b_w ln RV_w + b_m ln RV_m + ε,   ε ~ N(0, s²),
 *
 * fitted by ordinary least squares on training rows only. Its class probabilities come from
 * that Gaussian predictive distribution against the label's own thresholds:
 * P(low) = Φ((ln lowMax − μ)/s), P(medium) = Φ((ln mediumMax − μ)/s) − P(low), P(high) = the rest.
 * Daily data has no intraday realised variance, so the components are built from daily
 * returns: RV over w days = √(252 · mean of the last w squared simple returns) for w = 1, 5, 22
 * (the same components as the rv_d, rv_w, rv_m features).
 */

import { HAR_WINDOWS, realisedVolatility } from '../features/index.ts';
import { normalCdf } from '../risk/distributions.ts';
import { TrainingDataError } from './errors.ts';
import { solveLinearSystem } from './linear-system.ts';
import { type ClassThresholds, RISK_LEVELS, type RowVolatility } from './types.ts';

/**
 * Smallest realised volatility a regressor takes in the HAR baseline (annualised). A day without
 * a price change (a holiday in a weekday calendar, a stale quote) has RV 0; the features floor
 * logs at 0.01 %/yr, which leaves such a day at ln 1e−4 ≈ −9.2 against a usual −2, a point that
 * would steer an OLS fit by itself. Flooring at 1 %/yr keeps it in the regression without that
 * leverage.
 */
export const HAR_VOL_FLOOR = 0.01;

/** The realised-volatility components of one row, without the forward target. */
export type HarComponents = Pick<RowVolatility, 'daily' | 'weekly' | 'monthly'>;

/**
 * Daily, weekly and monthly realised volatility at every date of a close series (annualised;
 * the features' `realisedVolatility` over Corsi's 1, 5 and 22 days; NaN until a window is
 * complete). The value at date t uses closes up to t only.
 */
export function realizedVolatilityComponents(close: Float64Array): { daily: Float64Array; weekly: Float64Array; monthly: Float64Array } {
  return {
    daily: realisedVolatility(close, HAR_WINDOWS.d),
    weekly: realisedVolatility(close, HAR_WINDOWS.w),
    monthly: realisedVolatility(close, HAR_WINDOWS.m),
  };
}

/** A fitted HAR regression (stored in the model artifact, so any champion can be re-scored against it). */
export interface HarModel {
  /** [b0, b_d, b_w, b_m] on natural logs of annualised volatility. */
  coefficients: number[];
  /** Residual standard deviation s (ddof 4). */
  sigma: number;
  /** Rows the regression was fitted on. */
  rows: number;
}

/** The regressors [1, ln RV_d, ln RV_w, ln RV_m] of one row. */
function design(v: HarComponents): number[] {
  const ln = (x: number) => Math.log(Math.max(x, HAR_VOL_FLOOR));
  return [1, ln(v.daily), ln(v.weekly), ln(v.monthly)];
}

/** Whether a row's volatilities can enter the regression (all finite and positive). */
export function usableVolatility(v: RowVolatility | undefined): v is RowVolatility {
  return v !== undefined && [v.daily, v.weekly, v.monthly].every((x) => Number.isFinite(x) && x >= 0) && Number.isFinite(v.forward) && v.forward > 0;
}

/**
 * OLS of ln forward volatility on the log components of `rows` (normal equations solved by
 * Gaussian elimination with partial pivoting: four unknowns). Throws TrainingDataError with
 * fewer than 8 usable rows or a singular design.
 */
export function fitHar(rows: readonly RowVolatility[]): HarModel {
  const p = 4;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  let n = 0;
  for (const v of rows) {
    if (!usableVolatility(v)) continue;
    const x = design(v);
    const y = Math.log(v.forward);
    for (let i = 0; i < p; i++) {
      xty[i] += x[i] * y;
      for (let j = 0; j < p; j++) xtx[i][j] += x[i] * x[j];
    }
    n += 1;
  }
  if (n < 2 * p) throw new TrainingDataError(`the HAR baseline needs at least ${2 * p} rows with realised volatilities, got ${n}`);
  const b = solveLinearSystem(xtx, xty);
  if (b === null) throw new TrainingDataError('the HAR regression is singular (the realised-volatility components do not vary)');
  let ssr = 0;
  for (const v of rows) {
    if (!usableVolatility(v)) continue;
    const e = Math.log(v.forward) - dot(b, design(v));
    ssr += e * e;
  }
  return { coefficients: b, sigma: Math.sqrt(ssr / (n - p)), rows: n };
}

/** The HAR forecast of ln forward volatility for one row's components: what a feature built on HAR would use. */
export function harForecast(model: HarModel, v: HarComponents): number {
  return dot(model.coefficients, design(v));
}

/**
 * HAR class probabilities [low, medium, high] for one row, from the Gaussian predictive
 * distribution of ln forward volatility against `thresholds`.
 */
export function harClassProbabilities(model: HarModel, v: HarComponents, thresholds: ClassThresholds): [number, number, number] {
  const mu = harForecast(model, v);
  const s = model.sigma > 0 ? model.sigma : Number.MIN_VALUE;
  const pLow = normalCdf((Math.log(thresholds.lowMax) - mu) / s);
  const pUpToMedium = normalCdf((Math.log(thresholds.mediumMax) - mu) / s);
  return [pLow, Math.max(0, pUpToMedium - pLow), 1 - pUpToMedium];
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * HAR class probabilities of one row's components in `classes` order (a subset of the risk
 * levels; renormalised over it), or null when a component is not a finite number.
 */
export function harProbabilitiesFor(model: HarModel, v: HarComponents, thresholds: ClassThresholds, classes: readonly string[]): number[] | null {
  if (![v.daily, v.weekly, v.monthly].every(Number.isFinite)) return null;
  const byLevel = harClassProbabilities(model, v, thresholds);
  const p = classes.map((c) => {
    const k = (RISK_LEVELS as readonly string[]).indexOf(c);
    return k < 0 ? 0 : byLevel[k];
  });
  const s = p.reduce((a, b) => a + b, 0);
  return s > 0 ? p.map((x) => x / s) : classes.map(() => 1 / classes.length);
}

/**
 * The features that carry the HAR components (the rv_d, rv_w, rv_m features: the same
 * realised volatilities), so a model whose features include them can evaluate HAR on any
 * feature row, at scoring time too.
 */
const HAR_FEATURES = ['rv_d', 'rv_w', 'rv_m'] as const;

/** Positions of HAR_FEATURES in `featureNames`, or null when one is missing. */
export function harFeatureColumns(featureNames: readonly string[]): [number, number, number] | null {
  const cols = HAR_FEATURES.map((f) => featureNames.indexOf(f));
  return cols.every((c) => c >= 0) ? [cols[0], cols[1], cols[2]] : null;
}

/** The HAR components of a feature row (`cols` from {@link harFeatureColumns}). */
export function harComponentsOf(x: readonly number[], cols: readonly [number, number, number]): HarComponents {
  return { daily: x[cols[0]], weekly: x[cols[1]], monthly: x[cols[2]] };
}

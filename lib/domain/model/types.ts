/**
 * Shapes shared by the dataset builder, training, evaluation and prediction.
 * All dates are ISO `YYYY-MM-DD`; volatilities are annualised fractions (0.2 = 20 %/year).
 */

/** The risk label: forward realised volatility classed by fixed annualised-volatility bands (labels.ts). */
export type RiskLevel = 'low' | 'medium' | 'high';
export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high'];

/** Upper bounds of the two lower classes: low if v <= lowMax, medium if v <= mediumMax, else high. */
export interface ClassThresholds {
  lowMax: number;
  mediumMax: number;
}

/**
 * How the labels of a training set were made; a trained model records its set's rule.
 *
 * - `volatility-bands`: riskfn's risk level. The label of a row dated t is the class of the
 *   annualised volatility of the `horizon` returns after t under `thresholds`, absolute bands
 *   fixed before seeing data (default 15 % and 25 %, labels.ts), so no period of the data
 *   shapes them and a class means the same for every instrument and era. Label column `risk_level`.
 * - `given`: labels came with the data (a CSV's `target` column). `horizon` says how many rows
 *   ahead they look, if they do (the purge gap of a time split and the lag of the
 *   persistence baseline); null when they do not or nobody said.
 */
export type LabelRule =
  | {
      kind: 'volatility-bands';
      /** Trading days the label looks ahead (≥ 2). */
      horizon: number;
      /** Annualised-volatility class bounds (fractions: 0.15 = 15 %/yr). */
      thresholds: ClassThresholds;
    }
  | { kind: 'given'; target: string; horizon: number | null };

/** The label column of a risk-level dataset. */
export const RISK_LEVEL_COLUMN = 'risk_level';

/** Name of the label column: `risk_level` for volatility bands, else the given target. */
export function labelColumn(rule: LabelRule): string {
  return rule.kind === 'given' ? rule.target : RISK_LEVEL_COLUMN;
}

/**
 * Realised volatilities of a row built from prices, annualised (×√252), for the HAR baseline
 * (har.ts). `daily`, `weekly` and `monthly` use returns up to the row's date only (Corsi's
 * 1, 5 and 22 days: √(252 · mean r²) over the window, floored at HAR_VOL_FLOOR); `forward` is
 * what the label classes: the volatility of the `horizon` returns after the date.
 */
export interface RowVolatility {
  daily: number;
  weekly: number;
  monthly: number;
  forward: number;
}

/** One row of a training set: an instrument-day for sets built from prices. */
export interface TrainingRow {
  /** Instrument id; null when the data has none. */
  symbol: string | null;
  /** ISO date; null when the data has none. */
  date: string | null;
  /** Feature values in `TrainingSet.featureNames` order, computed from data up to `date`. */
  features: number[];
  label: string;
  /**
   * Realised volatilities behind the HAR baseline and the label (sets built from prices);
   * absent for given labels. Never a feature: `forward` looks ahead.
   */
  volatility?: RowVolatility;
}

/** The rows' dates, or null when any row has none (no time order to respect). */
export function datesOf(rows: readonly TrainingRow[]): string[] | null {
  const dates: string[] = [];
  for (const r of rows) {
    if (r.date === null) return null;
    dates.push(r.date);
  }
  return dates;
}

/** The one input of training and evaluation, whether built from prices or read from a CSV. */
export interface TrainingSet {
  labelRule: LabelRule;
  featureNames: string[];
  /** Sorted by (date, symbol) when built from prices; a CSV's rows stay in file order. */
  rows: TrainingRow[];
  /** Symbol of the benchmark used for beta features, if any. */
  benchmark?: string;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Classification scores of one predictor on the test rows. */
export interface ClassificationMetrics {
  accuracy: number;
  /** Mean recall over the classes present in the true labels. */
  balancedAccuracy: number;
  /** Mean negative log-likelihood of the true class, probabilities clipped to [1e-15, 1]. */
  logLoss: number;
  /** Multi-class Brier score: mean over rows of Σ_k (p_k - [y = k])², in [0, 2]. */
  brier: number;
  perClass: Record<string, ClassMetrics>;
  /** `matrix[i][j]` = rows of true class `labels[i]` predicted as `labels[j]`. */
  confusion: { labels: string[]; matrix: number[][] };
}

export interface FeatureImportance {
  feature: string;
  importance: number;
}

export interface PermutationImportance {
  feature: string;
  /** Mean drop in test accuracy when the column is shuffled. */
  mean: number;
  std: number;
}

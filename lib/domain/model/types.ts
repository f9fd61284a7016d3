/**
 * Shapes shared by the dataset builder, training, evaluation and prediction.
 * All dates are ISO `YYYY-MM-DD`; volatilities are annualised fractions (0.2 = 20 %/year).
 */

/** The label: forward realised volatility bucketed by thresholds fit on the training period. */
export type RiskLevel = 'low' | 'medium' | 'high';
export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high'];

/** One instrument-day of the training set. */
export interface TrainingRow {
  symbol: string;
  date: string;
  /** Feature values in `TrainingSet.featureNames` order, computed from prices up to `date`. */
  features: number[];
  /** Annualised std (ddof 1) of the `horizon` simple returns after `date` (the label source). */
  forwardVol: number;
  /**
   * Annualised std of the `horizon` returns up to and including `date`: what the persistence
   * baseline classifies. Optional so that a set that went through a codec without it still
   * works (then it is taken from the same symbol's forwardVol `horizon` rows earlier, which is
   * the same number when rows are consecutive trading days).
   */
  trailingVol?: number;
}

export interface TrainingSet {
  /** Label horizon in trading days (also the purge gap of the time split). */
  horizon: number;
  featureNames: string[];
  /** Sorted by (date, symbol). */
  rows: TrainingRow[];
  /** Symbol of the benchmark used for beta features, if any. */
  benchmark?: string;
}

/** Upper bounds of the two lower classes: low if v <= lowMax, medium if v <= mediumMax, else high. */
export interface ClassThresholds {
  lowMax: number;
  mediumMax: number;
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

export interface EvaluationReport {
  split: 'time' | 'random' | 'from-date';
  classes: string[];
  trainRows: number;
  testRows: number;
  /** First date of the test rows (null when the data has no dates). */
  testFrom: string | null;
  testTo: string | null;
  trainFrom: string | null;
  trainTo: string | null;
  /** Dates dropped between the training and test periods (time split only). */
  purgeGap: number;
  accuracy: number;
  balancedAccuracy: number;
  logLoss: number;
  brier: number;
  model: ClassificationMetrics;
  /** Out-of-bag accuracy on the training rows (null if unavailable, e.g. for a loaded model). */
  oobScore: number | null;
  baselines: {
    majority: ClassificationMetrics & { predicts: string };
    /** Null when the data has no dates/symbols or no thresholds to apply. */
    persistence: ClassificationMetrics | null;
  };
  importance?: {
    impurity: FeatureImportance[];
    permutation: PermutationImportance[];
  };
  /** Notes about this evaluation a reader should know (e.g. labels from a different split). */
  notes: string[];
}

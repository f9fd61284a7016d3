/**
 * Using a trained artifact: the risk level of an instrument on its last date (with the
 * per-feature contributions behind it), and the class of any row of feature values.
 */
import { computeFeatureRow, FeatureInputError, MAX_LOOKBACK } from '../features/index.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import { artifactForest, type ModelArtifact } from './artifact.ts';
import { decideClass, displayOrder, reindex } from './class-order.ts';
import { InsufficientHistoryError, ModelArtifactError, TrainingDataError } from './errors.ts';
import { servedProbabilities } from './served.ts';
import { RISK_LEVELS, type RiskLevel } from './types.ts';

export interface FeatureContribution {
  feature: string;
  value: number;
  contribution: number;
}

export interface RowPrediction {
  /**
   * Predicted class: the one whose probability is highest relative to its training frequency
   * (decideClass: the balanced-accuracy decision; ties go to the earlier class in display order).
   */
  label: string;
  /** Class probabilities in display order (low, medium, high for risk levels). */
  probabilities: Record<string, number>;
  /** Toward the predicted class, sorted by |contribution| descending. */
  contributions: FeatureContribution[];
  /** The forest's training base rate of the predicted class. */
  baseRate: number;
  /**
   * What the calibration adds to the forest's vote share of the predicted class:
   * probability = baseRate + Σ contributions + calibration, exactly. The contributions explain
   * the forest's vote share (baseRate + Σ contributions); the calibration (the map fitted on
   * held-out rows, pooled with the HAR baseline's probabilities: calibration.ts) turns that share
   * into the served probability.
   */
  calibration: number;
}

/** Predicts one feature row (values in `artifact.featureNames` order). */
export function predictFeatureRow(artifact: ModelArtifact, x: readonly number[]): RowPrediction {
  if (x.length !== artifact.featureNames.length) {
    throw new TrainingDataError(`expected ${artifact.featureNames.length} feature values, got ${x.length}`);
  }
  const forest = artifactForest(artifact);
  const classes = displayOrder(artifact.classes);
  const proba = servedProbabilities(forest, artifact.calibration, artifact.baselines.har, artifact.labelRule, artifact.featureNames, [x], classes)[0];
  const label = classes[decideClass(proba, reindex(artifact.baselines.classPriors, artifact.classes, classes))];
  const k = artifact.classes.indexOf(label);
  const { bias, contributions } = forest.contributions(x);
  const list = artifact.featureNames.map((feature, f) => ({ feature, value: x[f], contribution: contributions[f][k] }));
  // The remainder rather than served − raw, so the sum is exact in floating point too.
  const explained = list.reduce((a, c) => a + c.contribution, bias[k]);
  list.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1));
  const probability = proba[classes.indexOf(label)];
  return {
    label,
    probabilities: Object.fromEntries(classes.map((c, i) => [c, proba[i]])),
    contributions: list,
    baseRate: bias[k],
    calibration: probability - explained,
  };
}

/**
 * Risk level of `series` on its last date. Throws InsufficientHistoryError when the history
 * is too short for every feature the model uses, ModelArtifactError when the model does not
 * predict risk levels from price features (other classes, or a feature riskfn does not know),
 * FeatureInputError (reason `missing-input`) when the series lacks an input (OHLC, volume,
 * benchmark) the model's features need.
 */
export function predictRiskLevel(
  artifact: ModelArtifact,
  series: PriceSeries,
  opts: { benchmark?: PriceSeries } = {},
): {
  asOf: string;
  riskLevel: RiskLevel;
  probabilities: Record<RiskLevel, number>;
  contributions: FeatureContribution[];
  baseRate: number;
  calibration: number;
} {
  if (!artifact.classes.every((c) => (RISK_LEVELS as readonly string[]).includes(c))) {
    throw new ModelArtifactError(`this model predicts [${artifact.classes.join(', ')}], not risk levels`, { field: 'classes' });
  }
  const n = series.dates.length;
  if (n < MAX_LOOKBACK + 1) {
    throw new InsufficientHistoryError(
      `not enough history: the model's features need ${MAX_LOOKBACK + 1} consecutive prices, the series has ${n}`,
      MAX_LOOKBACK + 1,
      n,
    );
  }
  let x: number[];
  try {
    // Only the scored date's features (the last row), not every date's.
    x = computeFeatureRow(series, artifact.featureNames, opts);
  } catch (err) {
    if (err instanceof FeatureInputError && err.reason === 'unknown-feature') {
      throw new ModelArtifactError(`the model uses feature '${err.feature}', which riskfn cannot compute from prices`, { field: 'featureNames', cause: err });
    }
    throw err;
  }
  const last = n - 1;
  const missing = artifact.featureNames.filter((_, f) => !Number.isFinite(x[f]));
  if (missing.length > 0) {
    throw new InsufficientHistoryError(
      `not enough history on ${series.dates[last]} for ${missing.join(', ')}: the model needs ${MAX_LOOKBACK + 1} consecutive prices` +
        (opts.benchmark && missing.includes('beta_63') ? ' (and benchmark prices on the same dates)' : '') +
        `, the series has ${n}`,
      MAX_LOOKBACK + 1,
      n,
    );
  }
  const p = predictFeatureRow(artifact, x);
  const probabilities = { low: 0, medium: 0, high: 0 } as Record<RiskLevel, number>;
  for (const [c, v] of Object.entries(p.probabilities)) probabilities[c as RiskLevel] = v;
  return {
    asOf: series.dates[last],
    riskLevel: p.label as RiskLevel,
    probabilities,
    contributions: p.contributions,
    baseRate: p.baseRate,
    calibration: p.calibration,
  };
}

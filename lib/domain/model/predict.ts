/**
 * Using a trained artifact: the risk level of an instrument on its last date (with the
 * per-feature contributions behind it), scoring rows of a feature table, and re-scoring any
 * artifact on the out-of-sample rows of a training set (the promotion gate's comparison).
 */
import { argmax } from '../../util/argmax.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import { FeatureInputError, MAX_LOOKBACK, computeFeatureColumns } from '../features/index.ts';
import { loadArtifactForest, type ModelArtifact } from './artifact.ts';
import { InsufficientHistoryError, ModelArtifactError, TrainingDataError } from './errors.ts';
import { displayOrder, reindex, scoreRows } from './evaluation.ts';
import type { FittedForest } from './forest-adapter.ts';
import { classifyVolatility } from './labels.ts';
import { reportScores, trailingVolatilities } from './train.ts';
import { RISK_LEVELS, type EvaluationReport, type RiskLevel, type TrainingSet } from './types.ts';

const forests = new WeakMap<ModelArtifact, FittedForest>();

/** The artifact's forest, loaded once per artifact object. */
export function forestOf(artifact: ModelArtifact): FittedForest {
  let f = forests.get(artifact);
  if (!f) {
    f = loadArtifactForest(artifact);
    forests.set(artifact, f);
  }
  return f;
}

export interface FeatureContribution {
  feature: string;
  value: number;
  contribution: number;
}

export interface RowPrediction {
  /** Predicted class (argmax of the probabilities; ties go to the earlier class in display order). */
  label: string;
  /** Class probabilities in display order (low, medium, high for risk levels). */
  probabilities: Record<string, number>;
  /** Toward the predicted class, sorted by |contribution| descending. */
  contributions: FeatureContribution[];
  /** The forest's training base rate of the predicted class: probability = baseRate + Σ contributions. */
  baseRate: number;
}

/** Predicts one feature row (values in `artifact.featureNames` order). */
export function predictFeatureRow(artifact: ModelArtifact, x: readonly number[]): RowPrediction {
  if (x.length !== artifact.featureNames.length) {
    throw new TrainingDataError(`expected ${artifact.featureNames.length} feature values, got ${x.length}`);
  }
  const forest = forestOf(artifact);
  const classes = displayOrder(artifact.classes);
  const proba = reindex(forest.predictProba([x])[0], artifact.classes, classes);
  const label = classes[argmax(proba)];
  const k = artifact.classes.indexOf(label);
  const { bias, contributions } = forest.contributions(x);
  const list = artifact.featureNames.map((feature, f) => ({ feature, value: x[f], contribution: contributions[f][k] }));
  list.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1));
  return {
    label,
    probabilities: Object.fromEntries(classes.map((c, i) => [c, proba[i]])),
    contributions: list,
    baseRate: bias[k],
  };
}

/**
 * Risk level of `series` on its last date. Throws InsufficientHistoryError when the history
 * is too short for every feature the model uses, ModelArtifactError when the model does not
 * predict risk levels from price features, FeatureInputError when the series lacks an input
 * (OHLC, volume, benchmark) the model's features need.
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
} {
  if (!artifact.classes.every((c) => (RISK_LEVELS as readonly string[]).includes(c))) {
    throw new ModelArtifactError(`this model predicts [${artifact.classes.join(', ')}], not risk levels`, 'classes');
  }
  const n = series.dates.length;
  if (n < MAX_LOOKBACK + 1) {
    throw new InsufficientHistoryError(
      `not enough history: the model's features need ${MAX_LOOKBACK + 1} consecutive prices, the series has ${n}`,
      MAX_LOOKBACK + 1,
      n,
    );
  }
  let cols: Float64Array[];
  try {
    cols = computeFeatureColumns(series, artifact.featureNames, opts);
  } catch (err) {
    if (err instanceof FeatureInputError && err.message.startsWith('unknown feature')) {
      throw new ModelArtifactError(`the model uses feature '${err.feature}', which riskfn cannot compute from prices`, 'featureNames', {
        cause: err,
      });
    }
    throw err;
  }
  const last = n - 1;
  const x = cols.map((c) => c[last]);
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
  return { asOf: series.dates[last], riskLevel: p.label as RiskLevel, probabilities, contributions: p.contributions, baseRate: p.baseRate };
}

/**
 * Scores `artifact` on the rows of `set` dated on/after `fromDate` (default: the artifact's own
 * first test date), labelled with the artifact's own thresholds, with both baselines on the
 * same rows. Features are matched by name, so the set may carry more columns than the model.
 */
export function evaluateArtifact(artifact: ModelArtifact, set: TrainingSet, opts: { fromDate?: string } = {}): EvaluationReport {
  const thresholds = artifact.thresholds;
  if (!thresholds) throw new ModelArtifactError('the model has no class thresholds (trained on a generic CSV), so it cannot label a training set', 'thresholds');
  const cols = artifact.featureNames.map((name) => {
    const j = set.featureNames.indexOf(name);
    if (j < 0) throw new ModelArtifactError(`the training set lacks feature '${name}' that the model needs`, 'featureNames');
    return j;
  });
  const fromDate = opts.fromDate ?? artifact.testFrom ?? '';
  const trailing = trailingVolatilities(set);
  const idx = set.rows.map((_, i) => i).filter((i) => set.rows[i].date >= fromDate);
  if (idx.length === 0) throw new TrainingDataError(`the training set has no rows on or after ${fromDate}`);
  const rows = idx.map((i) => set.rows[i]);
  const forest = forestOf(artifact);
  const X = rows.map((r) => cols.map((j) => r.features[j]));
  const yTrue = rows.map((r) => classifyVolatility(r.forwardVol, thresholds));
  const persisted = idx.map((i) => (trailing[i] === null ? null : classifyVolatility(trailing[i]!, thresholds)));
  const scored = scoreRows({
    forestClasses: artifact.classes,
    forestProba: forest.predictProba(X),
    yTrue,
    priors: artifact.baselines.classPriors,
    persisted,
    persistenceProbabilities: artifact.baselines.persistenceProbabilities,
  });
  const notes: string[] = [];
  if (artifact.horizon !== null && artifact.horizon !== set.horizon) {
    notes.push(`the model was trained for a ${artifact.horizon}-day horizon but the set's labels look ${set.horizon} days ahead`);
  }
  if (artifact.training.to !== null && artifact.training.to >= rows[0].date) {
    notes.push(`some scored rows (from ${rows[0].date}) are not after the model's training period (to ${artifact.training.to})`);
  }
  return {
    split: 'from-date',
    classes: scored.classes,
    trainRows: artifact.training.rows,
    testRows: rows.length,
    testFrom: rows[0].date,
    testTo: rows[rows.length - 1].date,
    trainFrom: artifact.training.from,
    trainTo: artifact.training.to,
    purgeGap: artifact.options.purgeGap,
    ...reportScores(scored, forest),
    notes,
  };
}

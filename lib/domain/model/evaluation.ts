/**
 * Evaluation: a forest and both baselines scored on the same rows, side by side. Training
 * uses it on its held-out test rows; {@link evaluateArtifact} re-scores any stored model on
 * the rows of a training set (the promotion gate's comparison).
 */
import { argmax } from '../../util/argmax.ts';
import { artifactForest, type ModelArtifact } from './artifact.ts';
import { laggedLabels, majorityBaseline, persistenceBaseline } from './baselines.ts';
import { ModelArtifactError, TrainingDataError } from './errors.ts';
import { classificationMetrics } from './metrics.ts';
import { type ClassificationMetrics, datesOf, type EvaluationReport, type LabelRule, RISK_LEVELS, type TrainingSet } from './types.ts';

/** Reporting order: low, medium, high when the classes are risk levels, else sorted. */
export function displayOrder(classes: Iterable<string>): string[] {
  const set = new Set(classes);
  if ([...set].every((c) => (RISK_LEVELS as readonly string[]).includes(c))) return RISK_LEVELS.filter((c) => set.has(c));
  return [...set].sort();
}

/** Re-orders a vector given in `from` order into `to` order (missing classes get 0). */
export function reindex(values: readonly number[], from: readonly string[], to: readonly string[]): number[] {
  const idx = new Map(from.map((c, i) => [c, i]));
  return to.map((c) => {
    const i = idx.get(c);
    return i === undefined ? 0 : values[i];
  });
}

/** What a scored model brings to its evaluation: its forest's classes and out-of-bag score, its baselines' probabilities. */
export interface ScoredModel {
  /** Column order of the probabilities below. */
  classes: readonly string[];
  priors: readonly number[];
  /** `[persisted][true]` persistence probabilities (null: no persistence baseline). */
  persistenceProbabilities: readonly (readonly number[])[] | null;
  oobScore: number | null;
}

/**
 * The score fields of an EvaluationReport for rows with true labels `yTrue`: the model's
 * metrics (from `proba`, in `model.classes` order) beside the majority and persistence
 * baselines' (`persisted[i]`: row i's persistence class, null when unknown; null to skip).
 */
export function scoreRows(
  model: ScoredModel,
  proba: readonly (readonly number[])[],
  yTrue: readonly string[],
  persisted: readonly (string | null)[] | null,
): Pick<EvaluationReport, 'classes' | 'accuracy' | 'balancedAccuracy' | 'logLoss' | 'brier' | 'model' | 'oobScore' | 'baselines'> {
  const classes = displayOrder([...model.classes, ...yTrue]);
  const p = proba.map((row) => reindex(row, model.classes, classes));
  const metrics = classificationMetrics(
    classes,
    yTrue,
    p.map((row) => classes[argmax(row)]),
    p,
  );

  const priors = reindex(model.priors, model.classes, classes);
  const maj = majorityBaseline(classes, priors, yTrue.length);
  const majority = { ...classificationMetrics(classes, yTrue, maj.pred, maj.proba), predicts: maj.predicts };

  let persistence: ClassificationMetrics | null = null;
  if (persisted && model.persistenceProbabilities && persisted.some((c) => c !== null)) {
    // [persisted][true] in model order -> classes order on both axes.
    const byPersisted = reindexMatrix(model.persistenceProbabilities, model.classes, classes);
    const pb = persistenceBaseline(classes, persisted, byPersisted, priors);
    persistence = classificationMetrics(classes, yTrue, pb.pred, pb.proba);
  }
  return {
    classes,
    accuracy: metrics.accuracy,
    balancedAccuracy: metrics.balancedAccuracy,
    logLoss: metrics.logLoss,
    brier: metrics.brier,
    model: metrics,
    oobScore: model.oobScore,
    baselines: { majority, persistence },
  };
}

function reindexMatrix(m: readonly (readonly number[])[], from: readonly string[], to: readonly string[]): number[][] {
  const idx = new Map(from.map((c, i) => [c, i]));
  return to.map((c) => {
    const i = idx.get(c);
    // A class the training rows never persisted into: fall back to a uniform row.
    return i === undefined ? to.map(() => 1 / to.length) : reindex(m[i], from, to);
  });
}

/** First and last of some ISO dates ([null, null] for none). */
export function dateRange(dates: readonly string[] | null): [string | null, string | null] {
  if (!dates || dates.length === 0) return [null, null];
  return [dates.reduce((a, b) => (b < a ? b : a)), dates.reduce((a, b) => (b > a ? b : a))];
}

/**
 * Scores `artifact` on the rows of `set` dated on/after `fromDate` (default: the artifact's own
 * first test date) against the set's labels, with both baselines on the same rows (persistence
 * from the set's own lagged labels). Features are matched by name, so the set may carry more
 * columns than the model.
 */
export function evaluateArtifact(artifact: ModelArtifact, set: TrainingSet, opts: { fromDate?: string } = {}): EvaluationReport {
  const cols = artifact.featureNames.map((name) => {
    const j = set.featureNames.indexOf(name);
    if (j < 0) throw new ModelArtifactError(`the training set lacks feature '${name}' that the model needs`, { field: 'featureNames' });
    return j;
  });
  const dates = datesOf(set.rows);
  if (!dates) throw new TrainingDataError('scoring a model on a training set needs dated rows');
  const fromDate = opts.fromDate ?? artifact.testFrom ?? '';
  const idx = set.rows.map((_, i) => i).filter((i) => dates[i] >= fromDate);
  if (idx.length === 0) throw new TrainingDataError(`the training set has no rows on or after ${fromDate}`);
  const persistedAll = laggedLabels(set.rows, set.labelRule.horizon);
  const forest = artifactForest(artifact);
  const scores = scoreRows(
    {
      classes: artifact.classes,
      priors: artifact.baselines.classPriors,
      persistenceProbabilities: artifact.baselines.persistenceProbabilities,
      oobScore: forest.oobScore(),
    },
    forest.predictProba(idx.map((i) => cols.map((j) => set.rows[i].features[j]))),
    idx.map((i) => set.rows[i].label),
    persistedAll && idx.map((i) => persistedAll[i]),
  );
  const [testFrom, testTo] = dateRange(idx.map((i) => dates[i]));
  const notes = labelRuleNotes(artifact.labelRule, set.labelRule);
  if (artifact.training.to !== null && artifact.training.to >= testFrom!) {
    notes.push(`some scored rows (from ${testFrom}) are not after the model's training period (to ${artifact.training.to})`);
  }
  return {
    split: 'from-date',
    trainRows: artifact.training.rows,
    testRows: idx.length,
    testFrom,
    testTo,
    trainFrom: artifact.training.from,
    trainTo: artifact.training.to,
    purgeGap: artifact.options.purgeGap,
    ...scores,
    notes,
  };
}

/** What a reader should know when a model is scored against labels made another way than its own. */
function labelRuleNotes(model: LabelRule, set: LabelRule): string[] {
  if (model.kind !== set.kind) return [`the model was trained on ${model.kind} labels, the set's are ${set.kind}`];
  const notes: string[] = [];
  if (model.horizon !== set.horizon) {
    notes.push(
      `the model was trained for a ${model.horizon ?? 'unknown'}-day horizon but the set's labels look ${set.horizon ?? 'an unknown number of'} days ahead`,
    );
  }
  if (
    model.kind === 'volatility-bands' &&
    set.kind === 'volatility-bands' &&
    (model.thresholds.lowMax !== set.thresholds.lowMax || model.thresholds.mediumMax !== set.thresholds.mediumMax)
  ) {
    const bands = (t: { lowMax: number; mediumMax: number }) => `${t.lowMax} / ${t.mediumMax}`;
    notes.push(`the set's labels use volatility bands ${bands(set.thresholds)}, the model's ${bands(model.thresholds)}`);
  }
  return notes;
}

/**
 * Scoring a stored model on the rows of a training set, beside the baselines it stores (the
 * promotion gate's comparison with the champion). Training's own out-of-sample evaluation is
 * walk-forward.ts.
 */
import { artifactForest, type ModelArtifact } from './artifact.ts';
import { displayOrder, reindex } from './class-order.ts';
import { ModelArtifactError, TrainingDataError } from './errors.ts';
import { metricsFromCounts } from './metrics.ts';
import { expectedCalibrationError } from './reliability.ts';
import { servedProbabilities } from './served.ts';
import { datesOf, type LabelRule, type TrainingSet } from './types.ts';
import { type DateScore, type FittedBaselines, type PooledScores, type ScoredPredictor, scoreAll } from './walk-forward.ts';

/** A stored model and its baselines scored on the rows of a set dated on/after `testFrom`. */
export interface EvaluationReport {
  classes: string[];
  testRows: number;
  testFrom: string;
  testTo: string;
  /** The model's refit window. */
  trainRows: number;
  trainFrom: string | null;
  trainTo: string | null;
  model: PooledScores;
  /** The model's per-date sums on the scored rows (dates ascending): the gate pairs them with the challenger's. */
  byDate: DateScore[];
  baselines: { majority: PooledScores & { predicts: string }; persistence: PooledScores | null; har: PooledScores | null };
  notes: string[];
}

function pooled(s: ScoredPredictor): PooledScores {
  return { ...s.metrics, ece: expectedCalibrationError(s.reliability), reliability: s.reliability };
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
function dateRange(dates: readonly string[] | null): [string | null, string | null] {
  if (!dates || dates.length === 0) return [null, null];
  return [dates.reduce((a, b) => (b < a ? b : a)), dates.reduce((a, b) => (b > a ? b : a))];
}

/**
 * Scores `artifact` (its calibrated probabilities) on the rows of `set` dated on/after
 * `fromDate` against the set's labels, with its stored baselines on the same rows
 * (persistence from the set's own lagged labels, HAR from the rows' realised volatilities).
 * Features are matched by name, so the set may carry more columns than the model.
 */
export function evaluateArtifact(artifact: ModelArtifact, set: TrainingSet, opts: { fromDate?: string } = {}): EvaluationReport {
  const cols = artifact.featureNames.map((name) => {
    const j = set.featureNames.indexOf(name);
    if (j < 0) throw new ModelArtifactError(`the training set lacks feature '${name}' that the model needs`, { field: 'featureNames' });
    return j;
  });
  const dates = datesOf(set.rows);
  if (!dates) throw new TrainingDataError('scoring a model on a training set needs dated rows');
  const fromDate = opts.fromDate ?? '';
  const idx = set.rows.map((_, i) => i).filter((i) => dates[i] >= fromDate);
  if (idx.length === 0) throw new TrainingDataError(`the training set has no rows on or after ${fromDate}`);
  const classes = displayOrder([...artifact.classes, ...idx.map((i) => set.rows[i].label)]);
  // The model sees only its own feature columns, in its order.
  const view: TrainingSet = { ...set, rows: set.rows.map((r) => ({ ...r, features: cols.map((j) => r.features[j]) })) };
  const proba = servedProbabilities(
    artifactForest(artifact),
    artifact.calibration,
    artifact.baselines.har,
    artifact.labelRule,
    artifact.featureNames,
    idx.map((i) => view.rows[i].features),
    classes,
  );
  const b = artifact.baselines;
  const baselines: FittedBaselines = {
    classPriors: reindex(b.classPriors, artifact.classes, classes),
    persistenceProbabilities: b.persistenceProbabilities && reindexMatrix(b.persistenceProbabilities, artifact.classes, classes),
    har: b.har,
  };
  const { scores, byDate } = scoreAll(set, idx, classes, proba, baselines);
  const [testFrom, testTo] = dateRange(idx.map((i) => dates[i]));
  const notes = labelRuleNotes(artifact.labelRule, set.labelRule);
  if (artifact.training.to !== null && artifact.training.to >= testFrom!) {
    notes.push(`some scored rows (from ${testFrom}) are not after the model's training period (to ${artifact.training.to})`);
  }
  return {
    classes,
    testRows: idx.length,
    testFrom: testFrom!,
    testTo: testTo!,
    trainRows: artifact.training.rows,
    trainFrom: artifact.training.from,
    trainTo: artifact.training.to,
    model: pooled(scores.model),
    byDate,
    baselines: {
      majority: { ...pooled(scores.majority), predicts: scores.majority.predicts },
      persistence: scores.persistence && pooled(scores.persistence),
      har: scores.har && pooled(scores.har),
    },
    notes,
  };
}

/** Scores of a stored evaluation's per-date sums over the dates on/after `fromDate` (null when none). */
export function scoresFromDate(byDate: readonly DateScore[], classes: readonly string[], fromDate: string) {
  const k = classes.length;
  const rows = byDate.filter((d) => d.date >= fromDate);
  if (rows.length === 0) return null;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let logLoss = 0;
  let brier = 0;
  for (const d of rows) {
    for (let i = 0; i < k * k; i++) matrix[Math.floor(i / k)][i % k] += d.confusion[i];
    logLoss += d.logLoss;
    brier += d.brier;
  }
  return metricsFromCounts(classes, matrix, logLoss, brier);
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

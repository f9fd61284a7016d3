/**
 * The one trainer, for every training set (built from prices or read from a CSV): split
 * (time-ordered with a purge gap of the labels' horizon when rows have dates), fit the forest
 * on the training rows (the depth tuned on a validation slice of them by default), score it
 * and both baselines on the held-out rows, and package the artifact.
 */
import { fingerprintRows, type ModelArtifact } from './artifact.ts';
import { classPriors, laggedLabels, persistenceProbabilities } from './baselines.ts';
import { TRAIN_DEFAULTS } from './defaults.ts';
import { TrainingDataError } from './errors.ts';
import { dateRange, scoreRows } from './evaluation.ts';
import { FOREST_IMPLEMENTATION, fitForest } from './forest-adapter.ts';
import { permutationImportance } from './permutation-importance.ts';
import { randomSplit, type SplitKind, timeSplit } from './split.ts';
import { DEPTH_CANDIDATES, tuneMaxDepth } from './tuning.ts';
import { datesOf, type EvaluationReport, labelColumn, type TrainingSet } from './types.ts';
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, LIBRARY_VERSIONS } from './versions.ts';

/** Options of {@link trainRiskModel}; each one left out takes its value from TRAIN_DEFAULTS. */
export interface TrainOptions {
  /** 'time' (default when every row has a date) or 'random'. */
  split?: SplitKind;
  /** Share of rows held out for testing. */
  testSize?: number;
  /** Number of trees. */
  trees?: number;
  /** Seed for the forest, the random split and permutation importance. */
  seed?: number;
  /** Maximum tree depth (giving one turns the default tuning off). */
  maxDepth?: number;
  /** Minimum training rows in a leaf (default 1, as scikit-learn). */
  minSamplesLeaf?: number;
  /**
   * Choose maxDepth among DEPTH_CANDIDATES on a purged, time-ordered validation slice of the
   * training rows (tuning.ts). Default: on unless `maxDepth` is given; on together with
   * `maxDepth` is refused.
   */
  tune?: boolean;
  /** Shuffles per feature for permutation importance (0 skips it). */
  permutationRepeats?: number;
  /**
   * Called as trees finish with the trees done so far and the total for this training (the
   * tuning candidates' forests count too).
   */
  onProgress?: (done: number, total: number) => void;
}

export interface TrainResult {
  artifact: ModelArtifact;
  evaluation: EvaluationReport;
}

function positiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new TrainingDataError(`${name} must be a positive integer, got ${v}`);
}

/** Validates the rows of a set: at least one, features finite and of the set's width, labels non-empty. */
function checkTrainingSet(set: TrainingSet): void {
  if (set.rows.length === 0) throw new TrainingDataError('the training set has no rows');
  const k = set.featureNames.length;
  set.rows.forEach((r, i) => {
    const where = [r.symbol, r.date].filter((v) => v !== null).join(' ');
    const at = `training row ${i + 1}${where ? ` (${where})` : ''}`;
    if (r.features.length !== k) throw new TrainingDataError(`${at} has ${r.features.length} features, expected ${k}`, { row: i + 1 });
    const bad = r.features.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new TrainingDataError(`${at}: feature '${set.featureNames[bad]}' is ${r.features[bad]}`, { row: i + 1, column: set.featureNames[bad] });
    }
    if (typeof r.label !== 'string' || r.label === '') throw new TrainingDataError(`${at} has no label`, { row: i + 1 });
  });
}

/** Trains the risk model on `set` and evaluates it against the majority and persistence baselines. */
export function trainRiskModel(set: TrainingSet, opts: TrainOptions = {}): TrainResult {
  checkTrainingSet(set);
  const trees = opts.trees ?? TRAIN_DEFAULTS.trees;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  const testSize = opts.testSize ?? TRAIN_DEFAULTS.testSize;
  const repeats = opts.permutationRepeats ?? TRAIN_DEFAULTS.permutationRepeats;
  positiveInt('trees', trees);
  positiveInt('maxDepth', opts.maxDepth);
  positiveInt('minSamplesLeaf', opts.minSamplesLeaf);
  if (!Number.isInteger(seed)) throw new TrainingDataError(`seed must be an integer, got ${seed}`);
  if (opts.tune && opts.maxDepth !== undefined) throw new TrainingDataError('tuning chooses the depth itself: give either tune or maxDepth');
  const tune = opts.tune ?? (opts.maxDepth === undefined && TRAIN_DEFAULTS.tune);

  const rule = set.labelRule;
  const target = labelColumn(rule);
  const dates = datesOf(set.rows);
  const kind = opts.split ?? (dates ? 'time' : 'random');
  const notes: string[] = [];
  if (kind === 'time' && !dates)
    throw new TrainingDataError('a time split needs a date on every row; use a random split for data without dates', { column: 'date' });
  if (!dates && opts.split === undefined) notes.push('no date column: rows were split at random (no purge gap)');
  const split = kind === 'time' ? timeSplit(dates!, testSize, rule.horizon ?? 0) : randomSplit(set.rows.length, testSize, seed, dates ?? undefined);

  const pick = <T>(a: readonly T[], idx: number[]): T[] => idx.map((i) => a[i]);
  const X = set.rows.map((r) => r.features);
  const y = set.rows.map((r) => r.label);
  const trainX = pick(X, split.train);
  const trainY = pick(y, split.train);
  const testX = pick(X, split.test);
  const testY = pick(y, split.test);
  const trainClasses = [...new Set(trainY)];
  if (trainClasses.length < 2) {
    throw new TrainingDataError(
      `the target '${target}' has a single class ('${trainClasses[0]}') in the ${trainY.length} training rows; a classifier needs at least two`,
      { column: target },
    );
  }

  const total = trees * (tune ? DEPTH_CANDIDATES.length + 1 : 1);
  let done = 0;
  const onTree = opts.onProgress && (() => opts.onProgress!(++done, total));
  const trainDates = dates && pick(dates, split.train);
  const tuning = tune ? tuneMaxDepth(trainX, trainY, trainDates, { trees, seed, minSamplesLeaf: opts.minSamplesLeaf, purgeGap: split.purgeGap, onTree }) : null;
  const maxDepth = tuning ? (tuning.chosen ?? undefined) : opts.maxDepth;
  const forest = fitForest(trainX, trainY, { trees, seed, maxDepth, minSamplesLeaf: opts.minSamplesLeaf, onTree });
  const classes = forest.classes;
  const priors = classPriors(classes, trainY);
  const persisted = laggedLabels(set.rows, rule.horizon);
  const persistProbs = persisted && persistenceProbabilities(classes, pick(persisted, split.train), trainY);
  const scores = scoreRows(
    { classes, priors, persistenceProbabilities: persistProbs, oobScore: forest.oobScore() },
    forest.predictProba(testX),
    testY,
    persisted && pick(persisted, split.test),
  );

  const impurity = forest.featureImportances().map((importance, f) => ({ feature: set.featureNames[f], importance }));
  const permutation = repeats > 0 ? permutationImportance((rows) => forest.predictProba(rows), classes, testX, testY, set.featureNames, { repeats, seed }) : [];
  const [trainFrom, trainTo] = dateRange(trainDates);
  const [testFrom, testTo] = dateRange(dates && pick(dates, split.test));

  if (tuning) {
    notes.push(
      `max depth ${tuning.chosen ?? 'unlimited'} chosen on ${tuning.validationRows} validation rows of the training period` +
        (tuning.validationFrom ? ` (from ${tuning.validationFrom})` : '') +
        ` by balanced accuracy: ${tuning.candidates.map((c) => `${c.maxDepth ?? 'unlimited'} ${c.score.toFixed(3)}`).join(', ')}`,
    );
  }
  if (kind === 'random' && dates) {
    notes.push(
      'random split of overlapping forward-looking labels: test rows have near-identical neighbours in training, so these scores are optimistic (see docs/model.md)',
    );
  }

  const evaluation: EvaluationReport = {
    split: kind,
    trainRows: split.train.length,
    testRows: split.test.length,
    testFrom,
    testTo,
    trainFrom,
    trainTo,
    purgeGap: split.purgeGap,
    ...scores,
    importance: { impurity, permutation },
    notes,
  };
  const trainRows = pick(set.rows, split.train);
  const artifact: ModelArtifact = {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    libraries: { ...LIBRARY_VERSIONS },
    labelRule: structuredClone(rule),
    classes: [...classes],
    featureNames: [...set.featureNames],
    options: {
      split: kind,
      testSize,
      purgeGap: split.purgeGap,
      trees,
      seed,
      maxDepth: maxDepth ?? null,
      minSamplesLeaf: opts.minSamplesLeaf ?? 1,
      forest: FOREST_IMPLEMENTATION,
      tuning,
    },
    training: {
      rows: split.train.length,
      from: trainFrom,
      to: trainTo,
      fingerprint: fingerprintRows(trainRows),
      classCounts: Object.fromEntries(classes.map((c) => [c, trainY.filter((v) => v === c).length])),
      symbols: [...new Set(trainRows.flatMap((r) => (r.symbol === null ? [] : [r.symbol])))].sort(),
    },
    testFrom: split.testFrom,
    baselines: { classPriors: priors, persistenceProbabilities: persistProbs },
    forest: forest.toJSON(),
  };
  return { artifact, evaluation };
}

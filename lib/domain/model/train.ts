/**
 * Training: split, (fit thresholds and label), fit the forest on the training rows, score it
 * and both baselines on the held-out rows, and package the artifact.
 */
import { fingerprintRows, type ModelArtifact } from './artifact.ts';
import { classPriors, persistenceProbabilities } from './baselines.ts';
import { TrainingDataError } from './errors.ts';
import { scoreRows, type ScoredRows } from './evaluation.ts';
import { FOREST_IMPLEMENTATION, fitForest } from './forest-adapter.ts';
import { classifyVolatility, fitTertileThresholds } from './labels.ts';
import { permutationImportance } from './permutation-importance.ts';
import { tuneMaxDepth } from './tuning.ts';
import { randomSplit, timeSplit, type SplitKind, type SplitResult } from './split.ts';
import type { ClassThresholds, EvaluationReport, RiskLevel, TrainingSet } from './types.ts';
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, LIBRARY_VERSIONS } from './versions.ts';

export interface TrainOptions {
  /** 'time' (default when rows have dates) or 'random'. */
  split?: SplitKind;
  /** Share of rows held out for testing (default 0.3). */
  testSize?: number;
  /** Number of trees (default 100). */
  trees?: number;
  /** Seed for the forest, the random split and permutation importance (default 42). */
  seed?: number;
  /** Maximum tree depth (default unlimited, as scikit-learn). */
  maxDepth?: number;
  /** Minimum training rows in a leaf (default 1, as scikit-learn). */
  minSamplesLeaf?: number;
  /**
   * Choose maxDepth among DEPTH_CANDIDATES on a purged, time-ordered validation slice of the
   * training rows (tuning.ts). Overrides `maxDepth`.
   */
  tune?: boolean;
  /** Shuffles per feature for permutation importance (default 5; 0 skips it). */
  permutationRepeats?: number;
}

export const TRAIN_DEFAULTS = { testSize: 0.3, trees: 100, seed: 42, permutationRepeats: 5 } as const;

/** A numeric feature table with labels, the common input of both training paths. */
export interface LabeledTable {
  featureNames: string[];
  X: number[][];
  y: string[];
  /** Row dates (ISO), or null when the data has none. */
  dates: string[] | null;
  symbols: string[] | null;
  /** Per row, the persistence baseline's class (null where unknown); null when unavailable. */
  persisted: (string | null)[] | null;
}

export interface TableContext {
  target: string;
  horizon: number | null;
  thresholds: ClassThresholds | null;
  notes?: string[];
}

export interface TrainResult {
  artifact: ModelArtifact;
  evaluation: EvaluationReport;
}

/**
 * The score fields of an EvaluationReport (headline metrics, model metrics, out-of-bag score,
 * baselines), shared by the report of a training run and by evaluateArtifact in predict.ts.
 */
export function reportScores(
  scored: ScoredRows,
  forest: { oobScore(): number | null },
): Pick<EvaluationReport, 'accuracy' | 'balancedAccuracy' | 'logLoss' | 'brier' | 'model' | 'oobScore' | 'baselines'> {
  return {
    accuracy: scored.model.accuracy,
    balancedAccuracy: scored.model.balancedAccuracy,
    logLoss: scored.model.logLoss,
    brier: scored.model.brier,
    model: scored.model,
    oobScore: forest.oobScore(),
    baselines: { majority: scored.majority, persistence: scored.persistence },
  };
}

/** Splits a table as the options say (time split needs dates; purge gap = horizon or 0). */
export function splitTable(table: LabeledTable, kind: SplitKind, testSize: number, seed: number, purgeGap: number): SplitResult {
  if (kind === 'time') {
    if (!table.dates) throw new TrainingDataError('a time split needs a date column; use --split random for data without dates', { column: 'date' });
    return timeSplit(table.dates, testSize, purgeGap);
  }
  return randomSplit(table.y.length, testSize, seed, table.dates ?? undefined);
}

/** Trains on the split's training rows of a labelled table and evaluates on its test rows. */
export function fitOnTable(table: LabeledTable, split: SplitResult, kind: SplitKind, opts: TrainOptions, ctx: TableContext): TrainResult {
  const trees = opts.trees ?? TRAIN_DEFAULTS.trees;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  const testSize = opts.testSize ?? TRAIN_DEFAULTS.testSize;
  const repeats = opts.permutationRepeats ?? TRAIN_DEFAULTS.permutationRepeats;
  if (!Number.isInteger(trees) || trees < 1) throw new TrainingDataError(`trees must be a positive integer, got ${trees}`);
  if (!Number.isInteger(seed)) throw new TrainingDataError(`seed must be an integer, got ${seed}`);
  if (opts.maxDepth !== undefined && (!Number.isInteger(opts.maxDepth) || opts.maxDepth < 1)) {
    throw new TrainingDataError(`maxDepth must be a positive integer, got ${opts.maxDepth}`);
  }
  if (opts.minSamplesLeaf !== undefined && (!Number.isInteger(opts.minSamplesLeaf) || opts.minSamplesLeaf < 1)) {
    throw new TrainingDataError(`minSamplesLeaf must be a positive integer, got ${opts.minSamplesLeaf}`);
  }

  const pick = <T>(a: readonly T[], idx: number[]): T[] => idx.map((i) => a[i]);
  const trainX = pick(table.X, split.train);
  const trainY = pick(table.y, split.train);
  const testX = pick(table.X, split.test);
  const testY = pick(table.y, split.test);
  const trainClasses = [...new Set(trainY)];
  if (trainClasses.length < 2) {
    throw new TrainingDataError(
      `the target '${ctx.target}' has a single class ('${trainClasses[0]}') in the ${trainY.length} training rows; a classifier needs at least two`,
      { column: ctx.target },
    );
  }

  const tuning = opts.tune
    ? tuneMaxDepth(trainX, trainY, table.dates ? pick(table.dates, split.train) : null, {
        trees,
        seed,
        minSamplesLeaf: opts.minSamplesLeaf,
        purgeGap: split.purgeGap,
      })
    : null;
  const maxDepth = tuning ? (tuning.chosen ?? undefined) : opts.maxDepth;
  const forest = fitForest(trainX, trainY, { trees, seed, maxDepth, minSamplesLeaf: opts.minSamplesLeaf });
  const classes = forest.classes;
  const priors = classPriors(classes, trainY);
  const trainPersisted = table.persisted ? pick(table.persisted, split.train) : null;
  const persistProbs = trainPersisted ? persistenceProbabilities(classes, trainPersisted, trainY) : null;

  const scored = scoreRows({
    forestClasses: classes,
    forestProba: forest.predictProba(testX),
    yTrue: testY,
    priors,
    persisted: table.persisted ? pick(table.persisted, split.test) : null,
    persistenceProbabilities: persistProbs,
  });

  const impurity = forest.featureImportances().map((importance, f) => ({ feature: table.featureNames[f], importance }));
  const permutation =
    repeats > 0
      ? permutationImportance((X) => forest.predictProba(X), classes, testX, testY, table.featureNames, { repeats, seed })
      : [];

  const trainDates = table.dates ? pick(table.dates, split.train) : null;
  const testDates = table.dates ? pick(table.dates, split.test) : null;
  const minMax = (d: string[] | null): [string | null, string | null] =>
    d && d.length > 0 ? [d.reduce((a, b) => (b < a ? b : a)), d.reduce((a, b) => (b > a ? b : a))] : [null, null];
  const [trainFrom, trainTo] = minMax(trainDates);
  const [testFrom, testTo] = minMax(testDates);

  const evaluation: EvaluationReport = {
    split: kind,
    classes: scored.classes,
    trainRows: split.train.length,
    testRows: split.test.length,
    testFrom,
    testTo,
    trainFrom,
    trainTo,
    purgeGap: split.purgeGap,
    ...reportScores(scored, forest),
    importance: { impurity, permutation },
    notes: [...(ctx.notes ?? [])],
  };
  if (tuning) {
    evaluation.notes.push(
      `max depth ${tuning.chosen ?? 'unlimited'} chosen on ${tuning.validationRows} validation rows of the training period` +
        (tuning.validationFrom ? ` (from ${tuning.validationFrom})` : '') +
        ` by balanced accuracy: ${tuning.candidates.map((c) => `${c.maxDepth ?? 'unlimited'} ${c.score.toFixed(3)}`).join(', ')}`,
    );
  }
  if (kind === 'random' && table.dates) {
    evaluation.notes.push(
      'random split of overlapping forward-looking labels: test rows have near-identical neighbours in training, so these scores are optimistic (see docs/model.md)',
    );
  }

  const symbols = table.symbols ? [...new Set(pick(table.symbols, split.train))].sort() : [];
  const artifact: ModelArtifact = {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    libraries: { ...LIBRARY_VERSIONS },
    target: ctx.target,
    classes: [...classes],
    featureNames: [...table.featureNames],
    horizon: ctx.horizon,
    thresholds: ctx.thresholds ? { ...ctx.thresholds } : null,
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
      fingerprint: fingerprintRows(
        split.train.map((i) => ({
          symbol: table.symbols?.[i] ?? null,
          date: table.dates?.[i] ?? null,
          features: table.X[i],
          label: table.y[i],
        })),
      ),
      classCounts: Object.fromEntries(classes.map((c) => [c, trainY.filter((v) => v === c).length])),
      symbols,
    },
    testFrom: split.testFrom,
    baselines: { classPriors: priors, persistenceProbabilities: persistProbs },
    forest: forest.toJSON(),
  };
  return { artifact, evaluation };
}

/** Validates the rows of a TrainingSet (finite features of the right length). */
export function checkTrainingSet(set: TrainingSet): void {
  if (set.rows.length === 0) throw new TrainingDataError('the training set has no rows (price histories too short for the features and horizon?)');
  const k = set.featureNames.length;
  set.rows.forEach((r, i) => {
    if (r.features.length !== k) {
      throw new TrainingDataError(`training row ${i + 1} (${r.symbol} ${r.date}) has ${r.features.length} features, expected ${k}`, { row: i + 1 });
    }
    const bad = r.features.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new TrainingDataError(`training row ${i + 1} (${r.symbol} ${r.date}): feature '${set.featureNames[bad]}' is ${r.features[bad]}`, {
        row: i + 1,
        column: set.featureNames[bad],
      });
    }
    if (!Number.isFinite(r.forwardVol)) {
      throw new TrainingDataError(`training row ${i + 1} (${r.symbol} ${r.date}): forwardVol is ${r.forwardVol}`, { row: i + 1, column: 'forwardVol' });
    }
  });
}

/**
 * Today's trailing volatility per row: the row's own `trailingVol`, else the forward volatility
 * of the same symbol's row `horizon` rows earlier (null when there is none).
 */
export function trailingVolatilities(set: TrainingSet): (number | null)[] {
  const out: (number | null)[] = set.rows.map((r) => (r.trailingVol !== undefined && Number.isFinite(r.trailingVol) ? r.trailingVol : null));
  if (out.every((v) => v !== null)) return out;
  const bySymbol = new Map<string, number[]>();
  set.rows.forEach((r, i) => {
    const list = bySymbol.get(r.symbol) ?? [];
    list.push(i);
    bySymbol.set(r.symbol, list);
  });
  for (const list of bySymbol.values()) {
    list.sort((a, b) => (set.rows[a].date < set.rows[b].date ? -1 : 1));
    list.forEach((i, pos) => {
      if (out[i] === null && pos >= set.horizon) out[i] = set.rows[list[pos - set.horizon]].forwardVol;
    });
  }
  return out;
}

/** Labels every row of a set with the given thresholds. */
export function labelRows(set: TrainingSet, t: ClassThresholds): RiskLevel[] {
  return set.rows.map((r) => classifyVolatility(r.forwardVol, t));
}

/**
 * Splits a training set and fits the class thresholds (tertiles of forward volatility) on its
 * training rows only. The dataset builder and trainRiskModel both use this, so a dataset CSV's
 * labels and a model trained with the same split options agree.
 */
export function fitSetThresholds(
  set: TrainingSet,
  opts: { split?: SplitKind; testSize?: number; seed?: number } = {},
): { thresholds: ClassThresholds; split: SplitResult; kind: SplitKind } {
  checkTrainingSet(set);
  const kind = opts.split ?? 'time';
  const testSize = opts.testSize ?? TRAIN_DEFAULTS.testSize;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  const dates = set.rows.map((r) => r.date);
  const split = kind === 'time' ? timeSplit(dates, testSize, set.horizon) : randomSplit(dates.length, testSize, seed, dates);
  const thresholds = fitTertileThresholds(split.train.map((i) => set.rows[i].forwardVol));
  return { thresholds, split, kind };
}

/**
 * Trains the risk model on a training set built from prices: split (time-ordered with a purge
 * gap of `horizon` dates by default), fit the tertile thresholds on the training rows only,
 * label, train the forest, evaluate against both baselines.
 */
export function trainRiskModel(set: TrainingSet, opts: TrainOptions = {}): TrainResult {
  const { thresholds, split, kind } = fitSetThresholds(set, opts);
  const trailing = trailingVolatilities(set);
  const table: LabeledTable = {
    featureNames: [...set.featureNames],
    X: set.rows.map((r) => r.features),
    y: labelRows(set, thresholds),
    dates: set.rows.map((r) => r.date),
    symbols: set.rows.map((r) => r.symbol),
    persisted: trailing.map((v) => (v === null ? null : classifyVolatility(v, thresholds))),
  };
  return fitOnTable(table, split, kind, opts, { target: 'risk_level', horizon: set.horizon, thresholds });
}

/**
 * Trains on a labelled table (e.g. read from a CSV): time split with a purge gap of `horizon`
 * rows' dates when the table has dates (default), else random.
 */
export function trainTable(table: LabeledTable, opts: TrainOptions, ctx: TableContext): TrainResult {
  const kind = opts.split ?? (table.dates ? 'time' : 'random');
  const testSize = opts.testSize ?? TRAIN_DEFAULTS.testSize;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  const split = splitTable(table, kind, testSize, seed, kind === 'time' ? (ctx.horizon ?? 0) : 0);
  return fitOnTable(table, split, kind, opts, ctx);
}

/**
 * Walk-forward evaluation: the model is trained and scored the way it will be used, again and
 * again across the history.
 *
 * The last `walkForwardTestShare` of the dates are cut into `folds` consecutive test blocks.
 * Fold k trains on every date before its block except the `horizon` dates just before it
 * (purged: no training label overlaps the test period), then scores its block: an expanding
 * window. Inside each fold's training period, the last `calibrationShare` of its dates (purged
 * again) choose the tree depth and fit the probability calibration (nested, so no test row
 * shapes either); the forest is then refit on the whole training period and its probabilities
 * mapped through that calibration. Every baseline is fitted on the same training rows and
 * scored on the same test rows. Pooled scores are over the union of the test blocks, computed
 * exactly from the folds' sums.
 *
 * A single split (`time` or `random`) is the same machinery with one fold.
 *
 * The steps are pure and JSON in, JSON out, so the training workflow can run one fold per
 * Lambda: {@link planWalkForward} → {@link runFold} per fold → {@link summarizeWalkForward}.
 */
import { classPriors, laggedLabels, majorityBaseline, persistenceBaseline, persistenceProbabilities } from './baselines.ts';
import { type Calibration, calibrate, fitCalibration, fitHarWeight, harTrust, outsideTrust } from './calibration.ts';
import { decideClass, displayOrder, reindex } from './class-order.ts';
import { TRAIN_DEFAULTS } from './defaults.ts';
import { TrainingDataError } from './errors.ts';
import { type FittedForest, fitForest } from './forest-adapter.ts';
import { fitHar, type HarModel, harComponentsOf, harFeatureColumns, harForecast, harProbabilitiesFor, usableVolatility } from './har.ts';
import { classificationMetrics, poolMetrics } from './metrics.ts';
import { type DateScore, pairedBootstrap, type ScoreDifferences } from './paired-bootstrap.ts';
import { permutationImportance } from './permutation-importance.ts';
import { addBins, expectedCalibrationError, type ReliabilityBins, reliabilityBins } from './reliability.ts';
import { servedProbabilities } from './served.ts';
import { randomSplit, timeSplit } from './split.ts';
import { bestCandidate, DEPTH_CANDIDATES, type TuningResult } from './tuning.ts';
import {
  type ClassificationMetrics,
  type ClassThresholds,
  datesOf,
  type FeatureImportance,
  type PermutationImportance,
  type RowVolatility,
  type TrainingSet,
} from './types.ts';

/** How a model is evaluated: walk-forward folds, one time split, or one random split. */
export type EvaluationMethod = 'walk-forward' | 'time' | 'random';

/** Options of training and evaluation; each one left out takes its value from TRAIN_DEFAULTS. */
export interface ModelOptions {
  /** 'walk-forward' (default when every row has a date), 'time' or 'random' (default without dates). */
  split?: EvaluationMethod;
  /** Walk-forward test folds. */
  folds?: number;
  /** Share of rows held out by a single split. */
  testSize?: number;
  /** Number of trees. */
  trees?: number;
  /** Seed for the forest, the random splits and permutation importance. */
  seed?: number;
  /** Maximum tree depth (giving one turns the default tuning off). */
  maxDepth?: number;
  /** Minimum training rows in a leaf (default 1, as scikit-learn). */
  minSamplesLeaf?: number;
  /** Choose maxDepth among DEPTH_CANDIDATES on the calibration slice (default: on unless maxDepth is given). */
  tune?: boolean;
  /** Shuffles per feature for permutation importance on each fold's test rows (0 skips it). */
  permutationRepeats?: number;
}

/** {@link ModelOptions} with every default filled in and checked. */
export interface ResolvedOptions {
  split: EvaluationMethod;
  folds: number;
  testSize: number;
  trees: number;
  seed: number;
  maxDepth: number | null;
  minSamplesLeaf: number;
  tune: boolean;
  permutationRepeats: number;
  /** Dates dropped between training and test periods: the label horizon (0 when unknown). */
  purgeGap: number;
}

/** One fold: date bounds (inclusive) for time folds, the split's share and seed for a random one. */
export type FoldSpec =
  | { kind: 'time'; index: number; trainFrom: string; trainTo: string; testFrom: string; testTo: string }
  | { kind: 'random'; index: number; testSize: number; seed: number };

export interface WalkForwardPlan {
  method: EvaluationMethod;
  purgeGap: number;
  folds: FoldSpec[];
}

/** One predictor's scores on some rows, kept as sums where pooling needs them. */
export interface ScoredPredictor {
  metrics: ClassificationMetrics;
  reliability: ReliabilityBins;
}

export type { DateScore } from './paired-bootstrap.ts';

/** How a fitted model's probabilities were calibrated (the map itself is in the artifact). */
export interface CalibrationSummary {
  method: Calibration['method'];
  rows: number;
  /** The fitted temperature (method temperature). */
  temperature?: number;
  /** Weight of HAR in the served probabilities. */
  harWeight: number;
  /** Why the probabilities were not calibrated (method none). */
  reason?: string;
}

/** What {@link runFold} returns: small and JSON-serialisable. */
export interface FoldResult {
  fold: FoldSpec;
  classes: string[];
  trainRows: number;
  testRows: number;
  trainFrom: string | null;
  trainTo: string | null;
  testFrom: string | null;
  testTo: string | null;
  maxDepth: number | null;
  tuning: TuningResult | null;
  calibration: CalibrationSummary;
  scores: {
    model: ScoredPredictor;
    majority: ScoredPredictor & { predicts: string };
    /** Null when the rows have no dates or the labels no horizon. */
    persistence: ScoredPredictor | null;
    /** Null unless the rows carry realised volatilities (sets built from prices). */
    har: ScoredPredictor | null;
  };
  /**
   * The model's scores per test date (what a later comparison with another model on a date range
   * pools: the promotion gate against the champion; and the paired bootstrap against the baselines).
   */
  byDate: DateScore[];
  /** The same per-date statistics of the baselines the bootstrap compares the model with (null where the fold has none). */
  baselineByDate: { persistence: DateScore[] | null; har: DateScore[] | null };
  /** In the set's feature order: impurity importance of the fold's forest, permutation importance on its test rows. */
  importance: { impurity: number[]; permutation: { mean: number; std: number }[] };
  notes: string[];
}

/** Headline scores of one predictor on one fold. */
export interface BriefScores {
  accuracy: number;
  balancedAccuracy: number;
  logLoss: number;
  brier: number;
  /** Expected calibration error (reliability.ts). */
  ece: number;
}

/** Pooled scores of one predictor over all test rows. */
export type PooledScores = ClassificationMetrics & { ece: number; reliability: ReliabilityBins };

/** Folds in which the model strictly beat a baseline, per score and on all three at once. */
export interface FoldsWon {
  balancedAccuracy: number;
  logLoss: number;
  brier: number;
  all: number;
}

export interface FoldSummary {
  index: number;
  trainFrom: string | null;
  trainTo: string | null;
  testFrom: string | null;
  testTo: string | null;
  trainRows: number;
  testRows: number;
  maxDepth: number | null;
  calibration: CalibrationSummary;
  model: BriefScores;
  majority: BriefScores;
  persistence: BriefScores | null;
  har: BriefScores | null;
}

/** The evaluation of a training run: per fold and pooled, the model beside every baseline. */
export interface WalkForwardReport {
  method: EvaluationMethod;
  purgeGap: number;
  classes: string[];
  /** Test rows over all folds, and their first and last dates. */
  testRows: number;
  testFrom: string | null;
  testTo: string | null;
  folds: FoldSummary[];
  model: PooledScores;
  baselines: {
    majority: PooledScores & { predicts: string };
    persistence: PooledScores | null;
    har: PooledScores | null;
  };
  foldsWon: { majority: FoldsWon; persistence: FoldsWon | null; har: FoldsWon | null };
  /** Means over the folds. */
  importance: { impurity: FeatureImportance[]; permutation: PermutationImportance[] };
  byDate: DateScore[];
  /**
   * The model against persistence and HAR with their sampling uncertainty: a paired block
   * bootstrap over the test dates (paired-bootstrap.ts), blocks of `horizon` dates, seeded with
   * the model's seed. Null without that baseline or without dated test rows.
   */
  differences: { persistence: ScoreDifferences | null; har: ScoreDifferences | null };
  notes: string[];
}

/** Smallest test block of a walk-forward fold, in dates. */
const MIN_FOLD_DATES = 5;
/** Smallest part of a training period left to fit on once the calibration slice and its purge are taken (dates). */
const MIN_FIT_DATES = 10;

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

/** Fills in and checks the options for `set`. */
export function resolveOptions(set: TrainingSet, opts: ModelOptions = {}): ResolvedOptions {
  const trees = opts.trees ?? TRAIN_DEFAULTS.trees;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  const folds = opts.folds ?? TRAIN_DEFAULTS.folds;
  positiveInt('trees', trees);
  positiveInt('folds', folds);
  positiveInt('maxDepth', opts.maxDepth);
  positiveInt('minSamplesLeaf', opts.minSamplesLeaf);
  if (!Number.isInteger(seed)) throw new TrainingDataError(`seed must be an integer, got ${seed}`);
  if (opts.tune && opts.maxDepth !== undefined) throw new TrainingDataError('tuning chooses the depth itself: give either tune or maxDepth');
  const dates = set.rows.length > 0 && set.rows.every((r) => r.date !== null);
  const split = opts.split ?? (dates ? TRAIN_DEFAULTS.split : 'random');
  if (split !== 'random' && !dates) {
    throw new TrainingDataError(`a ${split} split needs a date on every row; use a random split for data without dates`, { column: 'date' });
  }
  return {
    split,
    folds,
    testSize: opts.testSize ?? TRAIN_DEFAULTS.testSize,
    trees,
    seed,
    maxDepth: opts.maxDepth ?? null,
    // TRAIN_DEFAULTS.minSamplesLeaf is 'horizon': one label horizon of rows, 1 without a horizon.
    minSamplesLeaf: opts.minSamplesLeaf ?? set.labelRule.horizon ?? 1,
    tune: opts.tune ?? (opts.maxDepth === undefined && TRAIN_DEFAULTS.tune),
    permutationRepeats: opts.permutationRepeats ?? TRAIN_DEFAULTS.permutationRepeats,
    purgeGap: set.labelRule.horizon ?? 0,
  };
}

/** Dates a walk-forward evaluation needs: enough for the first fold's nested calibration slice and for every test block. */
export function walkForwardDatesNeeded(folds: number, purgeGap: number): number {
  const share = TRAIN_DEFAULTS.walkForwardTestShare;
  const firstTrain = Math.ceil((MIN_FIT_DATES + purgeGap) / (1 - TRAIN_DEFAULTS.calibrationShare)) + purgeGap;
  return Math.max(Math.ceil(firstTrain / (1 - share)), Math.ceil((MIN_FOLD_DATES * folds) / share));
}

/** Cuts the history into folds (no training happens here). Throws TrainingDataError when the set is too small for them. */
export function planWalkForward(set: TrainingSet, opts: ModelOptions = {}): WalkForwardPlan {
  checkTrainingSet(set);
  const o = resolveOptions(set, opts);
  const { purgeGap } = o;
  if (o.split === 'random') {
    randomSplit(set.rows.length, o.testSize, o.seed); // throws when too few rows
    return { method: 'random', purgeGap: 0, folds: [{ kind: 'random', index: 1, testSize: o.testSize, seed: o.seed }] };
  }
  const dates = datesOf(set.rows)!;
  if (o.split === 'time') {
    const s = timeSplit(dates, o.testSize, purgeGap);
    const trainDates = s.train.map((i) => dates[i]);
    const testDates = s.test.map((i) => dates[i]);
    return {
      method: 'time',
      purgeGap,
      folds: [{ kind: 'time', index: 1, trainFrom: trainDates[0], trainTo: trainDates.at(-1)!, testFrom: testDates[0], testTo: testDates.at(-1)! }],
    };
  }
  const unique = [...new Set(dates)].sort();
  const n = unique.length;
  const needed = walkForwardDatesNeeded(o.folds, purgeGap);
  if (n < needed) {
    throw new TrainingDataError(
      `walk-forward evaluation with ${o.folds} folds and a purge gap of ${purgeGap} dates needs at least ${needed} distinct dates; ` +
        `the set has ${n} (use fewer --folds, or --split time|random)`,
    );
  }
  const m = Math.round(n * TRAIN_DEFAULTS.walkForwardTestShare);
  const start = (k: number) => n - m + Math.floor((k * m) / o.folds);
  const folds: FoldSpec[] = [];
  for (let k = 0; k < o.folds; k++) {
    const lastTrain = start(k) - purgeGap - 1;
    folds.push({ kind: 'time', index: k + 1, trainFrom: unique[0], trainTo: unique[lastTrain], testFrom: unique[start(k)], testTo: unique[start(k + 1) - 1] });
  }
  return { method: 'walk-forward', purgeGap, folds };
}

/** The training and test row indices of a fold, in set order. */
export function foldRows(set: TrainingSet, fold: FoldSpec): { train: number[]; test: number[] } {
  if (fold.kind === 'random') {
    const dates = datesOf(set.rows);
    const s = randomSplit(set.rows.length, fold.testSize, fold.seed, dates ?? undefined);
    return { train: s.train, test: s.test };
  }
  const train: number[] = [];
  const test: number[] = [];
  set.rows.forEach((r, i) => {
    const d = r.date!;
    if (d >= fold.trainFrom && d <= fold.trainTo) train.push(i);
    else if (d >= fold.testFrom && d <= fold.testTo) test.push(i);
  });
  return { train, test };
}

/** The classes a model of this set predicts: every label of the set, in display order. */
export function setClasses(set: TrainingSet): string[] {
  return displayOrder(set.rows.map((r) => r.label));
}

/**
 * How to fit the forest on some training rows: its parameters (the depth chosen on the
 * calibration slice when tuning) and the calibration map. JSON; the forest itself is fitted
 * from it on all the rows (in one process, or in shards by the workflow).
 */
export interface RefitPlan {
  /** The forest's options (fitForest / the workflow's shards); no maxDepth: grown until pure. */
  forest: { trees: number; seed: number; maxDepth?: number; minSamplesLeaf: number };
  tuning: TuningResult | null;
  calibration: Calibration;
}

/** The calibration slice of some training rows: the last share of their dates, purged; null when too few rows. */
export function calibrationSlice(
  set: TrainingSet,
  rows: readonly number[],
  o: ResolvedOptions,
): { fit: number[]; slice: number[]; from: string | null } | null {
  try {
    const share = TRAIN_DEFAULTS.calibrationShare;
    if (o.split === 'random') {
      const s = randomSplit(rows.length, share, o.seed);
      return { fit: s.train.map((i) => rows[i]), slice: s.test.map((i) => rows[i]), from: null };
    }
    const s = timeSplit(
      rows.map((i) => set.rows[i].date!),
      share,
      o.purgeGap,
    );
    return { fit: s.train.map((i) => rows[i]), slice: s.test.map((i) => rows[i]), from: s.testFrom };
  } catch (err) {
    if (err instanceof TrainingDataError) return null;
    throw err;
  }
}

/** Probabilities of `forest` for `rows` in `classes` order. */
function rawProba(forest: FittedForest, set: TrainingSet, rows: readonly number[], classes: readonly string[]): number[][] {
  return forest.predictProba(rows.map((i) => set.rows[i].features)).map((p) => reindex(p, forest.classes, classes));
}

function brierScore(proba: readonly (readonly number[])[], truth: readonly number[]): number {
  let s = 0;
  proba.forEach((p, i) => {
    for (let k = 0; k < p.length; k++) s += (p[k] - (k === truth[i] ? 1 : 0)) ** 2;
  });
  return s / proba.length;
}

/**
 * Chooses the depth (when tuning) and fits the calibration on the calibration slice of
 * `rows`: each candidate forest is fitted on the rows before the slice. Pure and seeded.
 */
export function planRefit(set: TrainingSet, rows: readonly number[], opts: ModelOptions = {}, onTree?: () => void): RefitPlan {
  const o = resolveOptions(set, opts);
  const classes = setClasses(set);
  const base = { trees: o.trees, seed: o.seed, minSamplesLeaf: o.minSamplesLeaf };
  const inner = calibrationSlice(set, rows, o);
  const fitClasses = inner ? new Set(inner.fit.map((i) => set.rows[i].label)).size : 0;
  if (!inner || fitClasses < 2) {
    if (o.tune) {
      throw new TrainingDataError(
        `too few training rows (${rows.length}) to choose the tree depth on a calibration slice of their last dates; give a maximum depth instead`,
      );
    }
    const calibration = fitCalibration(classes, [], [], o.trees);
    return { forest: withDepth(base, o.maxDepth), tuning: null, calibration };
  }
  const X = inner.fit.map((i) => set.rows[i].features);
  const y = inner.fit.map((i) => set.rows[i].label);
  const truth = inner.slice.map((i) => classes.indexOf(set.rows[i].label));
  const depths = o.tune ? DEPTH_CANDIDATES : [o.maxDepth];
  const candidates = depths.map((maxDepth) => {
    const forest = fitForest(X, y, { ...base, maxDepth: maxDepth ?? undefined, onTree });
    const proba = rawProba(forest, set, inner.slice, classes);
    return { maxDepth, proba, score: brierScore(proba, truth) };
  });
  const chosenDepth = o.tune ? bestCandidate(candidates.map((c) => ({ maxDepth: c.maxDepth!, score: c.score }))) : o.maxDepth;
  const chosen = candidates.find((c) => c.maxDepth === chosenDepth)!;
  const tuning: TuningResult | null = o.tune
    ? {
        metric: 'brier',
        validationFrom: inner.from,
        validationRows: inner.slice.length,
        candidates: candidates.map((c) => ({ maxDepth: c.maxDepth!, score: c.score })),
        chosen: chosenDepth!,
      }
    : null;
  const calibration = fitCalibration(classes, chosen.proba, truth, o.trees);
  const har = harPoolInputs(set);
  if (har) {
    // HAR fitted on the same rows as the candidate forests, so the weight is learnt out of sample for both,
    // with each slice row's trust measured against those rows, as it will be served.
    const model = fitHarOrNull(inner.fit.map((i) => set.rows[i].volatility).filter(usableVolatility));
    if (model) {
      const harProba = inner.slice.map((i) => harProbabilitiesFor(model, harComponentsOf(set.rows[i].features, har.cols), har.thresholds, classes));
      if (harProba.every((p) => p !== null)) {
        const trust = harTrust(forecasts(set, inner.fit, model, har.cols), o.purgeGap, rarestClassRows(set, inner.fit, classes));
        const outside = inner.slice.map((i) => outsideTrust(trust, harForecast(model, harComponentsOf(set.rows[i].features, har.cols))));
        const calibrated = chosen.proba.map((p) => calibrate(calibration, p));
        calibration.harWeight = fitHarWeight(calibrated, harProba as number[][], truth, outside);
      }
    }
    // The served trust region: the forest's own training rows (all of `rows`), against the HAR fitted on them.
    const served = fitHarOrNull(rows.map((i) => set.rows[i].volatility).filter(usableVolatility));
    if (served) calibration.harTrust = harTrust(forecasts(set, rows, served, har.cols), o.purgeGap, rarestClassRows(set, rows, classes));
  }
  return { forest: withDepth(base, chosenDepth), tuning, calibration };
}

/** HAR forecasts (ln vol) of `rows` from their feature columns, as served; rows with a non-finite component are left out. */
function forecasts(set: TrainingSet, rows: readonly number[], model: HarModel, cols: readonly [number, number, number]): number[] {
  return rows.map((i) => harForecast(model, harComponentsOf(set.rows[i].features, cols))).filter(Number.isFinite);
}

/** Rows of the rarest of `classes` among `rows` (0 when one is missing). */
function rarestClassRows(set: TrainingSet, rows: readonly number[], classes: readonly string[]): number {
  const counts = new Map(classes.map((c) => [c, 0]));
  for (const i of rows) counts.set(set.rows[i].label, (counts.get(set.rows[i].label) ?? 0) + 1);
  return Math.min(...classes.map((c) => counts.get(c)!));
}

function withDepth<T extends object>(base: T, maxDepth: number | null): T & { maxDepth?: number } {
  return maxDepth === null ? base : { ...base, maxDepth };
}

/** Fits the forest of a plan on `rows`. */
export function fitPlannedForest(set: TrainingSet, rows: readonly number[], plan: RefitPlan, onTree?: () => void): FittedForest {
  return fitForest(
    rows.map((i) => set.rows[i].features),
    rows.map((i) => set.rows[i].label),
    { ...plan.forest, onTree },
  );
}

/** What the model needs to pool with HAR: a risk-level set whose features carry the HAR components. */
function harPoolInputs(set: TrainingSet): { cols: [number, number, number]; thresholds: ClassThresholds } | null {
  const cols = harFeatureColumns(set.featureNames);
  return set.labelRule.kind === 'volatility-bands' && cols ? { cols, thresholds: set.labelRule.thresholds } : null;
}

/** Served probabilities of rows `rows` of `set`. */
function servedProba(
  forest: FittedForest,
  calibration: Calibration,
  har: HarModel | null,
  set: TrainingSet,
  rows: readonly number[],
  classes: readonly string[],
): number[][] {
  return servedProbabilities(
    forest,
    calibration,
    har,
    set.labelRule,
    set.featureNames,
    rows.map((i) => set.rows[i].features),
    classes,
  );
}

/** The HAR regression of some rows' volatilities, or null when they cannot support one (too few rows, no variation). */
function fitHarOrNull(vols: RowVolatility[]): HarModel | null {
  if (vols.length === 0) return null;
  try {
    return fitHar(vols);
  } catch (err) {
    if (err instanceof TrainingDataError) return null;
    throw err;
  }
}

/** The baselines fitted on some training rows: what an artifact stores and a fold scores. */
export interface FittedBaselines {
  /** Training class frequencies in `classes` order. */
  classPriors: number[];
  /** `[persisted][true]` in `classes` order, or null without a persistence baseline. */
  persistenceProbabilities: number[][] | null;
  har: HarModel | null;
}

/** Fits the majority, persistence and HAR baselines on `rows` (classes in `classes` order). */
export function fitBaselines(set: TrainingSet, rows: readonly number[], classes: readonly string[]): FittedBaselines {
  const y = rows.map((i) => set.rows[i].label);
  const persisted = laggedLabels(set.rows, set.labelRule.horizon);
  const har = set.labelRule.kind === 'volatility-bands' ? fitHarOrNull(rows.map((i) => set.rows[i].volatility).filter(usableVolatility)) : null;
  return {
    classPriors: classPriors(classes, y),
    persistenceProbabilities:
      persisted &&
      persistenceProbabilities(
        classes,
        rows.map((i) => persisted[i]),
        y,
      ),
    har,
  };
}

/** HAR class probabilities of row `row` of `set` (from its realised volatilities) in `classes` order; null without them. */
export function harRowProbabilities(set: TrainingSet, har: HarModel, row: number, classes: readonly string[]): number[] | null {
  const v = set.rows[row].volatility;
  const rule = set.labelRule;
  return rule.kind === 'volatility-bands' && v ? harProbabilitiesFor(har, v, rule.thresholds, classes) : null;
}

/** One predictor's answers on some rows: probabilities in `classes` order and the index of its hard decision. */
interface Predictions {
  proba: number[][];
  pred: number[];
}

/** Hard decisions of `proba`: each row's {@link decideClass} under `priors`. */
const decided = (proba: readonly (readonly number[])[], priors: readonly number[]): number[] => proba.map((p) => decideClass(p, priors));

/**
 * What the model and every baseline answer on rows `test`: `proba` is the model's served
 * probabilities (in `classes` order), the baselines come fitted. Each predictor's hard decision
 * is its own: the majority and persistence baselines give theirs, the model and HAR decide
 * from their probabilities under the training priors.
 */
function predictAll(set: TrainingSet, test: readonly number[], classes: readonly string[], proba: number[][], baselines: FittedBaselines) {
  const index = (labels: readonly string[]) => labels.map((c) => classes.indexOf(c));
  const maj = majorityBaseline(classes, baselines.classPriors, test.length);
  const persistedAll = laggedLabels(set.rows, set.labelRule.horizon);
  let persistence: Predictions | null = null;
  if (persistedAll && baselines.persistenceProbabilities && test.some((i) => persistedAll[i] !== null)) {
    const pb = persistenceBaseline(
      classes,
      test.map((i) => persistedAll[i]),
      baselines.persistenceProbabilities,
      baselines.classPriors,
    );
    persistence = { proba: pb.proba, pred: index(pb.pred) };
  }
  let har: Predictions | null = null;
  if (baselines.har) {
    const h = baselines.har;
    const harProba = test.map((i) => harRowProbabilities(set, h, i, classes) ?? [...baselines.classPriors]);
    har = { proba: harProba, pred: decided(harProba, baselines.classPriors) };
  }
  return {
    model: { proba, pred: decided(proba, baselines.classPriors) },
    majority: { proba: maj.proba, pred: index(maj.pred), predicts: maj.predicts },
    persistence,
    har,
  };
}

/** Scores of one predictor's answers on rows `test`. */
function scored(set: TrainingSet, test: readonly number[], classes: readonly string[], p: Predictions): ScoredPredictor {
  const yTrue = test.map((i) => set.rows[i].label);
  return {
    metrics: classificationMetrics(
      classes,
      yTrue,
      p.pred.map((j) => classes[j]),
      p.proba,
    ),
    reliability: reliabilityBins(
      p.proba,
      yTrue.map((y) => classes.indexOf(y)),
    ),
  };
}

/**
 * The scores of the model and every baseline on rows `test`, and the model's per-date sums on
 * them (what a paired comparison with another model on the same dates resamples): `proba` is the
 * model's served probabilities (in `classes` order), the baselines come fitted.
 */
export function scoreAll(
  set: TrainingSet,
  test: readonly number[],
  classes: readonly string[],
  proba: number[][],
  baselines: FittedBaselines,
): { scores: FoldResult['scores']; byDate: DateScore[] } {
  const predictions = predictAll(set, test, classes, proba, baselines);
  return { scores: scoresOf(set, test, classes, predictions), byDate: dateScores(set, test, classes, predictions.model) };
}

function scoresOf(set: TrainingSet, test: readonly number[], classes: readonly string[], p: ReturnType<typeof predictAll>): FoldResult['scores'] {
  return {
    model: scored(set, test, classes, p.model),
    majority: { ...scored(set, test, classes, p.majority), predicts: p.majority.predicts },
    persistence: p.persistence && scored(set, test, classes, p.persistence),
    har: p.har && scored(set, test, classes, p.har),
  };
}

/**
 * One predictor's answers on rows `test` summed per date (dates ascending; rows without a date
 * are left out): pooling them gives exactly the scores {@link scored} gives on the dated rows.
 */
function dateScores(set: TrainingSet, test: readonly number[], classes: readonly string[], p: Predictions): DateScore[] {
  const k = classes.length;
  const byDate = new Map<string, DateScore>();
  test.forEach((row, r) => {
    const date = set.rows[row].date;
    if (date === null) return;
    let d = byDate.get(date);
    if (!d) {
      d = { date, confusion: new Array(k * k).fill(0), logLoss: 0, brier: 0 };
      byDate.set(date, d);
    }
    const t = classes.indexOf(set.rows[row].label);
    const pr = p.proba[r];
    d.confusion[t * k + p.pred[r]] += 1;
    d.logLoss -= Math.log(Math.min(1, Math.max(1e-15, pr[t])));
    for (let j = 0; j < k; j++) d.brier += (pr[j] - (j === t ? 1 : 0)) ** 2;
  });
  return [...byDate.values()].sort(byDateAscending);
}

const byDateAscending = (a: DateScore, b: DateScore): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * Trees one fold trains: the candidate depths' forests (or the single calibration forest) plus
 * the refit; for progress bars.
 */
export function treesPerFit(opts: ModelOptions, set: TrainingSet): number {
  const o = resolveOptions(set, opts);
  return o.trees * ((o.tune ? DEPTH_CANDIDATES.length : 1) + 1);
}

/** Trains, calibrates and scores one fold. Pure and seeded: the same set, fold and options give the same result. */
export function runFold(set: TrainingSet, fold: FoldSpec, opts: ModelOptions = {}, onTree?: () => void): FoldResult {
  const o = resolveOptions(set, opts);
  const classes = setClasses(set);
  const { train, test } = foldRows(set, fold);
  if (test.length === 0) throw new TrainingDataError(`fold ${fold.index} has no test rows`);
  const target = set.labelRule.kind === 'given' ? set.labelRule.target : 'risk_level';
  const trainLabels = new Set(train.map((i) => set.rows[i].label));
  if (trainLabels.size < 2) {
    throw new TrainingDataError(
      `fold ${fold.index}: the target '${target}' has a single class ('${[...trainLabels][0] ?? '-'}') in the ${train.length} training rows; a classifier needs at least two`,
      { column: target },
    );
  }
  const plan = planRefit(set, train, opts, onTree);
  const forest = fitPlannedForest(set, train, plan, onTree);
  const baselines = fitBaselines(set, train, classes);
  const proba = servedProba(forest, plan.calibration, baselines.har, set, test, classes);
  const predictions = predictAll(set, test, classes, proba, baselines);
  const scores = scoresOf(set, test, classes, predictions);

  const testX = test.map((i) => set.rows[i].features);
  const permutation =
    o.permutationRepeats > 0
      ? permutationImportance(
          (X) =>
            forest
              .predictProba(X)
              .map((p) => reindex(calibrate(plan.calibration, reindex(p, forest.classes, plan.calibration.classes)), plan.calibration.classes, classes)),
          classes,
          testX,
          test.map((i) => set.rows[i].label),
          set.featureNames,
          { repeats: o.permutationRepeats, seed: o.seed, maxSamples: TRAIN_DEFAULTS.permutationMaxRows },
        ).map(({ mean, std }) => ({ mean, std }))
      : [];
  const dates = (rows: number[]) => rows.map((i) => set.rows[i].date).filter((d): d is string => d !== null);
  const trainDates = dates(train);
  const testDates = dates(test);
  const notes: string[] = [];
  const cal = plan.calibration;
  if (cal.method === 'none') notes.push(`fold ${fold.index}: probabilities not calibrated: ${cal.reason}`);
  if (baselines.har === null && set.labelRule.kind === 'volatility-bands')
    notes.push(`fold ${fold.index}: no HAR baseline (the rows carry no realised volatilities)`);
  return {
    fold,
    classes,
    trainRows: train.length,
    testRows: test.length,
    trainFrom: trainDates.length ? trainDates.reduce((a, b) => (b < a ? b : a)) : null,
    trainTo: trainDates.length ? trainDates.reduce((a, b) => (b > a ? b : a)) : null,
    testFrom: testDates.length ? testDates.reduce((a, b) => (b < a ? b : a)) : null,
    testTo: testDates.length ? testDates.reduce((a, b) => (b > a ? b : a)) : null,
    maxDepth: plan.forest.maxDepth ?? null,
    tuning: plan.tuning,
    calibration: {
      method: cal.method,
      rows: cal.rows,
      harWeight: cal.harWeight,
      ...(cal.method === 'temperature' ? { temperature: cal.temperature } : { reason: cal.reason }),
    },
    scores,
    byDate: dateScores(set, test, classes, predictions.model),
    baselineByDate: {
      persistence: predictions.persistence && dateScores(set, test, classes, predictions.persistence),
      har: predictions.har && dateScores(set, test, classes, predictions.har),
    },
    importance: { impurity: forest.featureImportances(), permutation },
    notes,
  };
}

function brief(s: ScoredPredictor): BriefScores {
  const m = s.metrics;
  return { accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, logLoss: m.logLoss, brier: m.brier, ece: expectedCalibrationError(s.reliability) };
}

function pool(list: readonly ScoredPredictor[]): PooledScores {
  const reliability = addBins(list.map((s) => s.reliability));
  return { ...poolMetrics(list.map((s) => s.metrics)), ece: expectedCalibrationError(reliability), reliability };
}

function won(folds: readonly FoldResult[], pick: (f: FoldResult) => ScoredPredictor | null): FoldsWon | null {
  if (folds.some((f) => pick(f) === null)) return null;
  const out: FoldsWon = { balancedAccuracy: 0, logLoss: 0, brier: 0, all: 0 };
  for (const f of folds) {
    const m = f.scores.model.metrics;
    const b = pick(f)!.metrics;
    const ba = m.balancedAccuracy > b.balancedAccuracy;
    const ll = m.logLoss < b.logLoss;
    const br = m.brier < b.brier;
    out.balancedAccuracy += ba ? 1 : 0;
    out.logLoss += ll ? 1 : 0;
    out.brier += br ? 1 : 0;
    out.all += ba && ll && br ? 1 : 0;
  }
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The model against one baseline over every fold's test dates, with its sampling uncertainty
 * (paired block bootstrap, blocks of the label horizon, the model's seed). Null when a fold has
 * no such baseline, or there are no dated test rows. A date belongs to one fold's test block only.
 */
function differencesAgainst(
  folds: readonly FoldResult[],
  pick: (f: FoldResult) => DateScore[] | null,
  classes: readonly string[],
  o: ResolvedOptions,
): ScoreDifferences | null {
  if (folds.some((f) => pick(f) === null)) return null;
  const model = folds.flatMap((f) => f.byDate).sort(byDateAscending);
  const baseline = folds.flatMap((f) => pick(f)!).sort(byDateAscending);
  if (model.length === 0) return null;
  return pairedBootstrap(model, baseline, classes, { blockLength: Math.max(1, o.purgeGap), seed: o.seed });
}

/** Pools the folds' results into the evaluation report. */
export function summarizeWalkForward(set: TrainingSet, folds: readonly FoldResult[], opts: ModelOptions = {}): WalkForwardReport {
  if (folds.length === 0) throw new TrainingDataError('no fold results to summarise');
  const o = resolveOptions(set, opts);
  const sorted = [...folds].sort((a, b) => a.fold.index - b.fold.index);
  const classes = sorted[0].classes;
  const nullable = (pick: (f: FoldResult) => ScoredPredictor | null): PooledScores | null =>
    sorted.some((f) => pick(f) === null) ? null : pool(sorted.map((f) => pick(f)!));
  const predicts = [...new Set(sorted.map((f) => f.scores.majority.predicts))].join(', ');
  const impurity = set.featureNames.map((feature, j) => ({ feature, importance: mean(sorted.map((f) => f.importance.impurity[j] ?? 0)) }));
  const withPermutation = sorted.filter((f) => f.importance.permutation.length > 0);
  const permutation = withPermutation.length
    ? set.featureNames.map((feature, j) => ({
        feature,
        mean: mean(withPermutation.map((f) => f.importance.permutation[j].mean)),
        std: mean(withPermutation.map((f) => f.importance.permutation[j].std)),
      }))
    : [];
  const notes = sorted.flatMap((f) => f.notes);
  if (o.split === 'random' && datesOf(set.rows)) {
    notes.push(
      'random split of overlapping forward-looking labels: test rows have near-identical neighbours in training, so these scores are optimistic (see docs/model.md)',
    );
  }
  if (!datesOf(set.rows) && opts.split === undefined) notes.push('no date column: rows were split at random (no purge gap)');
  return {
    method: o.split,
    purgeGap: o.split === 'random' ? 0 : o.purgeGap,
    classes: [...classes],
    testRows: sorted.reduce((a, f) => a + f.testRows, 0),
    testFrom: sorted[0].testFrom,
    testTo: sorted.at(-1)!.testTo,
    folds: sorted.map((f) => ({
      index: f.fold.index,
      trainFrom: f.trainFrom,
      trainTo: f.trainTo,
      testFrom: f.testFrom,
      testTo: f.testTo,
      trainRows: f.trainRows,
      testRows: f.testRows,
      maxDepth: f.maxDepth,
      calibration: f.calibration,
      model: brief(f.scores.model),
      majority: brief(f.scores.majority),
      persistence: f.scores.persistence && brief(f.scores.persistence),
      har: f.scores.har && brief(f.scores.har),
    })),
    model: pool(sorted.map((f) => f.scores.model)),
    baselines: {
      majority: { ...pool(sorted.map((f) => f.scores.majority)), predicts },
      persistence: nullable((f) => f.scores.persistence),
      har: nullable((f) => f.scores.har),
    },
    foldsWon: {
      majority: won(sorted, (f) => f.scores.majority)!,
      persistence: won(sorted, (f) => f.scores.persistence),
      har: won(sorted, (f) => f.scores.har),
    },
    importance: { impurity, permutation },
    byDate: sorted.flatMap((f) => f.byDate).sort(byDateAscending),
    differences: {
      persistence: differencesAgainst(sorted, (f) => f.baselineByDate.persistence, classes, o),
      har: differencesAgainst(sorted, (f) => f.baselineByDate.har, classes, o),
    },
    notes,
  };
}

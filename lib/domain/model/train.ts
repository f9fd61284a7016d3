/**
 * The one trainer, for every training set (built from prices or read from a CSV):
 *
 * 1. evaluate out of sample: walk-forward folds by default (walk-forward.ts), each fold
 *    choosing its depth and calibration on a purged slice of its own training period and
 *    scored beside the majority, persistence and HAR baselines;
 * 2. refit on every labelled row: the same depth choice and calibration on the last slice of
 *    the whole history ({@link refitOptions}), then the forest on all rows;
 * 3. package the artifact ({@link assembleArtifact}): the refit forest, its calibration, the
 *    baselines refit on all rows, the evaluation summary and the feature distributions.
 *
 * The training workflow runs the same steps as separate tasks (a Map over folds, the final
 * forest in shards); {@link trainRiskModel} runs them in one process and gives the same
 * artifact for the same seed.
 */
import { fingerprintRows, type ModelArtifact } from './artifact.ts';
import { featureDistribution } from './drift.ts';
import { FOREST_IMPLEMENTATION, loadForest } from './forest-adapter.ts';
import type { TrainingSet } from './types.ts';
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, LIBRARY_VERSIONS } from './versions.ts';
import {
  fitBaselines,
  fitPlannedForest,
  type ModelOptions,
  planRefit,
  planWalkForward,
  type RefitPlan,
  resolveOptions,
  runFold,
  setClasses,
  summarizeWalkForward,
  treesPerFit,
  type WalkForwardReport,
} from './walk-forward.ts';

/** Options of {@link trainRiskModel}; each one left out takes its value from TRAIN_DEFAULTS. */
export interface TrainOptions extends ModelOptions {
  /**
   * Called as trees finish with the trees done so far and the total for this training (every
   * fold's candidate and refit forests, then the final ones).
   */
  onProgress?: (done: number, total: number) => void;
}

export interface TrainResult {
  artifact: ModelArtifact;
  evaluation: WalkForwardReport;
}

/**
 * The refit on all labelled rows: the forest's options and calibration, and the window. JSON;
 * `rows` null means every row of the set (the shape the workflow's shard trainer takes).
 */
export interface Refit extends RefitPlan {
  rows: null;
  window: { rows: number; from: string | null; to: string | null };
}

const allRows = (set: TrainingSet): number[] => set.rows.map((_, i) => i);

/**
 * How to refit on every labelled row of `set` after the evaluation: the depth (tuned on the
 * last calibration slice of the whole history, as each fold did on its own) and the calibration
 * map. The forest itself is then trained on all rows with `forest` (in one process or in
 * shards). `report` is the evaluation the refit follows (checked to be of this set's classes).
 */
export function refitOptions(set: TrainingSet, report: WalkForwardReport, opts: ModelOptions = {}, onTree?: () => void): Refit {
  const classes = setClasses(set);
  if (report.classes.join('\u0000') !== classes.join('\u0000')) {
    throw new RangeError(`the evaluation's classes [${report.classes.join(', ')}] are not the set's [${classes.join(', ')}]`);
  }
  const rows = allRows(set);
  const plan = planRefit(set, rows, opts, onTree);
  const dates = set.rows.map((r) => r.date).filter((d): d is string => d !== null);
  return {
    ...plan,
    rows: null,
    window: {
      rows: rows.length,
      from: dates.length ? dates.reduce((a, b) => (b < a ? b : a)) : null,
      to: dates.length ? dates.reduce((a, b) => (b > a ? b : a)) : null,
    },
  };
}

/**
 * Packages the refit forest (`forestJson`: the forest's own JSON, e.g. merged shards) with
 * its calibration, the baselines refit on all rows, the evaluation summary and the training
 * feature distributions into a model artifact.
 */
export function assembleArtifact(set: TrainingSet, forestJson: unknown, report: WalkForwardReport, refit: Refit, opts: ModelOptions = {}): ModelArtifact {
  const o = resolveOptions(set, opts);
  const forest = loadForest(forestJson);
  const rows = allRows(set);
  const baselines = fitBaselines(set, rows, forest.classes);
  const y = set.rows.map((r) => r.label);
  const brief = (s: WalkForwardReport['model']) => ({
    accuracy: s.accuracy,
    balancedAccuracy: s.balancedAccuracy,
    logLoss: s.logLoss,
    brier: s.brier,
    ece: s.ece,
  });
  return {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    libraries: { ...LIBRARY_VERSIONS },
    labelRule: structuredClone(set.labelRule),
    classes: [...forest.classes],
    featureNames: [...set.featureNames],
    options: {
      evaluation: report.method,
      folds: report.folds.length,
      testSize: o.testSize,
      purgeGap: report.purgeGap,
      trees: refit.forest.trees,
      seed: refit.forest.seed,
      maxDepth: refit.forest.maxDepth ?? null,
      minSamplesLeaf: refit.forest.minSamplesLeaf,
      forest: FOREST_IMPLEMENTATION,
      tuning: refit.tuning,
    },
    training: {
      rows: refit.window.rows,
      from: refit.window.from,
      to: refit.window.to,
      fingerprint: fingerprintRows(set.rows),
      classCounts: Object.fromEntries(forest.classes.map((c) => [c, y.filter((v) => v === c).length])),
      symbols: [...new Set(set.rows.flatMap((r) => (r.symbol === null ? [] : [r.symbol])))].sort(),
    },
    evaluation: {
      method: report.method,
      purgeGap: report.purgeGap,
      testRows: report.testRows,
      testFrom: report.testFrom,
      testTo: report.testTo,
      folds: report.folds.map(({ index, trainFrom, trainTo, testFrom, testTo, trainRows, testRows }) => ({
        index,
        trainFrom,
        trainTo,
        testFrom,
        testTo,
        trainRows,
        testRows,
      })),
      pooled: {
        model: brief(report.model),
        majority: brief(report.baselines.majority),
        persistence: report.baselines.persistence && brief(report.baselines.persistence),
        har: report.baselines.har && brief(report.baselines.har),
      },
      foldsWon: report.foldsWon,
      byDate: report.byDate,
    },
    calibration: structuredClone(refit.calibration),
    baselines: {
      classPriors: baselines.classPriors,
      persistenceProbabilities: baselines.persistenceProbabilities,
      har: baselines.har,
    },
    featureDistributions: Object.fromEntries(set.featureNames.map((name, j) => [name, featureDistribution(set.rows.map((r) => r.features[j]))])),
    forest: forestJson,
  };
}

/** Evaluates (walk-forward by default), refits on all rows and packages the risk model of `set`. */
export function trainRiskModel(set: TrainingSet, opts: TrainOptions = {}): TrainResult {
  const { onProgress, ...modelOpts } = opts;
  const plan = planWalkForward(set, modelOpts);
  const perFit = treesPerFit(modelOpts, set);
  const total = perFit * (plan.folds.length + 1);
  let done = 0;
  const onTree = onProgress && (() => onProgress(++done, total));
  const folds = plan.folds.map((fold) => runFold(set, fold, modelOpts, onTree));
  const evaluation = summarizeWalkForward(set, folds, modelOpts);
  const refit = refitOptions(set, evaluation, modelOpts, onTree);
  const forest = fitPlannedForest(set, allRows(set), refit, onTree);
  const artifact = assembleArtifact(set, forest.toJSON(), evaluation, refit, modelOpts);
  return { artifact, evaluation };
}

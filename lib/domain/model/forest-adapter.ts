/**
 * The one place the model core touches the random forest (lib/domain/model/forest/), so the
 * rest of the core depends on this small interface only.
 */

import { TRAIN_DEFAULTS } from './defaults.ts';
import { FOREST_FORMAT, FOREST_FORMAT_VERSION, type ForestOptions, RandomForestModel, trainForest } from './forest/index.ts';

export interface ForestFitOptions {
  trees: number;
  seed: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  /** Called after each finished tree. */
  onTree?: () => void;
}

export interface FittedForest {
  /** Column order of predictProba and of contributions' class axis. */
  readonly classes: string[];
  predictProba(X: readonly (readonly number[])[]): number[][];
  /** Impurity-based importances, one per feature, summing to 1 (or all 0). */
  featureImportances(): number[];
  /** Out-of-bag accuracy, or null when unavailable. */
  oobScore(): number | null;
  /** bias[class] + Σ_f contributions[f][class] = predictProba([x])[0][class]. */
  contributions(x: readonly number[]): { bias: number[]; contributions: number[][] };
  toJSON(): unknown;
}

/** Recorded in the artifact's options. */
export const FOREST_IMPLEMENTATION = `${FOREST_FORMAT}@${FOREST_FORMAT_VERSION}`;

function wrap(m: RandomForestModel): FittedForest {
  return {
    classes: [...m.classes],
    predictProba: (X) => m.predictProba(X as number[][]),
    featureImportances: () => m.featureImportances(),
    oobScore: () => m.oobScore(),
    contributions: (x) => m.contributions(x),
    toJSON: () => m.toJSON(),
  };
}

/**
 * Breiman forest with scikit-learn's defaults (bootstrap rows, √F features drawn per split,
 * Gini, grown until pure, unless a depth or leaf size is given), the split search of
 * TRAIN_DEFAULTS, single-threaded so training stays synchronous.
 */
export function fitForest(X: readonly (readonly number[])[], y: readonly string[], opts: ForestFitOptions): FittedForest {
  const { onTree } = opts;
  return wrap(trainForest(X as number[][], y, { ...forestOptions(opts), threads: 1 }, onTree && (() => onTree())));
}

/**
 * The forest's options of the risk model, the one place they are set: `fitForest` and the
 * workflow's shards (forest-shards.ts) train with exactly these, so their forests are the same.
 */
export function forestOptions(opts: Omit<ForestFitOptions, 'onTree'>): ForestOptions {
  return { nEstimators: opts.trees, seed: opts.seed, maxDepth: opts.maxDepth, minSamplesLeaf: opts.minSamplesLeaf, splitSearch: TRAIN_DEFAULTS.splitSearch };
}

export function loadForest(json: unknown): FittedForest {
  return wrap(RandomForestModel.load(json));
}

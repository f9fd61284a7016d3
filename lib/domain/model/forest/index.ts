/**
 * riskfn's random forest (classification, Gini, CART trees), a fast replacement for the
 * training path of ml-random-forest whose trees ml-random-forest (patched) can still load:
 * see docs/forest.md.
 *
 * `trainForest` is synchronous when `threads` is 1 (the default) and returns a Promise when
 * `threads` > 1 (worker threads). `trainForestAsync` always returns a Promise. Both give the
 * byte-identical model for the same data, options and seed, whatever the thread count.
 *
 * @example
 * const model = trainForest(rows, labels, { nEstimators: 100, seed: 42 });
 * model.predict([[0.1, 2.3, ...]]); // ['high']
 */
import { RandomForestModel } from './forest-model.ts';
import { type ForestOptions, type ResolvedForestOptions, resolveForestOptions } from './options.ts';
import { trainSharded } from './parallel.ts';
import { buildTrees, outOfBagScore, treeParams } from './train.ts';
import { type TrainingMatrix, buildTrainingMatrix } from './training-data.ts';
import type { FlatTree } from './flat-tree.ts';

export { RandomForestModel, type Contributions } from './forest-model.ts';
export type { ForestOptions, ResolvedForestOptions, MaxFeatures } from './options.ts';
export { FOREST_DEFAULTS, resolveMaxFeatures } from './options.ts';
export { ForestError, ForestFormatError, ForestInputError, ForestOptionsError } from './errors.ts';
export { FOREST_FORMAT, FOREST_FORMAT_VERSION, type SerializedForest } from './serialization.ts';
export type { FlatTree } from './flat-tree.ts';
export { toMlRandomForestJSON } from './ml-random-forest-export.ts';

/**
 * Trains a random forest on rows `X` (each of the same length, finite numbers) with string
 * labels `y`. Synchronous for `threads: 1` (default); a Promise for `threads > 1`.
 */
export function trainForest(X: ArrayLike<number>[], y: readonly string[], options?: ForestOptions & { threads?: 1 }): RandomForestModel;
export function trainForest(X: ArrayLike<number>[], y: readonly string[], options?: ForestOptions): RandomForestModel | Promise<RandomForestModel>;
export function trainForest(X: ArrayLike<number>[], y: readonly string[], options: ForestOptions = {}): RandomForestModel | Promise<RandomForestModel> {
  const resolved = resolveForestOptions(options);
  const { matrix, classes } = buildTrainingMatrix(X, y);
  const params = treeParams(resolved, matrix.features); // validates maxFeatures against F
  if (resolved.threads > 1) {
    return trainSharded(matrix, params, resolved.seed, resolved.nEstimators, resolved.threads).then((trees) =>
      assemble(matrix, classes, resolved, trees),
    );
  }
  return assemble(matrix, classes, resolved, buildTrees(matrix, params, resolved.seed, 0, resolved.nEstimators));
}

/** Like {@link trainForest} but always returns a Promise. */
export async function trainForestAsync(X: ArrayLike<number>[], y: readonly string[], options: ForestOptions = {}): Promise<RandomForestModel> {
  return trainForest(X, y, options);
}

function assemble(matrix: TrainingMatrix, classes: string[], options: ResolvedForestOptions, trees: FlatTree[]): RandomForestModel {
  return new RandomForestModel({
    classes,
    featureCount: matrix.features,
    trainingRows: matrix.rows,
    options,
    trees,
    oobScore: outOfBagScore(matrix, trees, options.seed, options.bootstrap),
  });
}

/**
 * riskfn's random forest (classification, Gini, CART trees), a fast replacement for the
 * training path of ml-random-forest whose trees ml-random-forest (patched) can still load:
 * see docs/forest.md.
 *
 * `trainForest` is synchronous when `threads` is 1 (the default) and returns a Promise when
 * `threads` > 1 (worker threads). `trainForestAsync` always returns a Promise. Both give the
 * byte-identical model for the same data, options and seed, whatever the thread count.
 *
 * An optional `onProgress(done, total)` is called as trees finish (from every thread); it is
 * not an option of the model, so it never changes the model.
 *
 * @example
 * const model = trainForest(rows, labels, { nEstimators: 100, seed: 42 });
 * model.predict([[0.1, 2.3, ...]]); // ['high']
 */

import type { RandomForestModel } from './forest-model.ts';
import { type ForestOptions, resolveForestOptions } from './options.ts';
import { prepareWithWorkers, trainSharded } from './parallel.ts';
import { assembleForest, buildTrees, treeParams } from './train.ts';
import { buildTrainingMatrix } from './training-data.ts';

/** Called after each finished tree with the number of trees done so far and the forest's size. */
export type ForestProgress = (done: number, total: number) => void;

export { ForestFormatError, ForestInputError, ForestOptionsError } from './errors.ts';
export { RandomForestModel } from './forest-model.ts';
export { toMlRandomForestJSON } from './ml-random-forest-export.ts';
export type { ForestOptions } from './options.ts';
export { resolveMaxFeatures } from './options.ts';
export { FOREST_FORMAT, FOREST_FORMAT_VERSION } from './serialization.ts';
export { type ForestShard, mergeForestShards, trainForestShard, trainForestShardAsync } from './shards.ts';

/**
 * Trains a random forest on rows `X` (each of the same length, finite numbers) with string
 * labels `y`. Synchronous for `threads: 1` (default); a Promise for `threads > 1`.
 */
export function trainForest(
  X: ArrayLike<number>[],
  y: readonly string[],
  options?: ForestOptions & { threads?: 1 },
  onProgress?: ForestProgress,
): RandomForestModel;
export function trainForest(
  X: ArrayLike<number>[],
  y: readonly string[],
  options?: ForestOptions,
  onProgress?: ForestProgress,
): RandomForestModel | Promise<RandomForestModel>;
export function trainForest(
  X: ArrayLike<number>[],
  y: readonly string[],
  options: ForestOptions = {},
  onProgress?: ForestProgress,
): RandomForestModel | Promise<RandomForestModel> {
  const resolved = resolveForestOptions(options);
  const total = resolved.nEstimators;
  const { workers, prepared } = prepareWithWorkers(resolved.threads, total, () => {
    const { matrix, classes } = buildTrainingMatrix(X, y, resolved.splitSearch === 'histogram');
    return { matrix, classes, params: treeParams(resolved, matrix.features) }; // treeParams validates maxFeatures against F
  });
  const { matrix, classes, params } = prepared;
  let done = 0;
  const onTree = onProgress && (() => onProgress(++done, total));
  if (resolved.threads > 1) {
    return trainSharded(matrix, params, resolved.seed, { from: 0, to: total }, workers, onTree).then(({ trees }) =>
      assembleForest(matrix, classes, resolved, trees),
    );
  }
  return assembleForest(matrix, classes, resolved, buildTrees(matrix, params, resolved.seed, 0, total, onTree));
}

/** Like {@link trainForest} but always returns a Promise. */
export async function trainForestAsync(
  X: ArrayLike<number>[],
  y: readonly string[],
  options: ForestOptions = {},
  onProgress?: ForestProgress,
): Promise<RandomForestModel> {
  return trainForest(X, y, options, onProgress);
}

/**
 * The risk model's forest trained in shards (the training workflow's Train Map state: one
 * Lambda per shard of trees) and merged (its Merge step), in the model core's vocabulary
 * ({@link ForestFitOptions}, as `fitForest` takes them). For the same rows and options the merged
 * forest's JSON is byte-identical to `fitForest(...).toJSON()`: see forest/shards.ts for why.
 */

import { type ForestShard, mergeForestShards, trainForestShardAsync } from './forest/index.ts';
import { shardRanges } from './forest/parallel.ts';
import { type ForestFitOptions, forestOptions } from './forest-adapter.ts';

export type { ForestShard };

/**
 * Tree ranges [from, to) of `trees` trees cut into shards of at most `treesPerShard` trees, in
 * tree order, sizes differing by at most one.
 */
export function planForestShards(trees: number, treesPerShard: number): { from: number; to: number }[] {
  if (!(Number.isInteger(trees) && trees >= 1 && Number.isInteger(treesPerShard) && treesPerShard >= 1)) {
    throw new RangeError(`trees (${trees}) and trees per shard (${treesPerShard}) must be positive integers`);
  }
  return shardRanges(trees, Math.ceil(trees / treesPerShard)).map(([from, to]) => ({ from, to }));
}

/**
 * Trees [from, to) of the forest `fitForest(X, y, opts)` would train, on `threads` threads (the
 * calling one and threads − 1 workers; the same trees for any count).
 */
export function fitForestShard(
  X: readonly (readonly number[])[],
  y: readonly string[],
  opts: Omit<ForestFitOptions, 'onTree'>,
  range: { from: number; to: number },
  threads = 1,
): Promise<ForestShard> {
  return trainForestShardAsync(X as number[][], y, { ...forestOptions(opts), threads }, range);
}

/**
 * The forest JSON (as `fitForest(X, y, opts).toJSON()`) from all its shards, trained on `X`/`y`
 * with `opts` (a shard trained with other options is refused).
 */
export function mergeForestShardsJson(
  X: readonly (readonly number[])[],
  y: readonly string[],
  opts: Omit<ForestFitOptions, 'onTree'>,
  shards: readonly ForestShard[],
): unknown {
  return mergeForestShards(X as number[][], y, shards, forestOptions(opts)).toJSON();
}

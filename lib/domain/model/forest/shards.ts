/**
 * Training one forest in separate processes (the training workflow's Map state: one Lambda per
 * shard of trees) and putting it back together.
 *
 * Tree t is built from the rows with the seed derived from (forest seed, t), wherever it runs
 * (parallel.ts relies on the same fact for threads). So a shard [from, to) trained anywhere holds
 * exactly trees from..to−1 of the one-process forest, and concatenating the shards in tree order
 * gives the byte-identical model: same trees, same out-of-bag score (computed at the merge, over
 * the whole forest, from the same rows), same JSON.
 */
import { ForestFormatError, ForestInputError } from './errors.ts';
import type { FlatTree } from './flat-tree.ts';
import type { RandomForestModel } from './forest-model.ts';
import { type ForestOptions, type ResolvedForestOptions, resolveForestOptions } from './options.ts';
import { prepareWithWorkers, trainSharded } from './parallel.ts';
import {
  deserializeForestOptions,
  FOREST_FORMAT_VERSION,
  parseTree,
  type SerializedForestOptions,
  type SerializedTree,
  serializeForestOptions,
} from './serialization.ts';
import { assembleForest, buildTrees, treeParams } from './train.ts';
import { buildTrainingMatrix } from './training-data.ts';

/** Identifies a shard's JSON. */
const SHARD_FORMAT = 'riskfn-forest-shard';

/**
 * Trees [from, to) of a forest, as JSON: what one shard's process returns. It carries the
 * forest's options and the shape of its training data, so a merge can refuse shards of
 * different forests or different rows.
 */
export interface ForestShard {
  format: typeof SHARD_FORMAT;
  version: typeof FOREST_FORMAT_VERSION;
  from: number;
  to: number;
  /** Sorted unique labels of the training rows. */
  classes: string[];
  featureCount: number;
  trainingRows: number;
  /** The whole forest's options (`nEstimators` is the forest's size, not the shard's). */
  options: SerializedForestOptions;
  trees: SerializedTree[];
}

/** Trees [from, to) of a forest. */
interface TreeRange {
  from: number;
  to: number;
}

function checkRange(from: number, to: number, nEstimators: number): void {
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && from < to && to <= nEstimators)) {
    throw new ForestInputError(`tree range [${from}, ${to}) is not a non-empty range within the forest's ${nEstimators} trees`);
  }
}

/**
 * Trains trees [from, to) of the forest that `trainForest(X, y, options)` would train, on the
 * calling thread.
 * @param options the whole forest's options (`threads` is ignored: see {@link trainForestShardAsync})
 * @throws ForestInputError on bad rows or a range outside 0..nEstimators
 */
export function trainForestShard(X: ArrayLike<number>[], y: readonly string[], options: ForestOptions, range: TreeRange): ForestShard {
  const resolved = resolveShardOptions(options, range);
  const { matrix, toShard } = prepareShard(X, y, resolved, range);
  return toShard(buildTrees(matrix, treeParams(resolved, matrix.features), resolved.seed, range.from, range.to));
}

/**
 * Like {@link trainForestShard}, with the shard's trees built on `options.threads` threads
 * (worker threads, see parallel.ts): the same shard, sooner when the cores are free.
 */
export async function trainForestShardAsync(X: ArrayLike<number>[], y: readonly string[], options: ForestOptions, range: TreeRange): Promise<ForestShard> {
  const resolved = resolveShardOptions(options, range);
  const { workers, prepared } = prepareWithWorkers(resolved.threads, range.to - range.from, () => prepareShard(X, y, resolved, range));
  const { matrix, toShard } = prepared;
  const { trees } = await trainSharded(matrix, treeParams(resolved, matrix.features), resolved.seed, range, workers);
  return toShard(trees);
}

function resolveShardOptions(options: ForestOptions, range: TreeRange): ResolvedForestOptions {
  const resolved = resolveForestOptions(options);
  checkRange(range.from, range.to, resolved.nEstimators);
  return resolved;
}

function prepareShard(X: ArrayLike<number>[], y: readonly string[], resolved: ResolvedForestOptions, range: TreeRange) {
  const { matrix, classes } = buildTrainingMatrix(X, y, resolved.splitSearch === 'histogram');
  const toShard = (trees: FlatTree[]): ForestShard => ({
    format: SHARD_FORMAT,
    version: FOREST_FORMAT_VERSION,
    from: range.from,
    to: range.to,
    classes,
    featureCount: matrix.features,
    trainingRows: matrix.rows,
    options: serializeForestOptions(resolved),
    trees: trees.map((t) => ({
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold),
      left: Array.from(t.left),
      right: Array.from(t.right),
      counts: Array.from(t.counts),
    })),
  });
  return { matrix, toShard };
}

/**
 * The forest from its shards (any order), trained on `X`/`y`: the rows every shard was trained on,
 * needed again for the out-of-bag score.
 * @param options the forest's options, when the caller knows them (else the first shard's)
 * @throws ForestFormatError when a shard is not a shard, the shards disagree with each other, with
 *   the rows (classes, shape) or with `options`, or their ranges do not cover 0..nEstimators exactly once
 */
export function mergeForestShards(X: ArrayLike<number>[], y: readonly string[], shards: readonly ForestShard[], options?: ForestOptions): RandomForestModel {
  if (shards.length === 0) throw new ForestFormatError('shards', 'no shards to merge');
  shards.forEach((s, i) => {
    if (s?.format !== SHARD_FORMAT) throw new ForestFormatError(`shards[${i}].format`, `expected "${SHARD_FORMAT}", found ${JSON.stringify(s?.format)}`);
    if (s.version !== FOREST_FORMAT_VERSION)
      throw new ForestFormatError(`shards[${i}].version`, `expected ${FOREST_FORMAT_VERSION}, found ${JSON.stringify(s.version)}`);
  });
  const { matrix, classes } = buildTrainingMatrix(X, y);
  const resolved = resolveForestOptions({ ...(options ?? deserializeForestOptions(shards[0].options)), threads: 1 });
  const expected = JSON.stringify({ classes, featureCount: matrix.features, trainingRows: matrix.rows, options: serializeForestOptions(resolved) });
  const sorted = [...shards].sort((a, b) => a.from - b.from);
  let next = 0;
  const trees = sorted.flatMap((s) => {
    const at = `shard [${s.from}, ${s.to})`;
    const shape = JSON.stringify({ classes: s.classes, featureCount: s.featureCount, trainingRows: s.trainingRows, options: s.options });
    if (shape !== expected) throw new ForestFormatError(at, `was trained with other options or on other rows than the merge: ${shape} vs ${expected}`);
    if (s.from !== next) throw new ForestFormatError(at, s.from < next ? `overlaps trees before ${next}` : `leaves trees [${next}, ${s.from}) missing`);
    if (!Array.isArray(s.trees) || s.trees.length !== s.to - s.from) throw new ForestFormatError(at, `expected ${s.to - s.from} trees`);
    next = s.to;
    return s.trees.map((t, k) => parseTree(t, `${at}.trees[${k}]`, matrix.features, classes.length));
  });
  if (next !== resolved.nEstimators) throw new ForestFormatError('shards', `cover trees [0, ${next}) of ${resolved.nEstimators}`);
  return assembleForest(matrix, classes, resolved, trees);
}

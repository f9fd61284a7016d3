/**
 * Forest training on one thread: tree t is built from the shared presorted matrix with seed
 * deriveSeed(forest seed, t), so trees are independent of each other and of threading.
 */
import { argmax } from '../../../util/argmax.ts';
import { deriveSeed, Xoshiro128 } from '../../../util/prng.ts';
import type { FlatTree } from './flat-tree.ts';
import { RandomForestModel } from './forest-model.ts';
import { buildHistogramTree } from './histogram-tree-builder.ts';
import { type ResolvedForestOptions, resolveMaxFeatures } from './options.ts';
import { leafIndex, type PackedForest, packForest } from './packed-forest.ts';
import type { TrainingMatrix } from './training-data.ts';
import { buildTree, drawSampleWeights, type TreeParams } from './tree-builder.ts';

export function treeParams(options: ResolvedForestOptions, featureCount: number): TreeParams {
  return {
    mtry: resolveMaxFeatures(options.maxFeatures, featureCount),
    perSplit: options.featureSampling === 'per-split',
    maxDepth: options.maxDepth ?? Infinity,
    minSamplesSplit: options.minSamplesSplit,
    minSamplesLeaf: options.minSamplesLeaf,
    bootstrap: options.bootstrap,
  };
}

/** Tree t of the forest: exact or histogram split search, as the matrix was prepared (binned or not). */
export function buildForestTree(m: TrainingMatrix, params: TreeParams, seed: number, t: number): FlatTree {
  return m.bins ? buildHistogramTree(m, m.bins, params, deriveSeed(seed, t)) : buildTree(m, params, deriveSeed(seed, t));
}

/** Builds trees [from, to) of the forest; `onTree` is called after each one. */
export function buildTrees(m: TrainingMatrix, params: TreeParams, seed: number, from: number, to: number, onTree?: () => void): FlatTree[] {
  const trees: FlatTree[] = [];
  for (let t = from; t < to; t++) {
    trees.push(buildForestTree(m, params, seed, t));
    onTree?.();
  }
  return trees;
}

/**
 * Out-of-bag accuracy as scikit-learn computes it: each row's class probabilities are averaged
 * over the trees whose bootstrap sample missed it; rows that every tree drew are skipped.
 * Null when no row is out of bag (bootstrap off, or every row drawn by every tree).
 * The in-bag weights are re-drawn from each tree's seed, in tree order, so the score does not
 * depend on how training was split over threads.
 */
function outOfBagScore(m: TrainingMatrix, pk: PackedForest, seed: number, bootstrap: boolean): number | null {
  if (!bootstrap) return null;
  const { rows: N, classCount: K, values: X } = m;
  const sums = new Float64Array(N * K);
  const seen = new Uint8Array(N);
  pk.roots.forEach((root, t) => {
    const w = drawSampleWeights(new Xoshiro128(deriveSeed(seed, t)), N, true);
    for (let r = 0; r < N; r++) {
      if (w[r] !== 0) continue;
      // The matrix is column-major: feature f of row r is at X[f * N + r].
      const leaf = leafIndex(pk, root, X, r, N);
      for (let k = 0; k < K; k++) sums[r * K + k] += pk.proba[leaf * K + k];
      seen[r] = 1;
    }
  });
  let n = 0;
  let correct = 0;
  for (let r = 0; r < N; r++) {
    if (!seen[r]) continue;
    n++;
    if (argmax(sums.subarray(r * K, r * K + K)) === m.y[r]) correct++;
  }
  return n > 0 ? correct / n : null;
}

/**
 * The model from all its trees, in tree order (however they were built: one thread, worker
 * threads or separate processes), with the out-of-bag score computed over the whole forest.
 */
export function assembleForest(matrix: TrainingMatrix, classes: string[], options: ResolvedForestOptions, trees: FlatTree[]): RandomForestModel {
  const packed = packForest(trees, classes.length);
  const oobScore = outOfBagScore(matrix, packed, options.seed, options.bootstrap);
  return new RandomForestModel({ classes, featureCount: matrix.features, trainingRows: matrix.rows, options, trees, oobScore }, packed);
}

/**
 * Forest training on one thread: tree t is built from the shared presorted matrix with seed
 * deriveTreeSeed(forest seed, t), so trees are independent of each other and of threading.
 */
import type { FlatTree } from './flat-tree.ts';
import { type ResolvedForestOptions, resolveMaxFeatures } from './options.ts';
import { Xoshiro128, deriveTreeSeed } from './prng.ts';
import { type TreeParams, buildTree, drawSampleWeights } from './tree-builder.ts';
import type { TrainingMatrix } from './training-data.ts';
import { nodeProbabilities } from './flat-tree.ts';
import { argmax } from './forest-model.ts';

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

/** Builds trees [from, to) of the forest. */
export function buildTrees(m: TrainingMatrix, params: TreeParams, seed: number, from: number, to: number): FlatTree[] {
  const trees: FlatTree[] = [];
  for (let t = from; t < to; t++) trees.push(buildTree(m, params, deriveTreeSeed(seed, t)));
  return trees;
}

/**
 * Out-of-bag accuracy as scikit-learn computes it: each row's class probabilities are averaged
 * over the trees whose bootstrap sample missed it; rows that every tree drew are skipped.
 * Null when no row is out of bag (bootstrap off, or every row drawn by every tree).
 * The in-bag weights are re-drawn from each tree's seed, in tree order, so the score does not
 * depend on how training was split over threads.
 */
export function outOfBagScore(m: TrainingMatrix, trees: readonly FlatTree[], seed: number, bootstrap: boolean): number | null {
  if (!bootstrap) return null;
  const { rows: N, classCount: K, values: X } = m;
  const sums = new Float64Array(N * K);
  const seen = new Uint8Array(N);
  trees.forEach((tree, t) => {
    const w = drawSampleWeights(new Xoshiro128(deriveTreeSeed(seed, t)), N, true);
    const p = nodeProbabilities(tree, K);
    for (let r = 0; r < N; r++) {
      if (w[r] !== 0) continue;
      let node = 0;
      let f = tree.feature[0];
      while (f >= 0) {
        node = X[f * N + r] < tree.threshold[node] ? tree.left[node] : tree.right[node];
        f = tree.feature[node];
      }
      for (let k = 0; k < K; k++) sums[r * K + k] += p[node * K + k];
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

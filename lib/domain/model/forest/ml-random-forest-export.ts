/**
 * Export of a riskfn forest to the JSON that (patched) ml-random-forest 2.1.0 loads with
 * `RandomForestClassifier.load`, so the library can predict with trees built here.
 *
 * Mapping: every tree sees all columns (`indexes` = identity, per-split sampling happened at
 * training); an internal node becomes `{ splitColumn, splitValue, gain, numberSamples, left,
 * right }` with ml-cart's rule `x[splitColumn] < splitValue` → left (the same rule as ours);
 * a leaf becomes `{ distribution: [[p_0 … p_k-1]], numberSamples }` in `classes` order.
 * `gain` is the Gini decrease divided by the node weight and `numberSamples` the
 * bootstrap-weighted row count, so the patched `featureImportance()` equals ours.
 *
 * ml-random-forest predicts by majority vote of the trees' argmax classes, riskfn by the
 * argmax of the averaged distributions (scikit-learn). With pure leaves (the default: fully
 * grown trees) both are the same except on exact vote ties; each tree's prediction and the
 * per-class vote share (`predictProbability`) always match.
 */
import { type FlatTree, giniDecrease, nodeWeight } from './flat-tree.ts';
import type { RandomForestModel } from './forest-model.ts';

interface MlCartNode {
  numberSamples: number;
  distribution?: number[][];
  splitColumn?: number;
  splitValue?: number;
  gain?: number;
  left?: MlCartNode;
  right?: MlCartNode;
}

function exportTree(tree: FlatTree, K: number): MlCartNode {
  const build = (n: number): MlCartNode => {
    const w = nodeWeight(tree, n, K);
    if (tree.feature[n] < 0) {
      const dist = Array.from(tree.counts.subarray(n * K, n * K + K), (c) => c / w);
      return { numberSamples: w, distribution: [dist] };
    }
    return {
      numberSamples: w,
      splitColumn: tree.feature[n],
      splitValue: tree.threshold[n],
      gain: Math.max(0, giniDecrease(tree, n, K)) / w,
      left: build(tree.left[n]),
      right: build(tree.right[n]),
    };
  };
  return build(0);
}

/** The model as ml-random-forest's `RFClassifier` JSON (needs the riskfn patches to load). */
export function toMlRandomForestJSON(model: RandomForestModel): object {
  const K = model.classes.length;
  const F = model.featureCount;
  const o = model.options;
  const treeOptions = {
    gainFunction: 'gini',
    splitFunction: 'mean',
    minNumSamples: o.minSamplesSplit - 1, // ml-cart: a node with ≤ minNumSamples rows is a leaf
    maxDepth: o.maxDepth, // null = unlimited (the patched loader reads it as Infinity)
    gainThreshold: 0,
    kind: 'classifier',
  };
  const identity = Array.from({ length: F }, (_, j) => j);
  return {
    name: 'RFClassifier',
    baseModel: {
      indexes: model.trees.map(() => identity),
      n: F,
      replacement: false,
      maxFeatures: o.maxFeatures,
      nEstimators: model.trees.length,
      treeOptions,
      isClassifier: true,
      seed: o.seed,
      estimators: model.trees.map((t) => ({ name: 'DTClassifier', options: treeOptions, classes: model.classes, root: exportTree(t, K) })),
      useSampleBagging: o.bootstrap,
      numberFeatures: F,
      maxSamples: null,
      featureSampling: o.featureSampling,
      classes: model.classes,
    },
  };
}

/**
 * One trained decision tree as flat typed arrays (node 0 is the root, nodes in preorder,
 * so every child index is greater than its parent's).
 *
 * Split rule (the same as ml-cart's, so ml-random-forest can load these trees): a row
 * goes LEFT when `x[feature] < threshold`, otherwise right. NaN therefore goes right.
 * Thresholds are midpoints between two distinct adjacent training values.
 */
export interface FlatTree {
  readonly nodeCount: number;
  /** Split feature per node; -1 marks a leaf. */
  readonly feature: Int32Array;
  /** Split threshold per node (0 for leaves). */
  readonly threshold: Float64Array;
  /** Left / right child per node; -1 for leaves. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /**
   * Class counts per node, `nodeCount × classCount`, row-major: the number of training
   * rows of each class that reach the node, counting a row drawn k times by the
   * bootstrap k times (scikit-learn's weighted_n_node_samples convention).
   */
  readonly counts: Float64Array;
}

/** Leaf index reached by row `x`. */
export function leafOf(tree: FlatTree, x: ArrayLike<number>): number {
  const { feature, threshold, left, right } = tree;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    node = x[f] < threshold[node] ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}

/** Class distribution per node (counts normalised to sum 1), `nodeCount × classCount`. */
export function nodeProbabilities(tree: FlatTree, classCount: number): Float64Array {
  const p = new Float64Array(tree.counts.length);
  for (let n = 0; n < tree.nodeCount; n++) {
    let w = 0;
    for (let k = 0; k < classCount; k++) w += tree.counts[n * classCount + k];
    for (let k = 0; k < classCount; k++) p[n * classCount + k] = w > 0 ? tree.counts[n * classCount + k] / w : 0;
  }
  return p;
}

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

/** Class distribution per node (counts normalised to sum 1), `nodeCount × classCount`. */
export function nodeProbabilities(tree: FlatTree, classCount: number): Float64Array {
  const p = new Float64Array(tree.counts.length);
  for (let n = 0; n < tree.nodeCount; n++) {
    const w = nodeWeight(tree, n, classCount);
    for (let k = 0; k < classCount; k++) p[n * classCount + k] = w > 0 ? tree.counts[n * classCount + k] / w : 0;
  }
  return p;
}

/** Bootstrap-weighted number of training rows at node `n`. */
export function nodeWeight(tree: FlatTree, n: number, classCount: number): number {
  let w = 0;
  for (let k = 0; k < classCount; k++) w += tree.counts[n * classCount + k];
  return w;
}

/**
 * Gini decrease of split node `n`: W·gini − W_L·gini_L − W_R·gini_R with W the
 * bootstrap-weighted row count (scikit-learn's impurity decrease before its normalisation).
 */
export function giniDecrease(tree: FlatTree, n: number, classCount: number): number {
  return weightedGini(tree, n, classCount) - weightedGini(tree, tree.left[n], classCount) - weightedGini(tree, tree.right[n], classCount);
}

/** W·gini of node n: W − Σc²/W (0 for an empty node). */
function weightedGini(tree: FlatTree, n: number, classCount: number): number {
  let w = 0;
  let sq = 0;
  for (let k = 0; k < classCount; k++) {
    const c = tree.counts[n * classCount + k];
    w += c;
    sq += c * c;
  }
  return w > 0 ? w - sq / w : 0;
}

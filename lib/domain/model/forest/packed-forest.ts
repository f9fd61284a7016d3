/**
 * The prediction-time layout of a forest and the one tree walk every prediction uses
 * (class probabilities, out-of-bag score, path contributions).
 *
 * All trees are concatenated in preorder, so a left child is always the next node; `fr[2n]`
 * is the split feature (-1 for a leaf) and `fr[2n+1]` the absolute index of the right child.
 * Two small arrays instead of four keep a node visit to ~2 cache lines.
 */
import type { FlatTree } from './flat-tree.ts';
import { nodeProbabilities } from './flat-tree.ts';

export interface PackedForest {
  /** Absolute index of each tree's root. */
  readonly roots: Int32Array;
  readonly fr: Int32Array;
  readonly threshold: Float64Array;
  /** Class distribution of every node, `node × classCount`. */
  readonly proba: Float64Array;
}

export function packForest(trees: readonly FlatTree[], classCount: number): PackedForest {
  let total = 0;
  for (const t of trees) total += t.nodeCount;
  const pk = {
    roots: new Int32Array(trees.length),
    fr: new Int32Array(2 * total),
    threshold: new Float64Array(total),
    proba: new Float64Array(total * classCount),
  };
  let off = 0;
  trees.forEach((t, i) => {
    pk.roots[i] = off;
    pk.threshold.set(t.threshold, off);
    for (let n = 0; n < t.nodeCount; n++) {
      const f = t.feature[n];
      // Trees from the builder or from load() are in preorder; keep any other layout exact.
      if (f >= 0 && t.left[n] !== n + 1) throw new Error('internal: tree not in preorder');
      pk.fr[2 * (off + n)] = f;
      pk.fr[2 * (off + n) + 1] = f < 0 ? -1 : t.right[n] + off;
    }
    pk.proba.set(nodeProbabilities(t, classCount), off * classCount);
    off += t.nodeCount;
  });
  return pk;
}

/**
 * The child of split node `node` that a row goes to: left (the next node) when
 * `x[f] < threshold`, so NaN goes right. Feature f of the row is read at `x[o + f * stride]`
 * (stride 1 for a row-major row, the row count for a column-major matrix).
 */
export function childOf(pk: PackedForest, node: number, x: ArrayLike<number>, o: number, stride: number): number {
  return x[o + pk.fr[2 * node] * stride] < pk.threshold[node] ? node + 1 : pk.fr[2 * node + 1];
}

/** The leaf (absolute node index) a row reaches from `root`; the row is read as in {@link childOf}. */
export function leafIndex(pk: PackedForest, root: number, x: ArrayLike<number>, o: number, stride: number): number {
  let node = root;
  while (pk.fr[2 * node] >= 0) node = childOf(pk, node, x, o, stride);
  return node;
}

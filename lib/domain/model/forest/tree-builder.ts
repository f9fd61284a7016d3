/**
 * The fast CART builder (Gini, classification). Exact best-split search over presorted
 * row orders:
 *
 * - Each feature's ascending row order is computed once per forest ({@link TrainingMatrix.order});
 *   per tree it is filtered to the in-bag rows, and every node owns the same contiguous
 *   range [s, e) of each feature's order. After a split every maintained feature's range is
 *   stably partitioned into (left rows, right rows), which keeps each half sorted. Cost per
 *   tree level: O(maintained features × in-bag rows) — no sorting below the root.
 * - A candidate feature is scanned once, left to right, moving one row at a time from the
 *   right child to the left with incremental (bootstrap-weighted) class counts and running
 *   sums of squared counts, so each candidate threshold costs O(1):
 *   weighted child Gini is minimised by maximising ΣL²/wL + ΣR²/wR.
 * - Thresholds are only placed between two DISTINCT adjacent values, at their midpoint, so
 *   tied values are never separated (a row goes left when x < threshold).
 * - Per-split sampling (Breiman; scikit-learn's behaviour): each node draws features without
 *   replacement until `mtry` non-constant ones were scanned (constant ones don't count, so a
 *   node is never left unsplit merely because its draw hit constant features).
 *   Per-tree sampling: the tree draws `mtry` features once and scans all of them at every node.
 * - Stopping rules count DISTINCT in-bag rows (as scikit-learn does): a node is a leaf when it
 *   is pure, has fewer than minSamplesSplit rows, fewer than 2·minSamplesLeaf rows, is at
 *   maxDepth, or has no split leaving minSamplesLeaf rows on each side.
 */
import { Xoshiro128 } from '../../../util/prng.ts';
import type { FlatTree } from './flat-tree.ts';
import type { TrainingMatrix } from './training-data.ts';

export interface TreeParams {
  /** Features to scan per node (per-split) or to draw for the tree (per-tree). */
  readonly mtry: number;
  readonly perSplit: boolean;
  /** Infinity for unlimited. */
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly bootstrap: boolean;
}

/**
 * How often each row is in the tree's sample: bootstrap counts (N draws with replacement)
 * or all ones. Drawn first from the tree's generator, so OOB rows can be recomputed from
 * the tree seed alone.
 */
export function drawSampleWeights(rng: Xoshiro128, rows: number, bootstrap: boolean): Int32Array {
  const w = new Int32Array(rows);
  if (!bootstrap) {
    w.fill(1);
    return w;
  }
  for (let i = 0; i < rows; i++) w[rng.nextInt(rows)]++;
  return w;
}

/** Midpoint threshold t with lo < t ≤ hi, robust to overflow and adjacent doubles. */
export function splitThreshold(lo: number, hi: number): number {
  let t = (lo + hi) / 2;
  if (!(t > lo && t <= hi)) t = lo / 2 + hi / 2;
  if (!(t > lo && t <= hi)) t = hi;
  return t;
}

/**
 * The features a tree may split on: all of them (per-split sampling draws at each node), or
 * `mtry` drawn once (per-tree), ascending. Drawn right after the bootstrap weights.
 */
export function drawTreeFeatures(rng: Xoshiro128, F: number, params: TreeParams): Int32Array {
  const pool = new Int32Array(F);
  for (let f = 0; f < F; f++) pool[f] = f;
  if (params.perSplit) return pool;
  for (let j = 0; j < params.mtry; j++) {
    const t = j + rng.nextInt(F - j);
    const tmp = pool[j];
    pool[j] = pool[t];
    pool[t] = tmp;
  }
  return pool.slice(0, params.mtry).sort();
}

/** Builds one tree from the shared training matrix with the given 32-bit tree seed. */
export function buildTree(m: TrainingMatrix, params: TreeParams, treeSeed: number): FlatTree {
  const { rows: N, features: F, values: X, y, classCount: K, order, rank } = m;
  const { minSamplesLeaf: minLeaf, minSamplesSplit: minSplit, maxDepth } = params;
  const rng = new Xoshiro128(treeSeed);
  const w = drawSampleWeights(rng, N, params.bootstrap);

  // Features whose sorted order this tree maintains.
  const treeFeatures = drawTreeFeatures(rng, F, params);
  const G = treeFeatures.length;
  const mtryNode = params.perSplit ? params.mtry : G;
  const cand = new Int32Array(G);
  for (let g = 0; g < G; g++) cand[g] = g;

  // In-bag rows in each maintained feature's sorted order. Scans compare dense value ranks
  // (integers) to find boundaries between distinct values; actual values are read once per split.
  let M = 0;
  for (let r = 0; r < N; r++) if (w[r] > 0) M++;
  const sorted = new Int32Array(G * M);
  for (let g = 0; g < G; g++) {
    const src = treeFeatures[g] * N;
    let j = g * M;
    for (let i = 0; i < N; i++) {
      const r = order[src + i];
      if (w[r] > 0) sorted[j++] = r;
    }
  }

  const rootCounts = new Float64Array(K);
  for (let r = 0; r < N; r++) rootCounts[y[r]] += w[r];

  const out = new TreeAccumulator(K);
  const L = new Float64Array(K);
  const R = new Float64Array(K);
  const bestL = new Float64Array(K);
  const goLeft = new Uint8Array(N);
  const tmpRow = new Int32Array(M + 1);

  const stack = new NodeStack(M, rootCounts);
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { start: s, end: e, depth, counts } = node;
    const id = out.add(counts, node.parent, node.isLeft);
    const n = e - s;
    const sums = splittableNode(counts, n, depth, params);
    if (!sums) continue;
    const { W, sumSq } = sums;

    let bestProxy = -Infinity;
    let bestG = -1;
    let bestPos = -1;
    let visited = 0;
    const last = e - 1;
    const maxPos = e - minLeaf; // split after position i keeps e-1-i ≥ minLeaf rows on the right
    for (let j = 0; j < G && visited < mtryNode; j++) {
      const g = nextCandidate(cand, j, params, rng);
      const base = g * M;
      const col = treeFeatures[g] * N;
      let rv = rank[col + sorted[base + s]];
      if (rv === rank[col + sorted[base + last]]) continue; // constant in this node: does not count
      visited++;
      L.fill(0);
      R.set(counts);
      let wl = 0;
      let wr = W;
      let sqL = 0;
      let sqR = sumSq;
      for (let i = s; i < last; i++) {
        const r = sorted[base + i];
        const wi = w[r];
        const k = y[r];
        const lk = L[k];
        const rk = R[k];
        sqL += wi * (2 * lk + wi);
        sqR += wi * (wi - 2 * rk);
        L[k] = lk + wi;
        R[k] = rk - wi;
        wl += wi;
        wr -= wi;
        const rn = rank[col + sorted[base + i + 1]];
        if (rn !== rv && i - s + 1 >= minLeaf) {
          if (i >= maxPos) break;
          const proxy = sqL / wl + sqR / wr;
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestG = g;
            bestPos = i;
            bestL.set(L);
          }
        }
        rv = rn;
      }
    }
    if (bestG < 0) continue; // no valid split: leaf

    const bb = bestG * M;
    const bf = treeFeatures[bestG];
    out.setSplit(id, bf, splitThreshold(X[bf * N + sorted[bb + bestPos]], X[bf * N + sorted[bb + bestPos + 1]]));

    const leftCounts = bestL.slice();
    const rightCounts = new Float64Array(K);
    for (let k = 0; k < K; k++) rightCounts[k] = counts[k] - leftCounts[k];
    const mid = bestPos + 1;
    // A child that will certainly be a leaf needs no sorted order: when both are, skip the partition.
    const needsOrder = depth + 1 < maxDepth && (canSplit(leftCounts, mid - s, minSplit, minLeaf) || canSplit(rightCounts, e - mid, minSplit, minLeaf));

    // Partition every other maintained feature's range into (left, right), stably.
    if (needsOrder) for (let i = s; i <= bestPos; i++) goLeft[sorted[bb + i]] = 1;
    if (needsOrder) for (let i = bestPos + 1; i < e; i++) goLeft[sorted[bb + i]] = 0;
    for (let g = 0; needsOrder && g < G; g++) {
      if (g === bestG) continue;
      const base = g * M;
      let li = base + s;
      let ri = 0;
      for (let i = base + s, end = base + e; i < end; i++) {
        // Branch-free: write to both sides, advance one (the side is a coin flip to the CPU).
        const r = sorted[i];
        const gl = goLeft[r];
        sorted[li] = r;
        tmpRow[ri] = r;
        li += gl;
        ri += 1 - gl;
      }
      sorted.set(tmpRow.subarray(0, ri), li);
    }

    stack.pushChildren(id, node, mid, leftCounts, rightCounts);
  }
  return out.finish();
}

/** Whether a node with these class counts and row count may still be split. */
function canSplit(counts: Float64Array, n: number, minSplit: number, minLeaf: number): boolean {
  if (n < minSplit || n < 2 * minLeaf) return false;
  let nonzero = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) nonzero++;
  return nonzero > 1;
}

/** A node waiting to be split: rows [start, end) of the builder's row order, and where it hangs. */
interface PendingNode {
  start: number;
  end: number;
  depth: number;
  parent: number;
  isLeft: boolean;
  counts: Float64Array;
}

/**
 * The nodes still to split, depth first, for both builders: the right child is pushed before the
 * left, so the left is split next and node ids come out in preorder (the flat-tree layout).
 */
export class NodeStack {
  private readonly nodes: PendingNode[];
  constructor(rows: number, rootCounts: Float64Array) {
    this.nodes = [{ start: 0, end: rows, depth: 0, parent: -1, isLeft: false, counts: rootCounts }];
  }
  pop(): PendingNode | undefined {
    return this.nodes.pop();
  }
  /** The children of node `id` (`node` as popped), split at `mid`: left [start, mid), right [mid, end). */
  pushChildren(id: number, node: PendingNode, mid: number, leftCounts: Float64Array, rightCounts: Float64Array): void {
    const depth = node.depth + 1;
    this.nodes.push(
      { start: mid, end: node.end, depth, parent: id, isLeft: false, counts: rightCounts },
      { start: node.start, end: mid, depth, parent: id, isLeft: true, counts: leftCounts },
    );
  }
}

/**
 * Total weight W and Σ count² of a node's class counts (the Gini proxy's terms), or null when the
 * node is a leaf: too few rows (`n` distinct) to split or to leave `minSamplesLeaf` on each side,
 * at the maximum depth, or pure (Σ count² = W²).
 */
export function splittableNode(counts: Float64Array, n: number, depth: number, params: TreeParams): { W: number; sumSq: number } | null {
  if (n < params.minSamplesSplit || n < 2 * params.minSamplesLeaf || depth >= params.maxDepth) return null;
  let W = 0;
  let sumSq = 0;
  for (let k = 0; k < counts.length; k++) {
    W += counts[k];
    sumSq += counts[k] * counts[k];
  }
  return sumSq >= W * W ? null : { W, sumSq };
}

/**
 * The j-th candidate feature of a node (an index into the tree's features): with per-split
 * sampling a partial Fisher–Yates shuffle of `cand` draws it from the ones not yet tried.
 */
export function nextCandidate(cand: Int32Array, j: number, params: TreeParams, rng: Xoshiro128): number {
  if (params.perSplit) {
    const t = j + rng.nextInt(cand.length - j);
    const c = cand[j];
    cand[j] = cand[t];
    cand[t] = c;
  }
  return cand[j];
}

/** Growable flat node arrays. */
export class TreeAccumulator {
  private n = 0;
  private cap = 256;
  private feature = new Int32Array(this.cap);
  private threshold = new Float64Array(this.cap);
  private left = new Int32Array(this.cap);
  private right = new Int32Array(this.cap);
  private counts: Float64Array;

  constructor(private readonly K: number) {
    this.counts = new Float64Array(this.cap * K);
  }

  add(counts: Float64Array, parent: number, isLeft: boolean): number {
    if (this.n === this.cap) this.grow();
    const id = this.n++;
    this.feature[id] = -1;
    this.threshold[id] = 0;
    this.left[id] = -1;
    this.right[id] = -1;
    this.counts.set(counts, id * this.K);
    if (parent >= 0) (isLeft ? this.left : this.right)[parent] = id;
    return id;
  }

  setSplit(id: number, feature: number, threshold: number): void {
    this.feature[id] = feature;
    this.threshold[id] = threshold;
  }

  finish(): FlatTree {
    const n = this.n;
    return {
      nodeCount: n,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      counts: this.counts.slice(0, n * this.K),
    };
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Int32Array | Float64Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (n: number) => T)(len);
      b.set(a);
      return b;
    };
    this.feature = g(this.feature, this.cap);
    this.threshold = g(this.threshold, this.cap);
    this.left = g(this.left, this.cap);
    this.right = g(this.right, this.cap);
    this.counts = g(this.counts, this.cap * this.K);
  }
}

/**
 * The histogram CART builder (Gini, classification), LightGBM / scikit-learn
 * HistGradientBoosting style, over the feature bins of {@link binFeatures}:
 *
 * - A node owns a range [s, e) of ONE array of in-bag rows (not one per feature, as the exact
 *   builder keeps), so a split partitions n rows once instead of once per feature.
 * - A candidate feature's split is found from its histogram over the node's rows: per bin the
 *   bootstrap-weighted class counts (and the number of distinct rows when minSamplesLeaf > 1),
 *   built in one pass over the rows. Only the bins present in the node are visited (a 256-bit set of touched bins), in
 *   ascending order, so a small node costs O(rows) and not O(256); each boundary between two
 *   present bins is a candidate, scored exactly as the exact builder scores it (maximise
 *   ΣL²/wL + ΣR²/wR over integer counts, so the same numbers, bit for bit).
 * - The threshold stored is a raw feature value: the midpoint between the highest training
 *   value of the last left bin and the lowest of the first right bin present in the node. For a
 *   feature with at most 256 distinct values a bin is one value, so this is the exact builder's
 *   threshold, and the whole tree is the exact builder's tree (same candidates, same scores, same
 *   tie rules, same draws from the generator).
 * - No subtraction trick (larger child = parent − smaller child): with per-split sampling (the
 *   default) a child draws its own features, so it almost never scans one its parent scanned and
 *   the parent's histograms are of no use. With per-tree sampling it would save up to half of the
 *   histogram passes at large nodes; riskfn does not use per-tree sampling, so it is not built.
 *
 * Sampling, stopping rules (distinct in-bag rows) and tie-breaking are the exact builder's.
 */
import { Xoshiro128 } from '../../../util/prng.ts';
import { type FeatureBins, MAX_BINS } from './feature-bins.ts';
import type { FlatTree } from './flat-tree.ts';
import type { TrainingMatrix } from './training-data.ts';
import {
  drawSampleWeights,
  drawTreeFeatures,
  NodeStack,
  nextCandidate,
  splitThreshold,
  splittableNode,
  TreeAccumulator,
  type TreeParams,
} from './tree-builder.ts';

/** Builds one tree from the training matrix and its bins with the given 32-bit tree seed. */
export function buildHistogramTree(m: TrainingMatrix, bins: FeatureBins, params: TreeParams, treeSeed: number): FlatTree {
  const { rows: N, y, classCount: K } = m;
  const { codes, low, high } = bins;
  const { minSamplesLeaf: minLeaf } = params;
  const rng = new Xoshiro128(treeSeed);
  const w = drawSampleWeights(rng, N, params.bootstrap);
  const treeFeatures = drawTreeFeatures(rng, m.features, params);
  const G = treeFeatures.length;
  const mtryNode = params.perSplit ? params.mtry : G;
  const cand = new Int32Array(G);
  for (let g = 0; g < G; g++) cand[g] = g;

  // In-bag rows with their class and bootstrap weight alongside, permuted together, so the
  // histogram pass reads labels and weights sequentially.
  let M = 0;
  for (let r = 0; r < N; r++) if (w[r] > 0) M++;
  const rowOf = new Int32Array(M);
  const labelOf = new Int32Array(M);
  const weightOf = new Int32Array(M);
  const rootCounts = new Float64Array(K);
  for (let r = 0, i = 0; r < N; r++) {
    if (w[r] === 0) continue;
    rowOf[i] = r;
    labelOf[i] = y[r];
    weightOf[i] = w[r];
    rootCounts[y[r]] += w[r];
    i++;
  }

  const out = new TreeAccumulator(K);
  const L = new Float64Array(K);
  const R = new Float64Array(K);
  const bestL = new Float64Array(K);
  // Histogram of one feature over one node: weighted class counts and distinct rows per bin, and
  // the set of bins present (bit b of word b >> 5). All zero between uses.
  const hist = new Int32Array(MAX_BINS * K);
  const rowsIn = new Int32Array(MAX_BINS);
  const present = new Int32Array(MAX_BINS >> 5);
  // Distinct rows per bin are only needed to keep minSamplesLeaf rows on each side.
  const countRows = minLeaf > 1;
  // The right side of a partition, before it is copied back behind the left side.
  const spillRow = new Int32Array(M);
  const spillLabel = new Int32Array(M);
  const spillWeight = new Int32Array(M);

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
    let bestBin = -1; // the split's last bin on the left
    let bestLo = 0; // highest value on the left and lowest on the right of the best split
    let bestHi = 0;
    let visited = 0;
    for (let j = 0; j < G && visited < mtryNode; j++) {
      const g = nextCandidate(cand, j, params, rng);
      const col = treeFeatures[g] * N;
      L.fill(0);
      R.set(counts);
      let wl = 0;
      let wr = W;
      let sqL = 0;
      let sqR = sumSq;
      let nl = 0;
      const fb = treeFeatures[g] * MAX_BINS;
      // No branch per row: the bin's bit is set every time (cheaper than testing it).
      if (countRows) {
        for (let i = s; i < e; i++) {
          const b = codes[col + rowOf[i]];
          rowsIn[b]++;
          present[b >> 5] |= 1 << (b & 31);
          hist[b * K + labelOf[i]] += weightOf[i];
        }
      } else {
        for (let i = s; i < e; i++) {
          const b = codes[col + rowOf[i]];
          present[b >> 5] |= 1 << (b & 31);
          hist[b * K + labelOf[i]] += weightOf[i];
        }
      }
      let words = 0;
      let several = false;
      for (let word = 0; word < present.length; word++) {
        const bits = present[word];
        if (bits === 0) continue;
        words++;
        if ((bits & (bits - 1)) !== 0) several = true;
      }
      const scan = words > 1 || several; // one bin: constant in this node, does not count
      if (scan) visited++;
      let prev = -1;
      let open = scan;
      // Visit the present bins in ascending order, clearing them as we go.
      for (let word = 0; word < present.length; word++) {
        let bits = present[word];
        present[word] = 0;
        while (bits !== 0) {
          const lowest = bits & -bits;
          bits ^= lowest;
          const b = (word << 5) | (31 - Math.clz32(lowest));
          // Candidate boundary between bin `prev` (last on the left) and bin b. Without row
          // counts (minSamplesLeaf 1) every boundary leaves a row on each side.
          if (open && prev >= 0 && (!countRows || nl >= minLeaf)) {
            if (countRows && n - nl < minLeaf) open = false;
            else {
              const proxy = sqL / wl + sqR / wr;
              if (proxy > bestProxy) {
                bestProxy = proxy;
                bestG = g;
                bestBin = prev;
                bestLo = high[fb + prev];
                bestHi = low[fb + b];
                bestL.set(L);
              }
            }
          }
          const hb = b * K;
          for (let k = 0; k < K; k++) {
            const c = hist[hb + k];
            if (c === 0) continue;
            hist[hb + k] = 0;
            const lk = L[k];
            const rk = R[k];
            sqL += c * (2 * lk + c);
            sqR += c * (c - 2 * rk);
            L[k] = lk + c;
            R[k] = rk - c;
            wl += c;
            wr -= c;
          }
          if (countRows) {
            nl += rowsIn[b];
            rowsIn[b] = 0;
          }
          prev = b;
        }
      }
    }
    if (bestG < 0) continue; // no valid split: leaf

    const bf = treeFeatures[bestG];
    const threshold = splitThreshold(bestLo, bestHi);
    out.setSplit(id, bf, threshold);

    const leftCounts = bestL.slice();
    const rightCounts = new Float64Array(K);
    for (let k = 0; k < K; k++) rightCounts[k] = counts[k] - leftCounts[k];

    // Partition [s, e) into (bins ≤ bestBin, the rest), stably and without a branch per row: each
    // row is written to both sides and only one side's cursor advances. Bins ≤ bestBin hold
    // exactly the rows below the threshold (it lies between that bin's highest value and the
    // next present bin's lowest).
    const col = bf * N;
    let li = s;
    let ri = 0;
    for (let i = s; i < e; i++) {
      const r = rowOf[i];
      const k = labelOf[i];
      const wi = weightOf[i];
      const left = ((bestBin - codes[col + r]) >>> 31) ^ 1;
      rowOf[li] = r;
      labelOf[li] = k;
      weightOf[li] = wi;
      spillRow[ri] = r;
      spillLabel[ri] = k;
      spillWeight[ri] = wi;
      li += left;
      ri += 1 - left;
    }
    rowOf.set(spillRow.subarray(0, ri), li);
    labelOf.set(spillLabel.subarray(0, ri), li);
    weightOf.set(spillWeight.subarray(0, ri), li);
    const mid = li;

    stack.pushChildren(id, node, mid, leftCounts, rightCounts);
  }
  return out.finish();
}

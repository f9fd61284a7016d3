/**
 * A trained random forest: prediction (soft voting, as scikit-learn), impurity importance,
 * treeinterpreter-style contributions and deterministic JSON.
 */
import { argmax } from '../../../util/argmax.ts';
import { ForestInputError } from './errors.ts';
import { type FlatTree, giniDecrease } from './flat-tree.ts';
import type { ResolvedForestOptions } from './options.ts';
import { childOf, leafIndex, type PackedForest, packForest } from './packed-forest.ts';
import {
  FOREST_FORMAT,
  FOREST_FORMAT_VERSION,
  type ForestParts,
  parseSerializedForest,
  type SerializedForest,
  serializeForestOptions,
} from './serialization.ts';

export interface Contributions {
  /** Base rate: the average over trees of the root's class distribution (see docs/forest.md). */
  bias: number[];
  /** `[feature][class]`: the change of probability attributed to each feature. */
  contributions: number[][];
}

export class RandomForestModel {
  /** Sorted unique labels; probability columns follow this order. */
  readonly classes: string[];
  readonly featureCount: number;
  /** Number of training rows the forest was fitted on. */
  readonly trainingRows: number;
  readonly options: ResolvedForestOptions;
  /** The trees, read-only (for export to ml-random-forest and for inspection). */
  readonly trees: readonly FlatTree[];
  private readonly oob: number | null;
  private readonly packed: PackedForest;

  /** Use {@link trainForest} or {@link RandomForestModel.load}; `packed` saves re-packing the trees when the caller has it. */
  constructor(parts: ForestParts, packed?: PackedForest) {
    this.classes = [...parts.classes];
    this.featureCount = parts.featureCount;
    this.trainingRows = parts.trainingRows;
    this.options = { ...parts.options };
    this.trees = parts.trees;
    this.oob = parts.oobScore;
    // Built once here, so the first predict is as fast as later ones.
    this.packed = packed ?? packForest(this.trees, this.classes.length);
  }

  /** Most probable class of each row (ties go to the first class in `classes`). */
  predict(X: ArrayLike<number>[]): string[] {
    const P = this.predictProba(X);
    return P.map((p) => this.classes[argmax(p)]);
  }

  /**
   * Mean over trees of the leaf class distributions (scikit-learn's soft voting).
   * A row goes left when `x[f] < threshold`, so NaN always goes right.
   */
  predictProba(X: ArrayLike<number>[]): number[][] {
    const pk = this.packed;
    const K = this.classes.length;
    const F = this.featureCount;
    const T = pk.roots.length;
    const n = X.length;
    // Row-major copy, then tree by tree over all rows: one tree's nodes stay in cache.
    const data = new Float64Array(n * F);
    for (let i = 0; i < n; i++) {
      const x = this.checkRow(X[i], i);
      for (let f = 0; f < F; f++) data[i * F + f] = x[f];
    }
    const acc = new Float64Array(n * K);
    const { proba } = pk;
    for (let t = 0; t < T; t++) {
      const root = pk.roots[t];
      for (let i = 0, o = 0; i < n; i++, o += F) {
        const po = leafIndex(pk, root, data, o, 1) * K;
        const ao = i * K;
        for (let k = 0; k < K; k++) acc[ao + k] += proba[po + k];
      }
    }
    const out: number[][] = new Array(n);
    for (let i = 0; i < n; i++) {
      const row = new Array<number>(K);
      for (let k = 0; k < K; k++) row[k] = acc[i * K + k] / T;
      out[i] = row;
    }
    return out;
  }

  /**
   * Impurity-based importance (mean decrease in Gini, scikit-learn's definition): per split
   * node, W·gini − W_L·gini_L − W_R·gini_R with W the bootstrap-weighted row count; summed per
   * feature, normalised per tree, averaged over trees, normalised to sum 1. Never negative.
   * All zeros when no tree has a split.
   */
  featureImportances(): number[] {
    const K = this.classes.length;
    const total = new Float64Array(this.featureCount);
    const perTree = new Float64Array(this.featureCount);
    for (const tree of this.trees) {
      perTree.fill(0);
      let sum = 0;
      for (let n = 0; n < tree.nodeCount; n++) {
        const f = tree.feature[n];
        if (f < 0) continue;
        const dec = giniDecrease(tree, n, K);
        if (dec > 0) {
          perTree[f] += dec;
          sum += dec;
        }
      }
      if (sum > 0) for (let f = 0; f < this.featureCount; f++) total[f] += perTree[f] / sum;
    }
    let s = 0;
    for (let f = 0; f < this.featureCount; f++) s += total[f];
    return Array.from(total, (v) => (s > 0 ? v / s : 0));
  }

  /** Out-of-bag accuracy, computed at training; null when no row was ever out of bag. */
  oobScore(): number | null {
    return this.oob;
  }

  /**
   * Path contributions (treeinterpreter): for each tree, the root distribution plus, at every
   * split on the path to the leaf, (child distribution − parent distribution) credited to the
   * split feature; averaged over trees. `bias + Σ_f contributions[f] = predictProba([x])[0]`
   * up to rounding (≤ 1e-12).
   */
  contributions(x: ArrayLike<number>): Contributions {
    const pk = this.packed;
    const K = this.classes.length;
    const T = pk.roots.length;
    const row = this.checkRow(x, 0);
    const bias = new Float64Array(K);
    const contrib = new Float64Array(this.featureCount * K);
    for (let t = 0; t < T; t++) {
      let node = pk.roots[t];
      for (let k = 0; k < K; k++) bias[k] += pk.proba[node * K + k];
      for (let f = pk.fr[2 * node]; f >= 0; f = pk.fr[2 * node]) {
        const child = childOf(pk, node, row, 0, 1);
        for (let k = 0; k < K; k++) contrib[f * K + k] += pk.proba[child * K + k] - pk.proba[node * K + k];
        node = child;
      }
    }
    const contributions: number[][] = [];
    for (let f = 0; f < this.featureCount; f++) {
      contributions.push(Array.from(contrib.subarray(f * K, f * K + K), (v) => v / T));
    }
    return { bias: Array.from(bias, (v) => v / T), contributions };
  }

  /** Deterministic JSON (same data + options + seed → byte-identical `JSON.stringify`). */
  toJSON(): SerializedForest {
    return {
      format: FOREST_FORMAT,
      version: FOREST_FORMAT_VERSION,
      classes: [...this.classes],
      featureCount: this.featureCount,
      trainingRows: this.trainingRows,
      options: serializeForestOptions(this.options),
      oobScore: this.oob,
      trees: this.trees.map((t) => ({
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold),
        left: Array.from(t.left),
        right: Array.from(t.right),
        counts: Array.from(t.counts),
      })),
    };
  }

  /** Validates and loads JSON written by {@link toJSON}; throws ForestFormatError otherwise. */
  static load(json: unknown): RandomForestModel {
    return new RandomForestModel(parseSerializedForest(json));
  }

  private checkRow(x: ArrayLike<number> | undefined, i: number): ArrayLike<number> {
    if (x == null || typeof x.length !== 'number' || x.length !== this.featureCount) {
      throw new ForestInputError(`row ${i} has ${x?.length ?? 'no'} features, the model expects ${this.featureCount}`, { row: i });
    }
    return x;
  }
}

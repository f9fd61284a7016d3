/**
 * Training input in the layout the tree builder scans: column-major values, class indices,
 * and each feature's row order sorted by value (computed once per forest, shared by all trees).
 */
import { ForestInputError } from './errors.ts';
import { binFeatures, type FeatureBins } from './feature-bins.ts';

export interface TrainingMatrix {
  readonly rows: number;
  readonly features: number;
  /** Column-major values: feature f of row r at `f * rows + r`. All finite. */
  readonly values: Float64Array;
  /** Class index (into the sorted class list) of each row. */
  readonly y: Int32Array;
  readonly classCount: number;
  /** Per feature, row indices sorted by ascending value (ties by row index): `f * rows + i`. */
  readonly order: Int32Array;
  /** Dense rank of each value within its feature (equal values, equal rank): `f * rows + r`. */
  readonly rank: Int32Array;
  /** Bin codes for the histogram split search; null when the exact search is used. */
  readonly bins: FeatureBins | null;
}

/** Sorted unique labels (JavaScript's default string order, i.e. by UTF-16 code units). */
function sortedClasses(y: readonly string[]): string[] {
  return [...new Set(y)].sort();
}

/**
 * Validates rows/labels and builds the column-major matrix and the per-feature sort order, and
 * the feature bins when `histogram` is set.
 */
export function buildTrainingMatrix(X: ArrayLike<number>[], y: readonly string[], histogram = false): { matrix: TrainingMatrix; classes: string[] } {
  if (!Array.isArray(X) || X.length === 0) throw new ForestInputError('training data has no rows');
  if (!Array.isArray(y) || y.length !== X.length) {
    throw new ForestInputError(`training data has ${X.length} rows but ${Array.isArray(y) ? y.length : 'no'} labels`);
  }
  const rows = X.length;
  const features = X[0]?.length ?? 0;
  if (!Number.isInteger(features) || features < 1) throw new ForestInputError('training rows have no features', { row: 0 });
  const values = new Float64Array(rows * features);
  for (let r = 0; r < rows; r++) {
    const row = X[r];
    if (row == null || row.length !== features) {
      throw new ForestInputError(`row ${r} has ${row?.length ?? 'no'} features, expected ${features}`, { row: r });
    }
    for (let f = 0; f < features; f++) {
      const v = row[f];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ForestInputError(`row ${r}, feature ${f}: value ${String(v)} is not a finite number`, { row: r, feature: f });
      }
      values[f * rows + r] = v;
    }
  }
  const classes = sortedClasses(y);
  const index = new Map(classes.map((c, i) => [c, i]));
  const yi = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (typeof y[r] !== 'string') throw new ForestInputError(`label of row ${r} is not a string`, { row: r });
    yi[r] = index.get(y[r])!;
  }
  const { order, rank } = sortOrder(values, rows, features);
  const bins = histogram ? binFeatures({ rows, features, values, order, rank }) : null;
  return { matrix: { rows, features, values, y: yi, classCount: classes.length, order, rank, bins }, classes };
}

/**
 * Per-feature dense ranks and ascending row order (ties by row index). Uses the native
 * numeric sort of a Float64Array, binary search for ranks and a counting sort for the order:
 * several times faster than an index sort with a comparator.
 */
function sortOrder(values: Float64Array, rows: number, features: number): { order: Int32Array; rank: Int32Array } {
  const order = new Int32Array(rows * features);
  const rank = new Int32Array(rows * features);
  const buf = new Float64Array(rows);
  const start = new Int32Array(rows + 1);
  for (let f = 0; f < features; f++) {
    const base = f * rows;
    buf.set(values.subarray(base, base + rows));
    buf.sort();
    let u = 0; // unique values compacted into buf[0..u)
    for (let i = 0; i < rows; i++) if (i === 0 || buf[i] !== buf[u - 1]) buf[u++] = buf[i];
    start.fill(0);
    for (let r = 0; r < rows; r++) {
      const v = values[base + r];
      let lo = 0;
      let hi = u - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (buf[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      rank[base + r] = lo;
      start[lo + 1]++;
    }
    for (let k = 0; k < u; k++) start[k + 1] += start[k];
    for (let r = 0; r < rows; r++) order[base + start[rank[base + r]]++] = r;
  }
  return { order, rank };
}

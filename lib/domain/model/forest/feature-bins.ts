/**
 * Quantisation of the training matrix for the histogram split search: each feature's values
 * are mapped once per forest to at most {@link MAX_BINS} ordered bins, so a node's best split on
 * a feature is found from per-bin class counts instead of from its rows in sorted order.
 */
/** Bins per feature: bin codes fit a byte. */
export const MAX_BINS = 256;

export interface FeatureBins {
  /**
   * Column-major bin codes (feature f of row r at `f * rows + r`). Codes ascend with the value:
   * a lower code always means a lower value, equal values always share a code.
   */
  readonly codes: Uint8Array;
  /** Lowest training value in each bin, `f * MAX_BINS + bin` (unused bins: 0). */
  readonly low: Float64Array;
  /** Highest training value in each bin, `f * MAX_BINS + bin` (unused bins: 0). */
  readonly high: Float64Array;
}

/** The parts of the training matrix binning reads (see TrainingMatrix). */
interface SortedColumns {
  readonly rows: number;
  readonly features: number;
  readonly values: Float64Array;
  readonly order: Int32Array;
  readonly rank: Int32Array;
}

/**
 * Bins every feature of `m`: a feature with at most 256 distinct values gets one bin per value
 * (its dense rank), so the histogram search sees every boundary the exact search sees; otherwise
 * bins hold about equal numbers of rows (quantiles of the training values, as scikit-learn's
 * HistGradientBoosting does), never cutting between equal values.
 */
export function binFeatures(m: SortedColumns): FeatureBins {
  const { rows: N, features: F, values, order, rank } = m;
  const codes = new Uint8Array(N * F);
  const low = new Float64Array(F * MAX_BINS);
  const high = new Float64Array(F * MAX_BINS);
  for (let f = 0; f < F; f++) {
    const base = f * N;
    const distinct = rank[base + order[base + N - 1]] + 1;
    let bin = -1;
    let prevRank = -1;
    // Rows in ascending value order: a new distinct value starts a new bin when it is the first
    // value or (quantile bins) when its position has passed the next bin's share of the rows.
    for (let i = 0; i < N; i++) {
      const r = order[base + i];
      const rk = rank[base + r];
      const v = values[base + r];
      if (rk !== prevRank) {
        const next = distinct <= MAX_BINS ? rk : Math.max(bin, Math.floor((i * MAX_BINS) / N));
        if (next !== bin) {
          bin = next;
          low[f * MAX_BINS + bin] = v;
        }
        prevRank = rk;
      }
      high[f * MAX_BINS + bin] = v;
      codes[base + r] = bin;
    }
  }
  return { codes, low, high };
}

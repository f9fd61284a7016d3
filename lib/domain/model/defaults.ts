/**
 * The training defaults, one object for every caller: `riskfn dataset` / `riskfn train`, the
 * training workflow's BuildDataset and Train steps, and the library functions. An option a
 * caller leaves out takes its value from here, so the CLI and the workflow train alike.
 */
export const TRAIN_DEFAULTS = Object.freeze({
  /** Trading days the risk label looks ahead (and the purge gap of the time split). */
  horizon: 21,
  /**
   * How the model is evaluated: walk-forward (expanding window, purged) when every row has a
   * date, else a single random split.
   */
  split: 'walk-forward' as const,
  /** Test folds of the walk-forward evaluation. */
  folds: 5,
  /** Share of the dates the walk-forward test folds cover together (the last ones). */
  walkForwardTestShare: 0.5,
  /** Share of rows held out for testing by a single split (`time` or `random`). */
  testSize: 0.3,
  /**
   * Share of a training period's dates (its last ones, purged by the horizon) held out to choose
   * the depth and fit the probability calibration.
   */
  calibrationShare: 0.3,
  /**
   * Fewest training rows a leaf of the forest keeps: `'horizon'` means the label horizon (21 rows
   * for the default labels); sets without a horizon (a CSV's own labels) use 1, scikit-learn's
   * default. Why: neighbouring rows' labels share all but one of their forward returns, so a
   * leaf of a few rows answers from about one outcome, and its vote share is noise. Measured on
   * the walk-forward evaluation (seeds 42, 1, 7; one leaf size besides 1 and 21 tried, 63, which
   * was worse on log loss): log loss and Brier improve on both shared data sets at every seed.
   */
  minSamplesLeaf: 'horizon' as const,
  /**
   * How the forest's trees search for splits: `'histogram'`, over at most 256 quantile bins per
   * feature (docs/forest.md). Measured on the walk-forward evaluation against the exact search:
   * `riskfn train` on dj30 in 49 s against 104 s, scores within seed noise
   * (eustock 0.629 / 0.661 / 0.393 against 0.641 / 0.662 / 0.394; dj30 0.479 / 0.564 / 0.349
   * against 0.477 / 0.562 / 0.347: balanced accuracy / log loss / Brier).
   */
  splitSearch: 'histogram' as const,
  /** Trees in the forest. */
  trees: 100,
  /** Seed of the forest, the random split and permutation importance. */
  seed: 42,
  /**
   * Choose the tree depth on the calibration slice of the training period (tuning.ts), unless
   * a maximum depth is given: fully grown trees fit autocorrelated rows too closely.
   */
  tune: true,
  /** Shuffles per feature for permutation importance (0 skips it). */
  permutationRepeats: 5,
  /** Most test rows of a fold permutation importance scores (a seeded subsample beyond it; permutation-importance.ts). */
  permutationMaxRows: 10_000,
});

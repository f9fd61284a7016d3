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
});

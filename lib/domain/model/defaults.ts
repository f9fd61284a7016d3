/**
 * The training defaults, one object for every caller: `riskfn dataset` / `riskfn train`, the
 * training workflow's BuildDataset and Train steps, and the library functions. An option a
 * caller leaves out takes its value from here, so the CLI and the workflow train alike.
 */
export const TRAIN_DEFAULTS = Object.freeze({
  /** Trading days the risk label looks ahead (and the purge gap of the time split). */
  horizon: 21,
  /** Share of rows held out for testing (the last dates, for a time split). */
  testSize: 0.3,
  /** Trees in the forest. */
  trees: 100,
  /** Seed of the forest, the random split and permutation importance. */
  seed: 42,
  /**
   * Choose the tree depth on a purged validation slice of the training period (tuning.ts),
   * unless a maximum depth is given: fully grown trees fit autocorrelated rows too closely.
   */
  tune: true,
  /** Shuffles per feature for permutation importance (0 skips it). */
  permutationRepeats: 5,
});

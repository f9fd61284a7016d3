/**
 * Honest choice of the tree depth: each candidate depth is fitted on the training rows before
 * the calibration slice (the last dates of the training period, purged by the label horizon)
 * and scored on that slice by the Brier score of its raw probabilities; the best (ties: the
 * shallower) is kept. The test rows play no part, so test scores stay out of sample. Brier, a
 * proper score, rewards depths whose probabilities are both sharp and right, which is what
 * the calibration then builds on; balanced accuracy alone would ignore the probabilities.
 */

/**
 * Candidate depths. Fully grown trees are left out: on autocorrelated daily rows they memorise
 * neighbours (out-of-bag accuracy 0.9 against 0.5 out of sample) and cost the most to train.
 */
export const DEPTH_CANDIDATES: readonly number[] = [2, 3, 4, 6, 8, 12];

/** How maxDepth was chosen: recorded in the artifact and the evaluation. */
export interface TuningResult {
  metric: 'brier';
  validationFrom: string | null;
  validationRows: number;
  candidates: { maxDepth: number; score: number }[];
  chosen: number;
}

/** The candidate with the lowest score (ties: the earlier, i.e. the shallower). */
export function bestCandidate(candidates: readonly { maxDepth: number; score: number }[]): number {
  let best = candidates[0];
  for (const c of candidates) if (c.score < best.score) best = c;
  return best.maxDepth;
}

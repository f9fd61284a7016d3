/**
 * Reliability of class probabilities: does a forecast of 70 % come true 70 % of the time?
 *
 * Top-label reliability (Guo et al. 2017): each row falls in the bin of its highest
 * probability (the confidence), bins of equal width 1/B over [0, 1] (bin b holds
 * b/B < confidence ≤ (b+1)/B; confidence 0 goes to the first bin). The expected calibration
 * error is ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b|, 0 for a perfectly
 * calibrated forecaster. Bins are kept as sums, so the bins of several folds add up exactly to
 * the pooled bins.
 */
import { argmax } from '../../util/argmax.ts';

/** Number of equal-width confidence bins. */
const RELIABILITY_BINS = 10;

/** Per bin: rows, sum of confidences, rows whose top class was the true class. */
export interface ReliabilityBins {
  count: number[];
  confidence: number[];
  correct: number[];
}

function emptyBins(bins = RELIABILITY_BINS): ReliabilityBins {
  return { count: new Array(bins).fill(0), confidence: new Array(bins).fill(0), correct: new Array(bins).fill(0) };
}

/**
 * Bins rows by their top-label confidence.
 * @param proba per row, probabilities in some class order
 * @param truth per row, the index of the true class in that order
 */
export function reliabilityBins(proba: readonly (readonly number[])[], truth: readonly number[], bins = RELIABILITY_BINS): ReliabilityBins {
  const out = emptyBins(bins);
  for (let i = 0; i < proba.length; i++) {
    const top = argmax(proba[i]);
    const conf = proba[i][top];
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(conf * bins) - 1));
    out.count[b] += 1;
    out.confidence[b] += conf;
    if (top === truth[i]) out.correct[b] += 1;
  }
  return out;
}

/** Bin-wise sums of several bin sets (of the same width). */
export function addBins(list: readonly ReliabilityBins[]): ReliabilityBins {
  const out = emptyBins(list[0]?.count.length ?? RELIABILITY_BINS);
  for (const b of list) {
    for (let i = 0; i < out.count.length; i++) {
      out.count[i] += b.count[i];
      out.confidence[i] += b.confidence[i];
      out.correct[i] += b.correct[i];
    }
  }
  return out;
}

/** Expected calibration error of binned rows (NaN for no rows). */
export function expectedCalibrationError(b: ReliabilityBins): number {
  const n = b.count.reduce((a, c) => a + c, 0);
  if (n === 0) return Number.NaN;
  let ece = 0;
  for (let i = 0; i < b.count.length; i++) ece += Math.abs(b.correct[i] - b.confidence[i]) / n;
  return ece;
}

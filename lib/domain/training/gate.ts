/**
 * The promotion gate: a challenger replaces the champion only when it is strictly better
 * out of sample, on the same rows, by the same metric. Pure; the Evaluate task gathers
 * the numbers and the state machine's Choice state acts on `promote`.
 *
 * Metric: balanced accuracy (mean per-class recall), because risk levels are imbalanced
 * in calm periods and plain accuracy would reward always answering "low".
 */
import type { GateDecision } from '../../schemas/training-state.ts';

export interface GateInput {
  challengerScore: number;
  /** `null` when there is no champion yet. */
  champion: { version: string; score: number } | null;
  /** Balanced accuracy of the majority-class baseline on the same rows (1/K for K classes). */
  baselineScore: number;
  comparedFrom: string;
  comparedRows: number;
  /** Margin the challenger must clear over the champion (default 0: strictly better). */
  minImprovement?: number;
}

export function decidePromotion(input: GateInput): GateDecision {
  const { challengerScore, champion, baselineScore, minImprovement = 0 } = input;
  const base = {
    metric: 'balancedAccuracy' as const,
    challengerScore,
    championVersion: champion?.version ?? null,
    championScore: champion?.score ?? null,
    comparedFrom: input.comparedFrom,
    comparedRows: input.comparedRows,
  };
  if (!Number.isFinite(challengerScore)) {
    return { ...base, promote: false, reason: 'challenger score is not a finite number' };
  }
  if (!(challengerScore > baselineScore)) {
    return {
      ...base,
      promote: false,
      reason: `challenger (${fmt(challengerScore)}) does not beat the majority-class baseline (${fmt(baselineScore)})`,
    };
  }
  if (champion === null) {
    return { ...base, promote: true, reason: 'no champion yet and the challenger beats the baseline' };
  }
  if (challengerScore > champion.score + minImprovement) {
    return {
      ...base,
      promote: true,
      reason: `challenger (${fmt(challengerScore)}) beats champion ${champion.version} (${fmt(champion.score)})`,
    };
  }
  return {
    ...base,
    promote: false,
    reason: `challenger (${fmt(challengerScore)}) does not beat champion ${champion.version} (${fmt(champion.score)})`,
  };
}

const fmt = (x: number): string => x.toFixed(4);

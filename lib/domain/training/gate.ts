/**
 * The promotion gate: a challenger replaces the champion only when it is strictly better
 * out of sample, on the same rows, by the same metric. Pure; the Evaluate task gathers
 * the numbers and the state machine's Choice state acts on `promote`.
 *
 * Metric: balanced accuracy (mean per-class recall), because risk levels are imbalanced
 * in calm periods and plain accuracy would reward always answering "low".
 *
 * Besides the champion, a challenger must beat the two baselines every risk model must beat,
 * on the same rows: the majority class, and persistence (tomorrow's level = today's
 * trailing-volatility level). A model that cannot beat persistence adds nothing a rule of
 * thumb would not give, so it never ships, not even as the first champion.
 */
import type { GateDecision } from '../../schemas/training-state.ts';

export interface GateInput {
  challengerScore: number;
  /** `null` when there is no champion yet. */
  champion: { version: string; score: number } | null;
  /** Balanced accuracy of the baselines on the same rows: majority class (1/K) and persistence (null if unavailable). */
  baselines: { majority: number; persistence: number | null };
  comparedFrom: string;
  comparedRows: number;
  /** Margin the challenger must clear over the champion (default 0: strictly better). */
  minImprovement?: number;
}

export function decidePromotion(input: GateInput): GateDecision {
  const { challengerScore, champion, baselines, minImprovement = 0 } = input;
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
  if (!(challengerScore > baselines.majority)) {
    return {
      ...base,
      promote: false,
      reason: `challenger (${fmt(challengerScore)}) does not beat the majority-class baseline (${fmt(baselines.majority)})`,
    };
  }
  if (baselines.persistence !== null && !(challengerScore > baselines.persistence)) {
    return {
      ...base,
      promote: false,
      reason: `challenger (${fmt(challengerScore)}) does not beat the persistence baseline (${fmt(baselines.persistence)})`,
    };
  }
  if (champion === null) {
    return { ...base, promote: true, reason: 'no champion yet and the challenger beats both baselines' };
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

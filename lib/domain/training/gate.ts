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
import type { EvaluationReport } from '../model/types.ts';

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

/** Which rule decided: the first the challenger failed, or null when it passed them all. */
type Blocker = 'score' | 'majority' | 'persistence' | 'champion' | null;

function judge(input: GateInput): { promote: boolean; reason: string; blocker: Blocker } {
  const { challengerScore, champion, baselines, minImprovement = 0 } = input;
  if (!Number.isFinite(challengerScore)) {
    return { promote: false, blocker: 'score', reason: 'challenger score is not a finite number' };
  }
  if (!(challengerScore > baselines.majority)) {
    return {
      promote: false,
      blocker: 'majority',
      reason: `challenger (${fmt(challengerScore)}) does not beat the majority-class baseline (${fmt(baselines.majority)})`,
    };
  }
  if (baselines.persistence !== null && !(challengerScore > baselines.persistence)) {
    return {
      promote: false,
      blocker: 'persistence',
      reason: `challenger (${fmt(challengerScore)}) does not beat the persistence baseline (${fmt(baselines.persistence)})`,
    };
  }
  if (champion === null) {
    return { promote: true, blocker: null, reason: 'no champion yet and the challenger beats both baselines' };
  }
  if (challengerScore > champion.score + minImprovement) {
    return { promote: true, blocker: null, reason: `challenger (${fmt(challengerScore)}) beats champion ${champion.version} (${fmt(champion.score)})` };
  }
  return {
    promote: false,
    blocker: 'champion',
    reason: `challenger (${fmt(challengerScore)}) does not beat champion ${champion.version} (${fmt(champion.score)})`,
  };
}

export function decidePromotion(input: GateInput): GateDecision {
  const { promote, reason } = judge(input);
  return {
    promote,
    reason,
    metric: 'balancedAccuracy',
    challengerScore: input.challengerScore,
    championVersion: input.champion?.version ?? null,
    championScore: input.champion?.score ?? null,
    comparedFrom: input.comparedFrom,
    comparedRows: input.comparedRows,
  };
}

/** The baselines' balanced accuracies in an evaluation: what the gate holds a model against. */
export function baselineScores(e: EvaluationReport): GateInput['baselines'] {
  return { majority: e.baselines.majority.balancedAccuracy, persistence: e.baselines.persistence?.balancedAccuracy ?? null };
}

/**
 * What the workflow's gate would say about a freshly trained model with no champion to beat,
 * judged on its own test rows (the rows the workflow compares on when there is no champion),
 * as one plain sentence for `riskfn train`.
 */
export function gateVerdict(e: EvaluationReport): { decision: GateDecision; text: string } {
  const baselines = baselineScores(e);
  const input: GateInput = { challengerScore: e.balancedAccuracy, champion: null, baselines, comparedFrom: e.testFrom ?? '', comparedRows: e.testRows };
  const { blocker } = judge(input);
  const score = fmt(e.balancedAccuracy);
  const reject = "the workflow's gate would reject it";
  const text =
    blocker === 'score'
      ? `its balanced accuracy is not a number: ${reject}`
      : blocker === 'majority'
        ? `does not beat the majority class (balanced accuracy ${score} vs ${fmt(baselines.majority)}): ${reject}`
        : blocker === 'persistence'
          ? `does not beat persistence (balanced accuracy ${score} vs ${fmt(baselines.persistence!)}): ${reject}`
          : `beats the majority class (${fmt(baselines.majority)})` +
            (baselines.persistence === null ? ' (no persistence baseline: no dates or no label horizon)' : ` and persistence (${fmt(baselines.persistence)})`) +
            ` with balanced accuracy ${score}: the workflow's gate would accept it as a first champion`;
  return { decision: decidePromotion(input), text };
}

const fmt = (x: number): string => x.toFixed(4);

/**
 * The promotion gate: a challenger replaces the champion only when it is better out of sample
 * on every score that matters, against every predictor it must beat. Pure; the Evaluate task
 * gathers the numbers and the state machine's Choice state acts on `promote`.
 *
 * Scores: balanced accuracy (higher is better: mean per-class recall, because risk levels are
 * imbalanced and plain accuracy rewards always answering the common class), log loss and
 * Brier score (lower is better: they judge the probabilities the API serves). "Beats" means
 * strictly better on all three, by more than `minImprovement` on each (default 0); a tie on any
 * score is not a win.
 *
 * Against what:
 * - the baselines, on the challenger's pooled walk-forward scores (the same test rows for all):
 *   persistence (the level of the last `horizon` days), HAR (Corsi's regression of forward
 *   volatility on daily, weekly and monthly realised volatility) and the majority class. A model
 *   a one-line rule or a four-coefficient regression beats adds nothing, so it never ships,
 *   not even as the first champion. A baseline the data cannot provide (no dates, no realised
 *   volatilities) is skipped and the decision says so.
 * - the champion, on rows it was not trained on: the challenger's walk-forward test dates after
 *   the champion's refit window plus the label horizon, the challenger's out-of-sample scores
 *   on those dates against the champion's. When there are none (the champion was refit on
 *   nearly the same history: the usual case for a scheduled retrain), the challenger's pooled
 *   walk-forward scores are compared with the champion's own recorded ones: not the same rows,
 *   but the same procedure on a history that differs only by the newest days; the decision says
 *   which comparison was made.
 */

import type { GateComparison, GateDecision } from '../../schemas/training-state.ts';

/** The three scores the gate compares. */
export interface GateScores {
  balancedAccuracy: number;
  logLoss: number;
  brier: number;
}

export interface GateInput {
  /** The challenger's pooled walk-forward scores. */
  challenger: GateScores;
  /** The baselines' pooled walk-forward scores on the same rows (null when the data has none). */
  baselines: { persistence: GateScores | null; har: GateScores | null; majority: GateScores };
  /**
   * The champion: `rows` > 0 compares both on the same out-of-sample dates (`challenger` is the
   * challenger's score on them); `rows` 0 compares the challenger's pooled scores with the
   * champion's recorded ones. Null when there is no champion yet.
   */
  champion: {
    version: string;
    scores: GateScores;
    /** The challenger on the same rows (equal to `challenger` when rows is 0). */
    challenger: GateScores;
    from: string | null;
    rows: number;
  } | null;
  /** First date and number of the rows the baselines were compared on. */
  comparedFrom: string;
  comparedRows: number;
  /** Margin the challenger must clear on each score (default 0: strictly better). */
  minImprovement?: number;
}

const fmt = (x: number): string => x.toFixed(4);

/** The challenger against one predictor: the differences, signed so that positive is better for the challenger. */
function compareScores(against: string, challenger: GateScores, other: GateScores, minImprovement = 0, basis = 'walk-forward'): GateComparison {
  const balancedAccuracy = challenger.balancedAccuracy - other.balancedAccuracy;
  const logLoss = other.logLoss - challenger.logLoss;
  const brier = other.brier - challenger.brier;
  const beaten = [balancedAccuracy, logLoss, brier].every((d) => Number.isFinite(d) && d > minImprovement);
  return { against, basis, beaten, balancedAccuracy, logLoss, brier };
}

function describe(c: GateComparison): string {
  const d = (x: number) => `${x >= 0 ? '+' : ''}${fmt(x)}`;
  return `${c.against} (${c.basis}; balanced accuracy ${d(c.balancedAccuracy)}, log loss ${d(c.logLoss)}, Brier ${d(c.brier)})`;
}

/** Decides a promotion; the reason lists what the challenger beat and by how much (positive: better). */
export function decidePromotion(input: GateInput): GateDecision {
  const { challenger, baselines, champion, minImprovement = 0 } = input;
  const comparisons: GateComparison[] = [];
  if (baselines.persistence) comparisons.push(compareScores('persistence', challenger, baselines.persistence, minImprovement));
  if (baselines.har) comparisons.push(compareScores('HAR', challenger, baselines.har, minImprovement));
  comparisons.push(compareScores('majority', challenger, baselines.majority, minImprovement));
  if (champion) {
    const basis =
      champion.rows > 0 ? `${champion.rows} rows from ${champion.from} it was not trained on` : 'recorded walk-forward scores: no rows after its refit window';
    comparisons.push(compareScores(`champion ${champion.version}`, champion.challenger, champion.scores, minImprovement, basis));
  }
  const lost = comparisons.filter((c) => !c.beaten);
  const skipped = [baselines.persistence ? null : 'persistence', baselines.har ? null : 'HAR'].filter((s): s is string => s !== null);
  const beat = comparisons.filter((c) => c.beaten);
  const verdict =
    lost.length === 0
      ? `the challenger beats ${beat.map(describe).join('; ')}${champion ? '' : '; no champion yet'}`
      : `the challenger does not beat ${lost.map(describe).join('; ')}${beat.length ? `; it beats ${beat.map(describe).join('; ')}` : ''}`;
  const reason = `${verdict}${skipped.length ? ` (no ${skipped.join(' or ')} baseline for this data)` : ''}`;
  return {
    promote: lost.length === 0,
    reason,
    metric: 'balancedAccuracy, logLoss, brier',
    challengerScore: challenger.balancedAccuracy,
    championVersion: champion?.version ?? null,
    championScore: champion?.scores.balancedAccuracy ?? null,
    comparedFrom: input.comparedFrom,
    comparedRows: input.comparedRows,
    comparisons,
  };
}

/** The pooled scores of a walk-forward report as the gate takes them. */
export function gateScores(m: GateScores): GateScores {
  return { balancedAccuracy: m.balancedAccuracy, logLoss: m.logLoss, brier: m.brier };
}

/**
 * What the workflow's gate would say about a freshly trained model with no champion to beat,
 * from its walk-forward report, as one plain sentence for `riskfn train`.
 */
export function gateVerdict(e: {
  model: GateScores;
  baselines: { persistence: GateScores | null; har: GateScores | null; majority: GateScores };
  testFrom: string | null;
  testRows: number;
}): { decision: GateDecision; text: string } {
  const decision = decidePromotion({
    challenger: gateScores(e.model),
    baselines: {
      persistence: e.baselines.persistence && gateScores(e.baselines.persistence),
      har: e.baselines.har && gateScores(e.baselines.har),
      majority: gateScores(e.baselines.majority),
    },
    champion: null,
    comparedFrom: e.testFrom ?? '',
    comparedRows: e.testRows,
  });
  const text = decision.promote
    ? `${decision.reason}: the workflow's gate would accept it as a first champion`
    : `${decision.reason}: the workflow's gate would reject it`;
  return { decision, text };
}

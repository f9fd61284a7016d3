/**
 * The promotion gate: a challenger replaces the champion only when it is better out of sample
 * on every score that matters, against every predictor it must beat. Pure; the Evaluate task
 * gathers the numbers and the state machine's Choice state acts on `promote`.
 *
 * Scores: balanced accuracy (higher is better: mean per-class recall, because risk levels are
 * imbalanced and plain accuracy rewards always answering the common class), log loss and
 * Brier score (lower is better: proper scoring rules, they judge the probabilities the API
 * serves). "Beats" means strictly better, by more than `minImprovement` (default 0), on every
 * score the comparison requires; a tie is not a win:
 * - against the majority class: all three scores. A model that loses to it on any score adds
 *   nothing.
 * - against persistence, HAR and the champion: log loss and Brier score, the proper scoring
 *   rules, must be beaten. What the API serves is a probability; balanced accuracy is the score
 *   of one decision made from those probabilities (answer the level most over-represented
 *   relative to its training share), not a proper score, and between two forecasts its
 *   difference is mostly noise. So on balanced accuracy the challenger need only be
 *   non-inferior: it fails when it is significantly worse, i.e. when the upper end of the 90 %
 *   interval of the difference is below 0 (worse with 95 % one-sided confidence). The interval
 *   comes from a paired block bootstrap over the test dates (paired-bootstrap.ts: blocks of the
 *   label horizon, because overlapping labels share most of their returns and instruments on a
 *   date move together); on the shared data it measures standard errors of 0.01 to 0.04 for the
 *   balanced-accuracy difference against persistence and HAR, larger than most of the
 *   differences. Persistence gets the same rule as HAR for the same reason: on subsets of five
 *   Dow stocks a model better than persistence by 0.10 to 0.14 in log loss (about seven
 *   standard errors or more) differed from it in balanced accuracy by -0.007 to +0.071 with standard errors of
 *   0.010 to 0.046, so a strict rule would promote or refuse it by the toss of a coin.
 *   The champion gets the same rule on the rows both were scored on, paired date by date
 *   (champion-comparison.ts). Without an interval (an older report without differences)
 *   persistence must still be beaten on all three scores, as before, and balanced accuracy
 *   against HAR is not judged; against the champion's recorded scores (no shared rows: other
 *   rows, nothing to pair) it is not judged either, and the reason says so. The difference is
 *   always recorded and shown in the reason and the model card.
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
import type { ScoreDifferences } from '../model/paired-bootstrap.ts';

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
    /**
     * The challenger against the champion on those rows, paired by date with its sampling
     * uncertainty (when compared on rows; absent or null: balanced accuracy is not judged).
     */
    differences?: ScoreDifferences | null;
  } | null;
  /**
   * The challenger's differences from the baselines with their sampling uncertainty (the
   * walk-forward report's `differences`); absent or null: persistence must be beaten on all three
   * scores and balanced accuracy against HAR is not judged.
   */
  differences?: { persistence: ScoreDifferences | null; har: ScoreDifferences | null } | null;
  /** First date and number of the rows the baselines were compared on. */
  comparedFrom: string;
  comparedRows: number;
  /** Margin the challenger must clear on each score (default 0: strictly better). */
  minImprovement?: number;
}

const fmt = (x: number): string => x.toFixed(4);

type ScoreName = keyof GateScores;

/** Rules of thumb must be beaten on every score. */
const ALL_SCORES: readonly ScoreName[] = ['balancedAccuracy', 'logLoss', 'brier'];
/** Probability forecasts (HAR, the champion) are judged on the proper scoring rules. */
const PROPER_SCORES: readonly ScoreName[] = ['logLoss', 'brier'];

/** Why balanced accuracy against a forecast could not be judged for non-inferiority. */
const NO_INTERVAL = { measured: 'no uncertainty measured', recorded: 'recorded scores of other rows cannot be paired' } as const;

/**
 * The challenger against one predictor: the differences, signed so that positive is better for
 * the challenger. `judgedOn` must be beaten strictly (by more than `minImprovement`);
 * `nonInferior`, when given, is the bootstrap estimate of the balanced-accuracy difference, whose
 * 90 % interval must not lie wholly below 0.
 */
function compareScores(
  against: string,
  challenger: GateScores,
  other: GateScores,
  judgedOn: readonly ScoreName[],
  opts: { minImprovement?: number; basis?: string; nonInferior?: ScoreDifferences['balancedAccuracy'] | null } = {},
): GateComparison {
  const { minImprovement = 0, basis = 'walk-forward', nonInferior } = opts;
  const diff: GateScores = {
    balancedAccuracy: challenger.balancedAccuracy - other.balancedAccuracy,
    logLoss: other.logLoss - challenger.logLoss,
    brier: other.brier - challenger.brier,
  };
  const interval = nonInferior && Number.isFinite(nonInferior.upper) ? nonInferior : null;
  const beaten = judgedOn.every((s) => Number.isFinite(diff[s]) && diff[s] > minImprovement) && !(interval && interval.upper < 0);
  return {
    against,
    basis,
    beaten,
    judgedOn: [...judgedOn],
    ...diff,
    ...(interval && { balancedAccuracyInterval: { standardError: interval.standardError, lower: interval.lower, upper: interval.upper } }),
  };
}

const SCORE_LABELS: Record<ScoreName, string> = { balancedAccuracy: 'balanced accuracy', logLoss: 'log loss', brier: 'Brier' };

const signed = (x: number) => `${x >= 0 ? '+' : ''}${fmt(x)}`;

/** How a score was judged, for the reason: beaten strictly, non-inferior within its interval, or not judged (and why). */
function judgement(c: GateComparison, s: ScoreName, notJudged: string): string {
  if ((c.judgedOn ?? ALL_SCORES).includes(s)) return '';
  const i = c.balancedAccuracyInterval;
  if (s === 'balancedAccuracy' && i) {
    const verdict = i.upper < 0 ? 'significantly worse' : 'not significantly worse';
    return ` ± ${fmt(i.standardError)} (90 % ${signed(i.lower)}..${signed(i.upper)}: ${verdict})`;
  }
  return ` (not judged: ${notJudged})`;
}

function describe(c: GateComparison, notJudged: string): string {
  const scores = ALL_SCORES.map((s) => `${SCORE_LABELS[s]} ${signed(c[s])}${judgement(c, s, notJudged)}`).join(', ');
  return `${c.against} (${c.basis}; ${scores})`;
}

/** Decides a promotion; the reason lists what the challenger beat and by how much (positive: better). */
export function decidePromotion(input: GateInput): GateDecision {
  const { challenger, baselines, champion, minImprovement = 0 } = input;
  const comparisons: GateComparison[] = [];
  const notJudged = new Map<GateComparison, string>();
  if (baselines.persistence) {
    // Non-inferiority on balanced accuracy when its interval was measured; else strictly better on all three, as before.
    const interval = input.differences?.persistence?.balancedAccuracy;
    const measured = interval && Number.isFinite(interval.upper) ? interval : null;
    comparisons.push(
      compareScores('persistence', challenger, baselines.persistence, measured ? PROPER_SCORES : ALL_SCORES, { minImprovement, nonInferior: measured }),
    );
  }
  if (baselines.har) {
    const c = compareScores('HAR', challenger, baselines.har, PROPER_SCORES, { minImprovement, nonInferior: input.differences?.har?.balancedAccuracy });
    notJudged.set(c, NO_INTERVAL.measured);
    comparisons.push(c);
  }
  comparisons.push(compareScores('majority', challenger, baselines.majority, ALL_SCORES, { minImprovement }));
  if (champion) {
    const basis =
      champion.rows > 0 ? `${champion.rows} rows from ${champion.from} it was not trained on` : 'recorded walk-forward scores: no rows after its refit window';
    const c = compareScores(`champion ${champion.version}`, champion.challenger, champion.scores, PROPER_SCORES, {
      minImprovement,
      basis,
      nonInferior: champion.rows > 0 ? champion.differences?.balancedAccuracy : null,
    });
    notJudged.set(c, champion.rows > 0 ? NO_INTERVAL.measured : NO_INTERVAL.recorded);
    comparisons.push(c);
  }
  const lost = comparisons.filter((c) => !c.beaten);
  const skipped = [baselines.persistence ? null : 'persistence', baselines.har ? null : 'HAR'].filter((s): s is string => s !== null);
  const beat = comparisons.filter((c) => c.beaten);
  const list = (cs: GateComparison[]) => cs.map((c) => describe(c, notJudged.get(c) ?? '')).join('; ');
  const verdict =
    lost.length === 0
      ? `the challenger beats ${list(beat)}${champion ? '' : '; no champion yet'}`
      : `the challenger does not beat ${list(lost)}${beat.length ? `; it beats ${list(beat)}` : ''}`;
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
  differences?: GateInput['differences'];
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
    differences: e.differences ?? null,
    comparedFrom: e.testFrom ?? '',
    comparedRows: e.testRows,
  });
  const text = decision.promote
    ? `${decision.reason}: the workflow's gate would accept it as a first champion`
    : `${decision.reason}: the workflow's gate would reject it`;
  return { decision, text };
}

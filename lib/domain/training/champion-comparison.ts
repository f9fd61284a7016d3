/**
 * What the promotion gate compares (gate.ts), gathered from the stored artifacts and the run's
 * training set:
 * - the challenger and the baselines: the challenger's pooled walk-forward scores, stored in
 *   its artifact (`evaluation.pooled`), all on the same test rows, with the differences' sampling
 *   uncertainty from the run's walk-forward report (the balanced-accuracy non-inferiority rule);
 * - the champion, on rows it was not trained on: the set's dates after the champion's refit
 *   window plus the label horizon (no row it saw, nor one whose label overlaps its training
 *   labels) that are also walk-forward test dates of the challenger. The champion's calibrated
 *   probabilities are scored there against this run's labels; the challenger's out-of-sample
 *   scores on the same dates come from its per-date sums (`evaluation.byDate`). When there are
 *   no such dates, or the champion cannot be scored on this set (it needs a feature the set
 *   lacks), the champion's own recorded walk-forward scores stand in, and the decision says so.
 *   On shared dates the two are also paired date by date (the walk-forward's block bootstrap:
 *   blocks of the label horizon, the challenger's seed), which gives the balanced-accuracy
 *   difference the uncertainty the gate's non-inferiority rule needs.
 */
import { DomainError } from '../errors.ts';
import { displayOrder } from '../model/class-order.ts';
import { datesOf, type EvaluationReport, type ModelArtifact, ModelArtifactError, scoresFromDate, type TrainingSet } from '../model/index.ts';
import { type DateScore, pairedBootstrap, reindexDateScores, type ScoreDifferences } from '../model/paired-bootstrap.ts';
import { type GateInput, gateScores } from './gate.ts';

export interface ComparisonInput {
  set: TrainingSet;
  challenger: ModelArtifact;
  champion: { version: string; artifact: ModelArtifact } | null;
  evaluate: (a: ModelArtifact, set: TrainingSet, opts: { fromDate?: string }) => EvaluationReport;
  /** The walk-forward report's differences from the baselines (absent or null: balanced accuracy against HAR is not judged). */
  differences?: GateInput['differences'];
}

export interface Comparison {
  /** The gate's input (without a margin). */
  gate: GateInput;
  /** The champion scored on its unseen rows (null: no champion, or compared on recorded scores). */
  champion: EvaluationReport | null;
  /** Why the recorded scores stood in for the champion (null when it was scored on rows). */
  championNote: string | null;
}

/** The champion was trained on (nearly) every row of the set: nothing is left to compare on. */
export class NoComparableRowsError extends DomainError {
  readonly code = 'INSUFFICIENT_HISTORY';
}

/** First date of `set` more than `horizon` trading dates after the champion's last training date. */
export function comparisonStart(set: TrainingSet, champion: ModelArtifact): string {
  const rowDates = datesOf(set.rows) ?? [];
  const championEnd = champion.training.to;
  const horizon = set.labelRule.horizon ?? 0;
  const dates = [...new Set(rowDates)].sort();
  if (championEnd === null) throw new NoComparableRowsError("the champion's training period has no dates");
  const firstAfter = dates.findIndex((d) => d > championEnd);
  const purged = firstAfter < 0 ? undefined : dates[firstAfter + horizon];
  if (purged === undefined) throw new NoComparableRowsError(`no rows after the champion's training period (to ${championEnd}) plus the ${horizon}-day purge`);
  return purged;
}

/**
 * The challenger's per-date sums against the champion's on the dates both have, over the union of
 * their classes (null when they share no date).
 */
function championDifferences(
  challenger: { byDate: readonly DateScore[]; classes: readonly string[]; seed: number },
  champion: EvaluationReport,
  horizon: number,
): ScoreDifferences | null {
  const classes = displayOrder([...challenger.classes, ...champion.classes]);
  const theirs = new Map(reindexDateScores(champion.byDate, champion.classes, classes).map((d) => [d.date, d]));
  const mine = reindexDateScores(challenger.byDate, challenger.classes, classes).filter((d) => theirs.has(d.date));
  if (mine.length === 0) return null;
  return pairedBootstrap(
    mine,
    mine.map((d) => theirs.get(d.date)!),
    classes,
    { blockLength: Math.max(1, horizon), seed: challenger.seed },
  );
}

export function championComparison(input: ComparisonInput): Comparison {
  const { set, challenger, champion, evaluate } = input;
  const e = challenger.evaluation;
  const p = e.pooled;
  const gate: GateInput = {
    challenger: gateScores(p.model),
    baselines: { persistence: p.persistence && gateScores(p.persistence), har: p.har && gateScores(p.har), majority: gateScores(p.majority) },
    champion: null,
    differences: input.differences ?? null,
    comparedFrom: e.testFrom ?? '',
    comparedRows: e.testRows,
  };
  if (!champion) return { gate, champion: null, championNote: null };
  const recorded = (note: string): Comparison => ({
    gate: {
      ...gate,
      champion: { version: champion.version, scores: gateScores(champion.artifact.evaluation.pooled.model), challenger: gate.challenger, from: null, rows: 0 },
    },
    champion: null,
    championNote: note,
  });
  let from: string;
  try {
    from = comparisonStart(set, champion.artifact);
  } catch (err) {
    if (err instanceof NoComparableRowsError) return recorded(err.message);
    throw err;
  }
  if (e.testFrom !== null && from < e.testFrom) from = e.testFrom;
  const challengerClasses = displayOrder(challenger.classes);
  const challengerOnRows = scoresFromDate(e.byDate, challengerClasses, from);
  if (challengerOnRows === null) return recorded(`no walk-forward test dates of the challenger on or after ${from}`);
  let report: EvaluationReport;
  try {
    report = evaluate(champion.artifact, set, { fromDate: from });
  } catch (err) {
    if (err instanceof ModelArtifactError) return recorded(`the champion cannot be scored on this set: ${err.message}`);
    throw err;
  }
  return {
    gate: {
      ...gate,
      champion: {
        version: champion.version,
        scores: gateScores(report.model),
        challenger: gateScores(challengerOnRows),
        from,
        rows: report.testRows,
        differences: championDifferences(
          { byDate: e.byDate.filter((d) => d.date >= from), classes: challengerClasses, seed: challenger.options.seed },
          report,
          set.labelRule.horizon ?? 0,
        ),
      },
    },
    champion: report,
    championNote: null,
  };
}

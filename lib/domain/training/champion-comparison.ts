/**
 * Scores the challenger and the champion on the same out-of-sample rows against the same
 * truth, so the gate compares like with like:
 * - rows: the challenger's test period, moved later if needed so that they are also after
 *   the champion's training period plus the label horizon (no row the champion saw, nor
 *   one whose label overlaps its training labels);
 * - truth: the labels of this run's training set (the challenger's own, with the newest
 *   thresholds). The champion's forest predicts from features alone, so it is scored on that
 *   truth too.
 */
import { DomainError } from '../errors.ts';
import { datesOf, type EvaluationReport, type ModelArtifact, type TrainingSet } from '../model/index.ts';
import { baselineScores, type GateInput } from './gate.ts';

export interface ComparisonInput {
  set: TrainingSet;
  challenger: ModelArtifact;
  champion: ModelArtifact | null;
  evaluate: (a: ModelArtifact, set: TrainingSet, opts: { fromDate?: string }) => EvaluationReport;
}

export interface Comparison {
  fromDate: string;
  rows: number;
  challenger: EvaluationReport;
  champion: EvaluationReport | null;
  /** Balanced accuracy of the baselines on the compared rows. */
  baselines: GateInput['baselines'];
}

/** The champion was trained on (nearly) every row of the set: nothing is left to compare on. */
export class NoComparableRowsError extends DomainError {
  readonly code = 'INSUFFICIENT_HISTORY';
}

export function comparisonStart(set: TrainingSet, challenger: ModelArtifact, champion: ModelArtifact | null): string {
  const rowDates = datesOf(set.rows) ?? [];
  let from = challenger.testFrom ?? rowDates[0] ?? '';
  const championEnd = champion?.training.to ?? null;
  if (championEnd !== null) {
    // First date more than `horizon` trading days after the champion's last training row.
    const horizon = set.labelRule.horizon ?? 0;
    const dates = [...new Set(rowDates)].sort();
    const firstAfter = dates.findIndex((d) => d > championEnd);
    const purged = firstAfter < 0 ? undefined : dates[firstAfter + horizon];
    if (purged === undefined) {
      throw new NoComparableRowsError(`no rows after the champion's training period (to ${championEnd}) plus the ${horizon}-day purge`);
    }
    if (purged > from) from = purged;
  }
  return from;
}

export function championComparison(input: ComparisonInput): Comparison {
  const { set, challenger, champion, evaluate } = input;
  const fromDate = comparisonStart(set, challenger, champion);
  const challengerReport = evaluate(challenger, set, { fromDate });
  const championReport = champion ? evaluate(champion, set, { fromDate }) : null;
  return {
    fromDate,
    rows: challengerReport.testRows,
    challenger: challengerReport,
    champion: championReport,
    baselines: baselineScores(challengerReport),
  };
}

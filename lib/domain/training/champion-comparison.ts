/**
 * Scores the challenger and the champion on the same out-of-sample rows against the same
 * truth, so the gate compares like with like:
 * - rows: the challenger's test period, moved later if needed so that they are also after
 *   the champion's training period plus the label horizon (no row the champion saw, nor
 *   one whose label overlaps its training labels);
 * - truth: forward volatility classed by the challenger's thresholds (the newest fit). The
 *   champion's forest predicts from features alone, so it is scored on that truth too.
 */
import type { EvaluationReport, ModelArtifact, TrainingSet } from '../model/index.ts';

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
  /** Balanced accuracy of the baselines on the compared rows (the challenger's labels). */
  baselines: { majority: number; persistence: number | null };
}

export class NoComparableRowsError extends Error {
  override name = 'NoComparableRowsError';
}

export function comparisonStart(set: TrainingSet, challenger: ModelArtifact, champion: ModelArtifact | null): string {
  let from = challenger.testFrom ?? set.rows[0]?.date ?? '';
  const championEnd = champion?.training.to ?? null;
  if (championEnd !== null) {
    // First date more than `horizon` trading days after the champion's last training row.
    const dates = [...new Set(set.rows.map((r) => r.date))].sort();
    const firstAfter = dates.findIndex((d) => d > championEnd);
    const purged = firstAfter < 0 ? undefined : dates[firstAfter + set.horizon];
    if (purged === undefined) {
      throw new NoComparableRowsError(
        `no rows after the champion's training period (to ${championEnd}) plus the ${set.horizon}-day purge`,
      );
    }
    if (purged > from) from = purged;
  }
  return from;
}

export function championComparison(input: ComparisonInput): Comparison {
  const { set, challenger, champion, evaluate } = input;
  const fromDate = comparisonStart(set, challenger, champion);
  const challengerReport = evaluate(challenger, set, { fromDate });
  const championReport = champion
    ? evaluate({ ...champion, thresholds: challenger.thresholds }, set, { fromDate })
    : null;
  return {
    fromDate,
    rows: challengerReport.testRows,
    challenger: challengerReport,
    champion: championReport,
    baselines: {
      majority: challengerReport.baselines.majority.balancedAccuracy,
      persistence: challengerReport.baselines.persistence?.balancedAccuracy ?? null,
    },
  };
}

/**
 * The model core's pieces the workflow's steps call, one per step, JSON in and out so each can run
 * in its own Lambda: plan the walk-forward folds (BuildDataset), run one fold (RunFold), pool them
 * and plan the refit on all labelled rows (Summarize), package the artifact from the merged forest
 * (Merge). `trainRiskModel` runs the same pieces in one process, so the workflow and `riskfn train`
 * give the same artifact for the same seed (test/unit/functions/training-handlers.test.ts).
 * An interface, so tests can count or replace the steps.
 */
import {
  assembleArtifact,
  type FoldResult,
  type FoldSpec,
  type ModelArtifact,
  type ModelOptions,
  planWalkForward,
  type Refit,
  refitOptions,
  runFold,
  summarizeWalkForward,
  type TrainingSet,
  type WalkForwardReport,
} from '../../lib/domain/model/index.ts';
import { formatEvaluation } from '../../lib/domain/model/report-text.ts';
import { scoreSummary } from '../../lib/domain/training/training-set-codec.ts';
import type { ScoreSummary } from '../../lib/schemas/training-state.ts';

export interface ModelSteps {
  planWalkForward(set: TrainingSet, opts: ModelOptions): { folds: FoldSpec[] };
  runFold(set: TrainingSet, fold: FoldSpec, opts: ModelOptions): FoldResult;
  summarizeWalkForward(set: TrainingSet, folds: FoldResult[], opts: ModelOptions): WalkForwardReport;
  /** The refit on all labelled rows: the forest's options (what every shard trains with), calibration, window. */
  refitOptions(set: TrainingSet, report: WalkForwardReport, opts: ModelOptions): Refit;
  assembleArtifact(set: TrainingSet, forestJson: unknown, report: WalkForwardReport, refit: Refit, opts: ModelOptions): ModelArtifact;
  /** The few numbers of the report that travel in the workflow state and the registry. */
  scoreSummary(report: WalkForwardReport): ScoreSummary;
  /** The report as text for the model card. */
  reportText(report: WalkForwardReport): string;
}

export const modelSteps: ModelSteps = {
  planWalkForward,
  runFold: (set, fold, opts) => runFold(set, fold, opts),
  summarizeWalkForward,
  refitOptions: (set, report, opts) => refitOptions(set, report, opts),
  assembleArtifact,
  scoreSummary,
  reportText: formatEvaluation,
};

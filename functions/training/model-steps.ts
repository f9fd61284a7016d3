/**
 * The model core's pieces the workflow's steps call, one per step, JSON in and out so each can run
 * in its own Lambda: plan the walk-forward folds (BuildDataset), run one fold (RunFold), pool them
 * (Summarize), say how to refit on all labelled rows (Summarize) and package the artifact from the
 * merged forest (Merge). `trainRiskModel` runs the same pieces in one process, so the workflow and
 * `riskfn train` give the same artifact for the same seed.
 */
import type { ForestFitOptions } from '../../lib/domain/model/forest-adapter.ts';
import { type ModelArtifact, TRAIN_DEFAULTS, trainRiskModel } from '../../lib/domain/model/index.ts';
import { timeSplit } from '../../lib/domain/model/split.ts';
import type { EvaluationReport, TrainingSet } from '../../lib/domain/model/types.ts';
import { datesOf } from '../../lib/domain/model/types.ts';
import { scoreSummary } from '../../lib/domain/training/training-set-codec.ts';
import type { ScoreSummary } from '../../lib/schemas/training-state.ts';

/** The training options an execution input may give (the model's; the label horizon is BuildDataset's). */
export interface StepOptions {
  trees?: number;
  maxDepth?: number;
  tune?: boolean;
  seed?: number;
}

/** How the champion is refit after evaluation: the forest's options and the rows (indices into the set; null: all). */
export interface RefitPlan {
  forest: Omit<ForestFitOptions, 'onTree'>;
  rows: number[] | null;
}

export interface ModelSteps {
  planWalkForward(set: TrainingSet, opts: StepOptions): { folds: unknown[] };
  runFold(set: TrainingSet, fold: unknown, opts: StepOptions): unknown;
  summarizeWalkForward(set: TrainingSet, folds: unknown[], opts: StepOptions): unknown;
  refitPlan(set: TrainingSet, report: unknown, opts: StepOptions): RefitPlan;
  assembleArtifact(set: TrainingSet, forestJson: unknown, report: unknown, opts: StepOptions): ModelArtifact;
  /** The few numbers of the report that travel in the workflow state and the registry. */
  scoreSummary(report: unknown): ScoreSummary;
  /** The report as text for the model card. */
  reportText(report: unknown): string;
}

/** One evaluation of the single time split: the fold result until the walk-forward pieces replace it. */
interface SplitFold {
  evaluation: EvaluationReport;
  maxDepth: number | null;
  tuning: ModelArtifact['options']['tuning'];
}

/**
 * The single time split as one fold: fit (depth tuned as configured), score against the baselines;
 * the refit trains the chosen depth on the split's training rows, as `trainRiskModel` does.
 */
export const singleSplitSteps: ModelSteps = {
  planWalkForward: () => ({ folds: [{ fold: 0 }] }),
  runFold(set, _fold, opts): SplitFold {
    const { artifact, evaluation } = trainRiskModel(set, { ...opts, permutationRepeats: 0 });
    return { evaluation, maxDepth: artifact.options.maxDepth, tuning: artifact.options.tuning };
  },
  summarizeWalkForward: (_set, folds) => folds[0],
  refitPlan(set, report, opts) {
    const { maxDepth } = report as SplitFold;
    const dates = datesOf(set.rows);
    const { trees = TRAIN_DEFAULTS.trees, seed = TRAIN_DEFAULTS.seed } = opts;
    const split = dates ? timeSplit(dates, TRAIN_DEFAULTS.testSize, set.labelRule.horizon ?? 0) : null;
    return { forest: { trees, seed, ...(maxDepth === null ? {} : { maxDepth }) }, rows: split ? split.train : null };
  },
  assembleArtifact(set, forestJson, report, opts) {
    const { maxDepth, tuning } = report as SplitFold;
    const { artifact } = trainRiskModel(set, { ...opts, tune: false, maxDepth: maxDepth ?? undefined, permutationRepeats: 0 });
    return { ...artifact, options: { ...artifact.options, tuning }, forest: forestJson as ModelArtifact['forest'] };
  },
  scoreSummary: (report) => scoreSummary((report as SplitFold).evaluation),
  reportText: (report) => JSON.stringify((report as SplitFold).evaluation.baselines),
};

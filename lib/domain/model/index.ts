/**
 * The risk model core (pure: no AWS). Builds the leak-free training set from prices, evaluates
 * the random forest walk-forward against the persistence, HAR and majority baselines, refits it
 * on all labelled rows with calibrated probabilities, and packages, validates and applies model
 * artifacts. Conventions: docs/model.md.
 */

export type { ModelArtifact } from './artifact.ts';
export { parseArtifact, serializeArtifact } from './artifact.ts';
export { buildTrainingSet } from './dataset.ts';
export { TRAIN_DEFAULTS } from './defaults.ts';
export { InsufficientHistoryError, ModelArtifactError } from './errors.ts';
export type { EvaluationReport } from './evaluation.ts';
export { evaluateArtifact, scoresFromDate } from './evaluation.ts';
export { predictRiskLevel } from './predict.ts';
export type { Refit } from './train.ts';
export { assembleArtifact, refitOptions, trainRiskModel } from './train.ts';
export type { TrainingSet } from './types.ts';
export { datesOf } from './types.ts';
export type { FoldResult, FoldSpec, ModelOptions, WalkForwardReport } from './walk-forward.ts';
export { planWalkForward, runFold, summarizeWalkForward } from './walk-forward.ts';

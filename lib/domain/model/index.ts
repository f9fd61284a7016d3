/**
 * The risk model core (pure: no AWS). Builds the leak-free training set from prices, trains
 * the random forest on any training set with an honest time-ordered evaluation against
 * baselines, and packages, validates and applies model artifacts. Conventions: docs/model.md.
 */

export type { ModelArtifact } from './artifact.ts';
export { parseArtifact, serializeArtifact } from './artifact.ts';
export { buildTrainingSet } from './dataset.ts';
export { TRAIN_DEFAULTS } from './defaults.ts';
export { InsufficientHistoryError, ModelArtifactError } from './errors.ts';
export { evaluateArtifact } from './evaluation.ts';
export { predictRiskLevel } from './predict.ts';
export { trainRiskModel } from './train.ts';
export type { EvaluationReport, TrainingSet } from './types.ts';
export { datesOf } from './types.ts';

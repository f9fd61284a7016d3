/**
 * The risk model core (pure: no AWS). Builds the leak-free training set from prices, trains
 * the random forest on any training set with an honest time-ordered evaluation against
 * baselines, and packages, validates and applies model artifacts. Conventions: docs/model.md.
 */
export type { RiskLevel, TrainingSet, TrainingRow, LabelRule, EvaluationReport, ClassThresholds, ClassificationMetrics } from './types.ts';
export { RISK_LEVELS, datesOf } from './types.ts';
export type { ModelArtifact } from './artifact.ts';
export { TRAIN_DEFAULTS } from './defaults.ts';
export { buildTrainingSet } from './dataset.ts';
export { trainRiskModel } from './train.ts';
export type { TrainOptions, TrainResult } from './train.ts';
export { evaluateArtifact } from './evaluation.ts';
export { predictRiskLevel } from './predict.ts';
export type { FeatureContribution } from './predict.ts';
export { serializeArtifact, parseArtifact } from './artifact.ts';
export { ModelArtifactError, InsufficientHistoryError, TrainingDataError } from './errors.ts';

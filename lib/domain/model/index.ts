/**
 * The risk model core (pure: no AWS). Builds the leak-free training set from prices, trains
 * the random forest with an honest time-ordered evaluation against baselines, and packages,
 * validates and applies model artifacts. Conventions: docs/model.md.
 */
export type { RiskLevel, TrainingSet, TrainingRow, EvaluationReport, ClassThresholds, ClassificationMetrics } from './types.ts';
export { RISK_LEVELS } from './types.ts';
export type { ModelArtifact } from './artifact.ts';
export { buildTrainingSet, DEFAULT_HORIZON } from './dataset.ts';
export { trainRiskModel, TRAIN_DEFAULTS } from './train.ts';
export type { TrainOptions, TrainResult } from './train.ts';
export { evaluateArtifact, predictRiskLevel } from './predict.ts';
export type { FeatureContribution } from './predict.ts';
export { serializeArtifact, parseArtifact } from './artifact.ts';
export { ModelError, ModelArtifactError, InsufficientHistoryError, TrainingDataError } from './errors.ts';

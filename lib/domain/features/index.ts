/** Feature computation for the risk model (pure; see docs/model.md for every definition). */
export {
  FEATURE_DEFINITIONS,
  MAX_LOOKBACK,
  EWMA_LAMBDA,
  FeatureInputError,
  availableFeatureNames,
  computeFeatureColumns,
  featureDefinition,
  seriesInputs,
  simpleReturnsAligned,
  trailingVolatility,
} from './feature-set.ts';
export type { FeatureDefinition, FeatureInputs, FeatureRequirement } from './feature-set.ts';

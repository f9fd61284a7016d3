/** Feature computation for the risk model (pure; see docs/model.md for every definition). */
export {
  FEATURE_DEFINITIONS,
  MAX_LOOKBACK,
  FeatureInputError,
  availableFeatureNames,
  computeFeatureColumns,
  seriesInputs,
  trailingVolatility,
} from './feature-set.ts';
export type { FeatureDefinition, FeatureInputs, FeatureRequirement } from './feature-set.ts';

/** Feature computation for the risk model (pure; see docs/model.md for every definition). */
export {
  availableFeatureNames,
  computeFeatureColumns,
  FEATURE_DEFINITIONS,
  FeatureInputError,
  MAX_LOOKBACK,
  seriesInputs,
  trailingVolatility,
} from './feature-set.ts';

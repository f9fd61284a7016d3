/** Feature computation for the risk model (pure; see docs/model.md for every definition). */
export { computeFeatureRow } from './feature-row.ts';
export {
  availableFeatureNames,
  computeFeatureColumns,
  crossSectionColumns,
  FEATURE_DEFINITIONS,
  FeatureInputError,
  HAR_WINDOWS,
  LOG_VOL_FLOOR,
  logVolatility,
  MAX_LOOKBACK,
  realisedVolatility,
  seriesInputs,
  splitCrossSectional,
  trailingVolatility,
} from './feature-set.ts';

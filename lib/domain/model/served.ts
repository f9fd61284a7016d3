/**
 * What the model serves for feature rows: the forest's vote shares through the calibration map,
 * pooled with the HAR baseline when the map says so (calibration.ts). Kept apart from training
 * so scoring imports no trainer.
 */
import { type Calibration, calibrate, harWeightAt, poolWithHar } from './calibration.ts';
import { reindex } from './class-order.ts';
import type { FittedForest } from './forest-adapter.ts';
import { type HarModel, harComponentsOf, harFeatureColumns, harForecast, harProbabilitiesFor } from './har.ts';
import type { LabelRule } from './types.ts';

/**
 * Served probabilities of feature rows `X` (in the model's feature order), in `classes` order:
 * the forest's vote shares through the calibration map, pooled with HAR (fitted on the same
 * training rows) when the map says so: with the fitted weight inside the forest's trust region,
 * leaning to HAR where the row's HAR forecast lies in a sparse tail of, or beyond, the forest's
 * training rows (calibration.ts `HarTrust`).
 */
export function servedProbabilities(
  forest: FittedForest,
  calibration: Calibration,
  har: HarModel | null,
  rule: LabelRule,
  featureNames: readonly string[],
  X: readonly (readonly number[])[],
  classes: readonly string[],
): number[][] {
  const cols = harFeatureColumns(featureNames);
  const pool = (calibration.harWeight > 0 || calibration.harTrust !== undefined) && har !== null && cols !== null && rule.kind === 'volatility-bands';
  return forest.predictProba(X).map((raw, r) => {
    const calibrated = calibrate(calibration, reindex(raw, forest.classes, calibration.classes));
    if (!pool) return reindex(calibrated, calibration.classes, classes);
    const components = harComponentsOf(X[r], cols);
    const h = harProbabilitiesFor(har, components, rule.thresholds, calibration.classes);
    const w = h === null ? 0 : harWeightAt(calibration, harForecast(har, components));
    return reindex(poolWithHar(calibration, calibrated, h, w), calibration.classes, classes);
  });
}

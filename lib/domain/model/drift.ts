/**
 * Feature drift: how far the data a model now sees has moved from the data it was trained on,
 * as the population stability index (PSI) per feature.
 *
 * A model stores, for each feature, the decile bins of its training values and the share of
 * training rows in each ({@link featureDistribution}); drift bins recent values the same way and
 * compares the shares ({@link populationStabilityIndex}). Deciles of the training values, not
 * fixed-width bins, so every bin starts with about a tenth of the rows whatever the feature's
 * scale or skew, and PSI's usual reading applies: below 0.1 stable, 0.1–0.25 a moderate shift,
 * above {@link PSI_RETRAIN_THRESHOLD} a shift large enough to retrain.
 */
import { computeFeatureColumns } from '../features/index.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import { sortedCopy } from '../risk/quantile.ts';
import { TrainingDataError } from './errors.ts';

/** Number of quantile bins a training distribution aims for (deciles). */
export const DRIFT_BINS = 10;

/**
 * PSI above which a feature has drifted enough that the model should be retrained (the
 * conventional "significant shift" level; a drift check exits non-zero above it).
 */
export const PSI_RETRAIN_THRESHOLD = 0.25;

/**
 * Share used in place of an empty bin's share (either side) so PSI stays finite: a bin with
 * no recent rows contributes about 0.1 × ln(0.1 / 0.0001) ≈ 0.7, which flags the shift
 * without letting one empty bin make the index infinite.
 */
export const PSI_EMPTY_BIN_SHARE = 1e-4;

/**
 * The training distribution of one feature.
 *
 * Bin k holds values v with edges[k−1] < v ≤ edges[k]; the first bin is v ≤ edges[0] and the
 * last v > edges[edges.length−1], so every real number falls in exactly one bin and
 * `proportions.length === edges.length + 1`. Edges are the training values' deciles (type 1:
 * the smallest value with at least k/10 of the values at or below it), strictly increasing (tied deciles are merged, so a feature with few distinct values has
 * fewer bins). Proportions are the training rows' shares per bin; they sum to 1.
 */
export interface FeatureDistribution {
  edges: number[];
  proportions: number[];
}

/** One feature's drift: the PSI and the training vs recent share per bin. */
export interface FeatureDrift {
  feature: string;
  psi: number;
  /** True when `psi` > {@link PSI_RETRAIN_THRESHOLD}. */
  drifted: boolean;
  expected: number[];
  actual: number[];
}

/** Drift of every feature of a model on one recent sample. */
export interface DriftReport {
  /** Rows of recent data the shares come from. */
  rows: number;
  threshold: number;
  features: FeatureDrift[];
  /** The largest PSI over the features (0 when there are none). */
  maxPsi: number;
  /** Names of the features above the threshold, in the model's feature order. */
  drifted: string[];
}

function assertFinite(values: ArrayLike<number>, what: string): void {
  if (values.length === 0) throw new TrainingDataError(`${what}: no values to bin`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new TrainingDataError(`${what}: value ${values[i]} at row ${i} is not a finite number`, { row: i });
  }
}

/** Index of the bin `v` falls in under `edges` (binary search; see {@link FeatureDistribution}). */
function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  // First edge ≥ v: v ≤ edges[k] puts it in bin k; past every edge, the last bin.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Shares of `values` in each bin of `edges` (length edges.length + 1, summing to 1). */
function binShares(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) counts[binOf(edges, values[i])]++;
  return counts.map((c) => c / values.length);
}

/**
 * The decile bins of one feature's training values and the share of values in each.
 * @param values the feature's value on every training row (finite; at least one)
 * @throws TrainingDataError on an empty input or a non-finite value
 */
export function featureDistribution(values: ArrayLike<number>): FeatureDistribution {
  assertFinite(values, 'feature distribution');
  const sorted = sortedCopy(values);
  const edges: number[] = [];
  // The maximum is never an edge: a bin above it would be empty by construction.
  for (let k = 1; k < DRIFT_BINS; k++) {
    // Type-1 quantile (an observed value, never interpolated), so a discrete feature's edges sit on
    // its values and no bin is empty by construction.
    const q = sorted[Math.ceil((sorted.length * k) / DRIFT_BINS) - 1];
    if (q < sorted[sorted.length - 1] && (edges.length === 0 || q > edges[edges.length - 1])) edges.push(q);
  }
  return { edges, proportions: binShares(edges, sorted) };
}

/**
 * Population stability index of recent values against a training distribution:
 * Σ_k (a_k − e_k) · ln(a_k / e_k) over the bins, with e the training shares, a the recent
 * shares, and an empty bin's share on either side replaced by {@link PSI_EMPTY_BIN_SHARE}.
 * 0 when the shares match; symmetric in e and a; unitless.
 * @throws TrainingDataError when `recent` is empty or holds a non-finite value
 */
export function populationStabilityIndex(expected: FeatureDistribution, recent: ArrayLike<number>): number {
  assertFinite(recent, 'population stability index');
  return psiOfShares(expected.proportions, binShares(expected.edges, recent));
}

function psiOfShares(expected: readonly number[], actual: readonly number[]): number {
  let psi = 0;
  for (let k = 0; k < expected.length; k++) {
    const e = Math.max(expected[k], PSI_EMPTY_BIN_SHARE);
    const a = Math.max(actual[k], PSI_EMPTY_BIN_SHARE);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/**
 * PSI of each column of recent feature rows against the model's training distribution of it.
 * @param distributions the model's training distributions, by feature name
 * @param featureNames the columns of `rows`, all checked; each must be a feature of the model
 * @param rows recent feature vectors in `featureNames` order (at least one)
 * @param threshold PSI above which a feature counts as drifted
 * @throws TrainingDataError naming the columns the model has no distribution for, or on no rows
 */
export function driftReport(
  distributions: Readonly<Record<string, FeatureDistribution>>,
  featureNames: readonly string[],
  rows: readonly (readonly number[])[],
  threshold = PSI_RETRAIN_THRESHOLD,
): DriftReport {
  const unknown = featureNames.filter((f) => !Object.hasOwn(distributions, f));
  if (unknown.length > 0) {
    throw new TrainingDataError(`the model has no training distribution for feature(s): ${unknown.join(', ')}`, { column: unknown[0] });
  }
  if (rows.length === 0) throw new TrainingDataError('drift check: no recent rows');
  const features = featureNames.map((feature, column) => {
    const values = rows.map((r) => r[column]);
    assertFinite(values, `drift of ${feature}`);
    const expected = distributions[feature].proportions;
    const actual = binShares(distributions[feature].edges, values);
    const psi = psiOfShares(expected, actual);
    return { feature, psi, drifted: psi > threshold, expected, actual };
  });
  return {
    rows: rows.length,
    threshold,
    features,
    maxPsi: features.reduce((m, f) => Math.max(m, f.psi), 0),
    drifted: features.filter((f) => f.drifted).map((f) => f.feature),
  };
}

/** Trading days of recent data a drift check compares with the training distributions (about a quarter). */
export const DRIFT_RECENT_DAYS = 63;

/**
 * The feature rows of each series' last `days` dates (fewer when its history is shorter; dates
 * whose features are not all finite, e.g. before the longest window fills, are left out), computed
 * from prices up to each date exactly as training does. The recent sample a drift check bins.
 * @param featureNames the model's features, in its order
 */
export function recentFeatureRows(
  series: readonly PriceSeries[],
  featureNames: readonly string[],
  days = DRIFT_RECENT_DAYS,
  opts: { benchmark?: PriceSeries } = {},
): number[][] {
  const rows: number[][] = [];
  for (const s of series) {
    const cols = computeFeatureColumns(s, featureNames, opts);
    const n = s.dates.length;
    for (let t = Math.max(0, n - days); t < n; t++) {
      const features = cols.map((c) => c[t]);
      if (features.every(Number.isFinite)) rows.push(features);
    }
  }
  return rows;
}

/** The drift report as a few lines of text (model cards, `riskfn drift`): one line per feature, largest PSI first. */
export function formatDriftReport(report: DriftReport): string {
  const width = Math.max(7, ...report.features.map((f) => f.feature.length));
  const lines = [
    `Drift (population stability index of ${report.rows} recent rows against the training distribution; retrain above ${report.threshold}):`,
    ...[...report.features].sort((a, b) => b.psi - a.psi).map((f) => `  ${f.feature.padEnd(width)}  ${f.psi.toFixed(4)}${f.drifted ? '  DRIFTED' : ''}`),
    report.drifted.length > 0 ? `Drifted: ${report.drifted.join(', ')}: retrain.` : 'No feature above the threshold.',
  ];
  return lines.join('\n');
}

/**
 * The leak-free training set built from prices: one row per instrument-day whose features are
 * computed only from prices up to that day, labelled with the risk level of the next
 * `horizon` trading days (labels.ts). Rows without complete trailing windows or without a
 * full forward horizon are left out.
 */

import {
  availableFeatureNames,
  computeFeatureColumns,
  crossSectionColumns,
  MAX_LOOKBACK,
  seriesInputs,
  splitCrossSectional,
  trailingVolatility,
} from '../features/index.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import { TRAIN_DEFAULTS } from './defaults.ts';
import { TrainingDataError } from './errors.ts';
import { type HarComponents, realizedVolatilityComponents } from './har.ts';
import { labelVolatilityBands } from './labels.ts';
import type { ClassThresholds, TrainingSet } from './types.ts';

export interface BuildTrainingSetOptions {
  /** Label horizon in trading days (default TRAIN_DEFAULTS.horizon). */
  horizon?: number;
  /** Benchmark series: adds the beta feature. */
  benchmark?: PriceSeries;
  /** Class bounds in annualised volatility (default DEFAULT_VOLATILITY_BANDS: 15 % and 25 %). */
  thresholds?: ClassThresholds;
  /**
   * Add the cross-sectional features (market_vol_21, vol_rank_21) computed across `series`.
   * Off by default: a model using them cannot score one instrument alone (a scoring request).
   */
  crossSection?: boolean;
}

/** What rows are built from besides the series: see {@link BuildTrainingSetOptions}. */
interface RowOptions {
  benchmark?: PriceSeries;
  crossSection?: boolean;
}

/** An instrument-day before labelling: `forwardVol` is the label source. */
export interface VolatilityRow {
  symbol: string;
  date: string;
  features: number[];
  /** Annualised std (ddof 1) of the `horizon` simple returns after `date`. */
  forwardVol: number;
  /** Daily, weekly, monthly realised volatility up to `date` (the HAR baseline's regressors). */
  realized: HarComponents;
}

function validateHorizon(h: number): number {
  if (!Number.isInteger(h) || h < 2) throw new TrainingDataError(`horizon must be an integer >= 2 trading days, got ${h}`);
  return h;
}

/**
 * Feature names a set of series supports together: OHLC and volume features only when every
 * series has them (a model needs the same columns for every row), beta when a benchmark is given.
 */
function commonFeatureNames(series: readonly PriceSeries[], opts: RowOptions): string[] {
  const inputs = series.map((s) => seriesInputs(s, opts.benchmark));
  return availableFeatureNames({
    ohlc: inputs.every((i) => i.ohlc),
    volume: inputs.every((i) => i.volume),
    benchmark: opts.benchmark !== undefined,
    crossSection: opts.crossSection === true,
  });
}

/** The unlabelled rows of `series`, sorted by (date, symbol); a series too short for one complete row gives none. */
export function volatilityRows(series: readonly PriceSeries[], horizon: number, opts: RowOptions = {}): { featureNames: string[]; rows: VolatilityRow[] } {
  validateHorizon(horizon);
  if (series.length === 0) throw new TrainingDataError('no price series given');
  const seen = new Set<string>();
  const symbols = series.map((s, i) => {
    const sym = s.symbol ?? `series${i + 1}`;
    if (seen.has(sym)) throw new TrainingDataError(`two price series have the symbol '${sym}'`);
    seen.add(sym);
    return sym;
  });
  const featureNames = commonFeatureNames(series, opts);
  const { perSeries, crossSectional } = splitCrossSectional(featureNames);
  const cross = crossSectional.length > 0 ? crossSectionColumns(series, crossSectional) : null;
  const rows: VolatilityRow[] = [];
  series.forEach((s, k) => {
    if (s.dates.length <= MAX_LOOKBACK + horizon) return;
    const own = computeFeatureColumns(s, perSeries, { benchmark: opts.benchmark });
    // Back in the catalogue's order (the cross-sectional features come last in it).
    const cols = cross ? [...own, ...cross[k]] : own;
    const vol = trailingVolatility(s.close, horizon);
    const rv = realizedVolatilityComponents(s.close);
    const n = s.dates.length;
    for (let t = MAX_LOOKBACK; t + horizon < n; t++) {
      const features = cols.map((c) => c[t]);
      if (!features.every(Number.isFinite)) continue;
      // The trailing volatility `horizon` days on is the forward volatility of today.
      const realized = { daily: rv.daily[t], weekly: rv.weekly[t], monthly: rv.monthly[t] };
      rows.push({ symbol: symbols[k], date: s.dates[t], features, forwardVol: vol[t + horizon], realized });
    }
  });
  rows.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return { featureNames, rows };
}

/** Builds and labels the training set of `series` (fixed volatility bands; see labels.ts). */
export function buildTrainingSet(series: readonly PriceSeries[], opts: BuildTrainingSetOptions = {}): TrainingSet {
  const horizon = opts.horizon ?? TRAIN_DEFAULTS.horizon;
  const { featureNames, rows } = volatilityRows(series, horizon, { benchmark: opts.benchmark, crossSection: opts.crossSection });
  if (rows.length === 0) throw new TrainingDataError('the training set has no rows (price histories too short for the features and horizon?)');
  const { labelRule, labels } = labelVolatilityBands(rows, horizon, opts.thresholds);
  const set: TrainingSet = {
    labelRule,
    featureNames,
    rows: rows.map((r, i) => ({
      symbol: r.symbol,
      date: r.date,
      features: r.features,
      label: labels[i],
      volatility: { ...r.realized, forward: r.forwardVol },
    })),
  };
  if (opts.benchmark) set.benchmark = opts.benchmark.symbol ?? 'benchmark';
  return set;
}

/**
 * The leak-free training set: one row per instrument-day whose features are computed only
 * from prices up to that day, and whose forward volatility (the label source) covers the
 * next `horizon` trading days. Rows without complete trailing windows or without a full
 * forward horizon are left out.
 */
import type { PriceSeries } from '../prices/price-series.ts';
import {
  MAX_LOOKBACK,
  availableFeatureNames,
  computeFeatureColumns,
  seriesInputs,
  trailingVolatility,
} from '../features/index.ts';
import { TrainingDataError } from './errors.ts';
import type { TrainingRow, TrainingSet } from './types.ts';

export const DEFAULT_HORIZON = 21;

export interface BuildTrainingSetOptions {
  /** Label horizon in trading days (default 21). */
  horizon?: number;
  /** Benchmark series: adds the beta feature. */
  benchmark?: PriceSeries;
}

export function validateHorizon(h: number): number {
  if (!Number.isInteger(h) || h < 2) throw new TrainingDataError(`horizon must be an integer >= 2 trading days, got ${h}`);
  return h;
}

/**
 * Feature names a set of series supports together: OHLC and volume features only when every
 * series has them (a model needs the same columns for every row), beta when a benchmark is given.
 */
export function commonFeatureNames(series: readonly PriceSeries[], benchmark?: PriceSeries): string[] {
  const inputs = series.map((s) => seriesInputs(s, benchmark));
  return availableFeatureNames({
    ohlc: inputs.every((i) => i.ohlc),
    volume: inputs.every((i) => i.volume),
    benchmark: benchmark !== undefined,
  });
}

export function buildTrainingSet(series: PriceSeries[], opts: BuildTrainingSetOptions = {}): TrainingSet {
  const horizon = validateHorizon(opts.horizon ?? DEFAULT_HORIZON);
  if (series.length === 0) throw new TrainingDataError('no price series given');
  const seen = new Set<string>();
  const symbols = series.map((s, i) => {
    const sym = s.symbol ?? `series${i + 1}`;
    if (seen.has(sym)) throw new TrainingDataError(`two price series have the symbol '${sym}'`);
    seen.add(sym);
    return sym;
  });
  const featureNames = commonFeatureNames(series, opts.benchmark);
  const rows: TrainingRow[] = [];
  series.forEach((s, k) => {
    if (s.dates.length <= MAX_LOOKBACK + horizon) return; // too short for a single complete row
    const cols = computeFeatureColumns(s, featureNames, { benchmark: opts.benchmark });
    const tv = trailingVolatility(s.close, horizon);
    const n = s.dates.length;
    for (let t = MAX_LOOKBACK; t + horizon < n; t++) {
      const features = cols.map((c) => c[t]);
      if (!features.every(Number.isFinite)) continue;
      rows.push({ symbol: symbols[k], date: s.dates[t], features, forwardVol: tv[t + horizon], trailingVol: tv[t] });
    }
  });
  rows.sort(compareRows);
  const set: TrainingSet = { horizon, featureNames, rows };
  if (opts.benchmark) set.benchmark = opts.benchmark.symbol ?? 'benchmark';
  return set;
}

export function compareRows(a: { date: string; symbol: string }, b: { date: string; symbol: string }): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

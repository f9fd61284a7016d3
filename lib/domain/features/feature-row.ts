/**
 * The features of one date — the last of a series — without computing them for every date:
 * scoring needs one row, and the history behind it can be years long.
 *
 * Each feature is computed by the same code as for a whole column (computeFeatureColumns), on
 * the trailing prices its value depends on (FeatureDefinition.prices): a window statistic is
 * evaluated once on the last window instead of on every window of the history, while a
 * recursive feature (EWMA, Wilder's ATR) still runs over the whole history, since its value
 * depends on all of it. The values are therefore the same, to the bit, as the last row of the
 * columns.
 */
import type { PriceSeries } from '../prices/price-series.ts';
import { checkFeatureInputs, computeFeatureColumns, FEATURE_DEFINITIONS } from './feature-set.ts';

const PRICES_NEEDED = new Map(FEATURE_DEFINITIONS.map((d) => [d.name, d.prices]));

/** The last `count` dates of `series` (count ≤ its length), every per-date column cut alike (views, no copy of the prices). */
function lastPrices(series: PriceSeries, count: number): PriceSeries {
  const start = series.dates.length - count;
  const out: PriceSeries = { ...series, dates: series.dates.slice(start), close: series.close.subarray(start) };
  for (const key of ['rawClose', 'open', 'high', 'low', 'volume'] as const) {
    const column = series[key];
    if (column) out[key] = column.subarray(start);
  }
  return out;
}

/**
 * The named features on the last date of `series`, in `names` order: equal (bit for bit) to
 * the last row of `computeFeatureColumns(series, names, opts)`, NaN where that row is. Throws
 * the same FeatureInputError for an unknown name or a missing input.
 */
export function computeFeatureRow(series: PriceSeries, names: readonly string[], opts: { benchmark?: PriceSeries } = {}): number[] {
  checkFeatureInputs(series, names, opts.benchmark);
  const n = series.dates.length;
  if (n === 0) return names.map(() => Number.NaN);
  // Features needing the same number of trailing prices are computed together (shared work such
  // as the moments behind skew and kurtosis stays shared).
  const byLength = new Map<number, string[]>();
  for (const name of names) {
    const needed = PRICES_NEEDED.get(name) as number | 'all';
    const length = needed === 'all' ? n : Math.min(needed, n);
    const group = byLength.get(length);
    if (group) group.push(name);
    else byLength.set(length, [name]);
  }
  const value = new Map<string, number>();
  for (const [length, group] of byLength) {
    const columns = computeFeatureColumns(length === n ? series : lastPrices(series, length), group, opts);
    group.forEach((name, i) => {
      value.set(name, columns[i][length - 1]);
    });
  }
  return names.map((name) => value.get(name) as number);
}

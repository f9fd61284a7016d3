/**
 * Turns the curated bars of one symbol (read from any number of objects, in any order) into
 * a PriceSeries: one bar per date, the one with the highest (sequenceNumber, index) winning
 * (a later record corrects an earlier one; within a record, the later bar wins), dates
 * ascending.
 */
import type { CuratedBar } from '../../schemas/price-bar.ts';
import type { PriceSeries } from '../prices/price-series.ts';

/** Bars of another symbol among a symbol's bars: a corrupt lake, so a plain Error (see CuratedObjectError). */
export class LakeSeriesError extends Error {
  override name = 'LakeSeriesError';
}

/** Orders bars by provenance: sequence numbers as big integers (they exceed 2^53), then index. */
export function compareProvenance(a: Pick<CuratedBar, 'sequenceNumber' | 'index'>, b: Pick<CuratedBar, 'sequenceNumber' | 'index'>): number {
  const sa = BigInt(a.sequenceNumber);
  const sb = BigInt(b.sequenceNumber);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.index - b.index;
}

/** One bar per date (the latest by provenance), sorted by date ascending. */
export function dedupeBars(bars: Iterable<CuratedBar>): CuratedBar[] {
  const byDate = new Map<string, CuratedBar>();
  for (const b of bars) {
    const seen = byDate.get(b.date);
    if (!seen || compareProvenance(b, seen) > 0) byDate.set(b.date, b);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Builds the series of `symbol` from its curated bars; null when there are none.
 * open/high/low (and volume) are included only when every kept bar has them.
 */
export function assemblePriceSeries(symbol: string, bars: Iterable<CuratedBar>): PriceSeries | null {
  const kept = dedupeBars(bars);
  if (kept.length === 0) return null;
  const other = kept.find((b) => b.symbol !== symbol);
  if (other) throw new LakeSeriesError(`bar for ${other.symbol} on ${other.date} found among the bars of ${symbol}`);
  const column = (get: (b: CuratedBar) => number | undefined): Float64Array | undefined => {
    const out = new Float64Array(kept.length);
    for (let i = 0; i < kept.length; i++) {
      const v = get(kept[i]!);
      if (v === undefined) return undefined;
      out[i] = v;
    }
    return out;
  };
  const series: PriceSeries = { symbol, dates: kept.map((b) => b.date), close: column((b) => b.close)! };
  const open = column((b) => b.open);
  const high = column((b) => b.high);
  const low = column((b) => b.low);
  if (open && high && low) Object.assign(series, { open, high, low });
  const volume = column((b) => b.volume);
  if (volume) series.volume = volume;
  return series;
}

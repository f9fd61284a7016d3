/**
 * Turns the lake bars of one symbol (read from any number of compacted and staging objects, in
 * any order) into a PriceSeries: one bar per date — the latest version by
 * {@link compareBarVersions} — dates ascending. Compaction keeps the same rule, so a read
 * before and after compaction gives the same series.
 */
import type { PriceSeries } from '../prices/price-series.ts';
import type { LakeBar } from './bar-schema.ts';

/** Bars of another symbol among a symbol's bars: a caller bug (readers check each object's partition first). */
export class LakeSeriesError extends Error {
  override name = 'LakeSeriesError';
}

/** The fields that order two versions of one (symbol, date). */
export type BarVersion = Pick<LakeBar, 'arrivalTime' | 'shardId' | 'sequenceNumber' | 'barIndex'>;

/**
 * The dedupe rule, latest revision wins: positive when `a` is a later version than `b`. Versions
 * order by (arrival time, shard id, sequence number as a big integer, bar index): a later record
 * corrects an earlier one, and within a record the later bar wins. Sequence numbers exceed 2^53,
 * so they are compared as BigInt, never as text or doubles. Zero only for the same bar.
 */
export function compareBarVersions(a: BarVersion, b: BarVersion): number {
  if (a.arrivalTime !== b.arrivalTime) return a.arrivalTime - b.arrivalTime;
  if (a.shardId !== b.shardId) return a.shardId < b.shardId ? -1 : 1;
  const sa = BigInt(a.sequenceNumber);
  const sb = BigInt(b.sequenceNumber);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.barIndex - b.barIndex;
}

/** One bar per date (the latest version), sorted by date ascending. Deterministic for any input order. */
export function latestBarPerDate<B extends LakeBar>(bars: Iterable<B>): B[] {
  const byDate = new Map<string, B>();
  for (const b of bars) {
    const seen = byDate.get(b.date);
    if (!seen || compareBarVersions(b, seen) > 0) byDate.set(b.date, b);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Builds the series of `symbol` from its lake bars; null when there are none.
 * open/high/low (and volume) are included only when every kept bar has them.
 * Throws LakeSeriesError when a bar belongs to another symbol.
 */
export function assemblePriceSeries(symbol: string, bars: Iterable<LakeBar>): PriceSeries | null {
  const kept = latestBarPerDate(bars);
  if (kept.length === 0) return null;
  const other = kept.find((b) => b.symbol !== symbol);
  if (other) throw new LakeSeriesError(`bar for ${other.symbol} on ${other.date} found among the bars of ${symbol}`);
  const column = (get: (b: LakeBar) => number | null): Float64Array | undefined => {
    const out = new Float64Array(kept.length);
    for (let i = 0; i < kept.length; i++) {
      const v = get(kept[i]!);
      if (v === null) return undefined;
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

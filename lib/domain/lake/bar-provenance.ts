/**
 * Where the bars of a series came from: each kept bar (the latest version of its date, the rule
 * the reader and compaction apply) names the Kinesis record it arrived in, whose bytes the raw
 * backup keeps under `raw/shard=<shardId>/<sequenceNumber>.json.gz`.
 */
import { latestBarPerDate } from './assemble-series.ts';
import type { LakeBar } from './bar-schema.ts';
import { rawObjectKey } from './keys.ts';

/** The raw records behind the bars of `dates`, with how many of those bars each one carried, in key order. */
export function rawRecordsOf(bars: Iterable<LakeBar>, dates: readonly string[]): { key: string; bars: number }[] {
  const wanted = new Set(dates);
  const counts = new Map<string, number>();
  for (const b of latestBarPerDate(bars)) {
    if (!wanted.has(b.date)) continue;
    const key = rawObjectKey({ shardId: b.shardId, sequenceNumber: b.sequenceNumber });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => ({ key, bars: n })).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/**
 * Seeds the lake on the emulators the way ingest and compaction lay it out: Parquet bars in
 * compacted objects (one per symbol and year) and staging objects (one per record and year).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../lib/adapters/clients.ts';
import type { LakeBar } from '../../lib/domain/lake/bar-schema.ts';
import { curatedObjectKey, stagingObjectKey } from '../../lib/domain/lake/keys.ts';
import { encodeBars, PARQUET_CONTENT_TYPE } from '../../lib/domain/lake/parquet-bars.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { lakeBar, TEST_SHARD } from './lake-bar.ts';

/** One lake bar per date of `series` (close only), each from its own single-bar record `1000 + i`. */
export function barsOfSeries(series: PriceSeries): LakeBar[] {
  return series.dates.map((date, i) =>
    lakeBar({ symbol: series.symbol!, date, close: series.close[i]!, sequenceNumber: String(1000 + i), arrivalTime: Date.UTC(2026, 0, 1) + i }),
  );
}

export async function putObject(bucket: string, key: string, body: Uint8Array | string): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: PARQUET_CONTENT_TYPE }));
}

/** Writes `bars` (one symbol) as compacted objects, one per year; returns their keys. */
export async function putCompacted(bucket: string, bars: readonly LakeBar[], folded: readonly string[] = []): Promise<string[]> {
  const byYear = new Map<number, LakeBar[]>();
  for (const b of bars) {
    const y = Number(b.date.slice(0, 4));
    byYear.set(y, [...(byYear.get(y) ?? []), b]);
  }
  const keys: string[] = [];
  for (const [year, rows] of byYear) {
    const key = curatedObjectKey({ symbol: rows[0]!.symbol, year });
    await putObject(bucket, key, encodeBars(rows, { folded }));
    keys.push(key);
  }
  return keys;
}

/** Writes `bars` (one symbol, one year) as the staging object of record `sequenceNumber`; returns its key. */
export async function putStaging(bucket: string, sequenceNumber: string, bars: readonly LakeBar[]): Promise<string> {
  const key = stagingObjectKey({ symbol: bars[0]!.symbol, shardId: TEST_SHARD, sequenceNumber, year: Number(bars[0]!.date.slice(0, 4)) });
  await putObject(bucket, key, encodeBars(bars));
  return key;
}

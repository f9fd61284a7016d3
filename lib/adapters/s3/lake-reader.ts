/**
 * Reads the curated lake back: the series of one symbol, and the list of symbols.
 * Listing uses the SDK paginator; objects are fetched with bounded concurrency; the
 * dedupe/assembly rules are pure (lib/domain/lake/assemble-series.ts).
 */
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { assemblePriceSeries } from '../../domain/lake/assemble-series.ts';
import { decodeCuratedObject } from '../../domain/lake/curated-object.ts';
import { curatedSymbolPrefix, parseCuratedKey, symbolOfPrefix } from '../../domain/lake/keys.ts';
import type { PriceSeries } from '../../domain/prices/price-series.ts';
import type { CuratedBar } from '../../schemas/price-bar.ts';
import { LruCache } from '../../util/lru-cache.ts';
import { mapWithConcurrency } from '../../util/map-with-concurrency.ts';
import { s3Client } from '../clients.ts';
import { getText } from './objects.ts';

/** GetObject calls in flight while reading one symbol. */
const READ_CONCURRENCY = 16;

/**
 * Decoded curated objects by S3 key, with the ETag they were decoded from. Curated objects are
 * written once per (record, partition) and only ever overwritten by a retry of the same record,
 * so a (key, ETag) pair always decodes to the same bars; a listing (one request) then tells
 * which objects must be fetched again.
 */
export type CuratedObjectCache = LruCache<string, { etag: string; bars: CuratedBar[] }>;

/** A cache for {@link readSeries}; least recently used objects go first beyond `maxObjects`. */
export function createCuratedObjectCache(maxObjects = 20_000): CuratedObjectCache {
  return new LruCache(maxObjects);
}

/** Curated objects of one symbol (every month), in listing order, with their ETags. */
async function listCuratedObjects(bucket: string, symbol: string): Promise<{ key: string; etag: string }[]> {
  const objects: { key: string; etag: string }[] = [];
  const pages = paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: curatedSymbolPrefix(symbol) });
  for await (const page of pages) {
    for (const o of page.Contents ?? []) if (o.Key && parseCuratedKey(o.Key)) objects.push({ key: o.Key, etag: o.ETag ?? '' });
  }
  return objects;
}

/**
 * The daily series of `symbol` (matched upper-cased, as ingest stores it), or null when the
 * lake has no bar for it. Duplicated dates keep the bar with the highest
 * (sequenceNumber, index); dates ascending; open/high/low/volume present only if every bar has them.
 * Pass a cache ({@link createCuratedObjectCache}) to skip re-reading unchanged objects.
 */
export async function readSeries(bucket: string, symbol: string, cache?: CuratedObjectCache): Promise<PriceSeries | null> {
  const sym = symbol.toUpperCase();
  if (!/^[A-Z0-9._^-]{1,32}$/.test(sym)) return null; // not a symbol ingest could have stored
  const objects = await listCuratedObjects(bucket, sym);
  if (objects.length === 0) return null;
  // With a cache, only objects new or changed since the last read (by ETag) are fetched.
  const perObject = await mapWithConcurrency(objects, READ_CONCURRENCY, async ({ key, etag }) => {
    const cached = etag ? cache?.get(key) : undefined;
    if (cached?.etag === etag) return cached.bars;
    const bars = decodeCuratedObject(key, await getText(bucket, key));
    if (etag) cache?.set(key, { etag, bars });
    return bars;
  });
  return assemblePriceSeries(sym, perObject.flat() as CuratedBar[]);
}

/** Every symbol with at least one curated object, sorted. */
export async function listSymbols(bucket: string): Promise<string[]> {
  const symbols: string[] = [];
  const pages = paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: DATA_LAKE_BUCKET.curatedPrefix, Delimiter: '/' });
  for await (const page of pages) {
    for (const p of page.CommonPrefixes ?? []) {
      const s = p.Prefix ? symbolOfPrefix(p.Prefix) : null;
      if (s) symbols.push(s);
    }
  }
  return symbols.sort();
}

/**
 * Reads the lake back: the series of one symbol, and the list of symbols. A symbol's bars are
 * its compacted objects (`curated/prices/year=Y/<S>.parquet`, one per year) plus the staging
 * objects compaction has not folded in yet; the dedupe and assembly rules are pure
 * (lib/domain/lake/assemble-series.ts). An object that does not decode is skipped, logged and
 * reported — never an exception — so one bad object cannot take a symbol down.
 */
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { assemblePriceSeries } from '../../domain/lake/assemble-series.ts';
import { decodePartitionObject } from '../../domain/lake/decode-partition-object.ts';
import { curatedObjectKey, parseCuratedKey, parseStagingKey, stagingSymbolPrefix, symbolOfStagingPrefix, yearOfCuratedPrefix } from '../../domain/lake/keys.ts';
import { CorruptLakeObjectError, type LakeObjectContent } from '../../domain/lake/parquet-bars.ts';
import type { PriceSeries } from '../../domain/prices/price-series.ts';
import { SYMBOL_PATTERN } from '../../schemas/price-bar.ts';
import { LruCache } from '../../util/lru-cache.ts';
import { mapWithConcurrency } from '../../util/map-with-concurrency.ts';
import { s3Client } from '../clients.ts';
import { type BytesWithEtag, getBytesWithEtag, NOT_MODIFIED } from './objects.ts';

/** GetObject calls in flight while reading one symbol. */
const READ_CONCURRENCY = 16;

/** Whole-read attempts when a listed staging object vanished before its GET (compaction folded and deleted it meanwhile). */
const READ_ATTEMPTS = 3;

/** An object left out of an answer, and why (the decode error, one sentence). */
export interface SkippedLakeObject {
  key: string;
  reason: string;
}

/**
 * One object a series was read from, as it was read: what pins the exact bytes behind an answer
 * (the audit trail's lineage records these).
 */
export interface LakeObjectRead {
  key: string;
  /** The ETag the bytes were read (or revalidated) with. */
  etag: string;
  /** The object version, when the bucket is versioned and the GET said so (S3 in AWS; s3rver has none). */
  versionId?: string;
  /** A compacted object: how many staging objects it folded in (its `riskfn.folded` watermark). */
  folded?: number;
}

/** What {@link readSeries} found: the series (null when no bar could be read), the objects it skipped, and those it read. */
export interface LakeSeriesRead {
  series: PriceSeries | null;
  /** Corrupt objects left out, in key order; empty when every object was read. */
  skipped: SkippedLakeObject[];
  /** The objects whose bars were assembled into `series`, in key order. */
  objects: LakeObjectRead[];
}

/** Where skipped objects are reported; a Powertools Logger fits. */
export interface LakeReadLogger {
  warn(message: string, details: { key: string; reason: string; symbol: string }): void;
}

type CachedObject = ({ etag: string; content: LakeObjectContent } | { etag: string; corrupt: string }) & { versionId?: string };

/**
 * Decoded lake objects by S3 key, with the ETag they were decoded from. A (key, ETag) pair always
 * decodes to the same content, so a staging object listed with an unchanged ETag is not fetched
 * again, and a compacted object is fetched with `If-None-Match` (304 = the cached content).
 * Corrupt objects are cached too, so they are not downloaded on every request.
 */
export type LakeObjectCache = LruCache<string, CachedObject>;

/** A cache for {@link readSeries}; least recently used objects go first beyond `maxObjects`. */
export function createLakeObjectCache(maxObjects = 20_000): LakeObjectCache {
  return new LruCache(maxObjects);
}

/** Decodes, turning a corrupt object into a cacheable verdict. */
async function decodeOrVerdict(key: string, got: BytesWithEtag): Promise<CachedObject> {
  const { etag, versionId } = got;
  const version = versionId === undefined ? {} : { versionId };
  try {
    return { etag, content: await decodePartitionObject(key, got.bytes), ...version };
  } catch (err) {
    if (err instanceof CorruptLakeObjectError) return { etag, corrupt: err.reason, ...version };
    throw err;
  }
}

/** The years that have compacted objects (one delimited LIST; at most 201 prefixes, one page). */
async function listCompactedYears(bucket: string): Promise<number[]> {
  const years: number[] = [];
  const pages = paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: DATA_LAKE_BUCKET.curatedPrefix, Delimiter: '/' });
  for await (const page of pages) {
    for (const p of page.CommonPrefixes ?? []) {
      const y = p.Prefix ? yearOfCuratedPrefix(p.Prefix) : null;
      if (y !== null) years.push(y);
    }
  }
  return years.sort((a, b) => a - b);
}

/** Staging objects of one symbol (every year), with their ETags. */
async function listStagingObjects(bucket: string, symbol: string): Promise<{ key: string; etag: string }[]> {
  const objects: { key: string; etag: string }[] = [];
  const pages = paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: stagingSymbolPrefix(symbol) });
  for await (const page of pages) {
    for (const o of page.Contents ?? []) if (o.Key && parseStagingKey(o.Key)) objects.push({ key: o.Key, etag: o.ETag ?? '' });
  }
  return objects;
}

/** The compacted object of (symbol, year): cached content when its ETag is unchanged; null when the symbol has no data that year. */
async function readCompacted(bucket: string, key: string, cache: LakeObjectCache | undefined): Promise<CachedObject | null> {
  const cached = cache?.get(key);
  const got = await getBytesWithEtag(bucket, key, cached?.etag || undefined);
  if (got === null) {
    cache?.delete(key);
    return null;
  }
  if (got === NOT_MODIFIED) return cached!;
  const verdict = await decodeOrVerdict(key, got);
  if (got.etag) cache?.set(key, verdict);
  return verdict;
}

/** A listed staging object: cached when its ETag is unchanged; null when it vanished since the listing. */
async function readStaging(bucket: string, key: string, etag: string, cache: LakeObjectCache | undefined): Promise<CachedObject | null> {
  const cached = etag ? cache?.get(key) : undefined;
  if (cached && cached.etag === etag) return cached;
  const got = await getBytesWithEtag(bucket, key);
  if (got === null) {
    cache?.delete(key);
    return null;
  }
  const verdict = await decodeOrVerdict(key, got);
  if (got.etag) cache?.set(key, verdict);
  return verdict;
}

/** One attempt; `vanished` = a listed staging object was gone by its GET, so the caller reads again. */
async function readOnce(bucket: string, symbol: string, cache: LakeObjectCache | undefined): Promise<{ objects: [string, CachedObject][]; vanished: boolean }> {
  // Order matters against a concurrent compaction, which commits the compacted object before it
  // deletes the staging objects it folded: listing staging first means every listed staging
  // object is either still there or folded into a compacted object committed before we GET it.
  const staging = await listStagingObjects(bucket, symbol);
  const years = await listCompactedYears(bucket);
  const compacted = await mapWithConcurrency(years, READ_CONCURRENCY, async (year) => {
    const key = curatedObjectKey({ symbol, year });
    return [key, await readCompacted(bucket, key, cache)] as const;
  });
  const folded = new Set<string>();
  for (const [, o] of compacted) if (o && 'content' in o) for (const k of o.content.folded) folded.add(k);
  const unfolded = staging.filter((s) => !folded.has(s.key));
  const fromStaging = await mapWithConcurrency(
    unfolded,
    READ_CONCURRENCY,
    async ({ key, etag }) => [key, await readStaging(bucket, key, etag, cache)] as const,
  );
  const objects: [string, CachedObject][] = [];
  for (const [key, o] of [...compacted, ...fromStaging]) if (o) objects.push([key, o]);
  return { objects, vanished: fromStaging.some(([, o]) => o === null) };
}

/**
 * The daily series of `symbol` (matched upper-cased, as ingest stores it) and the objects that
 * had to be skipped. Requests: one LIST of the symbol's staging prefix, one delimited LIST of
 * `curated/prices/` (the years), one GET per year (conditional when cached; 404 = no data that
 * year), and one GET per staging object not yet folded into a compacted object (none when its
 * ETag is cached). Duplicated dates keep the latest version (arrival time, shard, sequence number,
 * bar index); dates ascending; open/high/low/volume present only if every kept bar has them.
 * Corrupt objects are left out, logged through `logger`, and listed in `skipped`; the series is
 * null when no readable bar remains. If compaction deletes a listed staging object mid-read, the
 * read starts over (at most {@link READ_ATTEMPTS} times), so a concurrent compaction never hides bars.
 */
export async function readSeries(bucket: string, symbol: string, opts: { cache?: LakeObjectCache; logger?: LakeReadLogger } = {}): Promise<LakeSeriesRead> {
  const sym = symbol.toUpperCase();
  if (!SYMBOL_PATTERN.test(sym) || sym === '.' || sym === '..') return { series: null, skipped: [], objects: [] }; // not a symbol ingest could have stored
  let read = await readOnce(bucket, sym, opts.cache);
  for (let attempt = 2; read.vanished && attempt <= READ_ATTEMPTS; attempt++) read = await readOnce(bucket, sym, opts.cache);
  const skipped: SkippedLakeObject[] = [];
  const objects: LakeObjectRead[] = [];
  const bars = [];
  for (const [key, o] of read.objects) {
    if ('corrupt' in o) skipped.push({ key, reason: o.corrupt });
    else {
      bars.push(...o.content.bars);
      const folded = parseCuratedKey(key) ? { folded: o.content.folded.length } : {};
      objects.push({ key, etag: o.etag, ...(o.versionId === undefined ? {} : { versionId: o.versionId }), ...folded });
    }
  }
  skipped.sort((a, b) => (a.key < b.key ? -1 : 1));
  objects.sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const s of skipped) {
    const details = { ...s, symbol: sym };
    if (opts.logger) opts.logger.warn('lake object skipped: it does not decode as the bar schema', details);
    else console.warn(JSON.stringify({ level: 'WARN', message: 'lake object skipped', ...details }));
  }
  return { series: assemblePriceSeries(sym, bars), skipped, objects };
}

/**
 * Every symbol with at least one compacted or staging object, sorted. Cost: one delimited LIST
 * of `staging/prices/` (1 request per 1000 symbols with staging data) plus a LIST of
 * `curated/prices/` (1 request per 1000 compacted objects, i.e. per 1000 symbol-years) — no GET.
 */
export async function listSymbols(bucket: string): Promise<string[]> {
  const symbols = new Set<string>();
  const staging = paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: DATA_LAKE_BUCKET.stagingPrefix, Delimiter: '/' });
  for await (const page of staging) {
    for (const p of page.CommonPrefixes ?? []) {
      const s = p.Prefix ? symbolOfStagingPrefix(p.Prefix) : null;
      if (s) symbols.add(s);
    }
  }
  const compacted = paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: DATA_LAKE_BUCKET.curatedPrefix });
  for await (const page of compacted) {
    for (const o of page.Contents ?? []) {
      const parts = o.Key ? parseCuratedKey(o.Key) : null;
      if (parts) symbols.add(parts.symbol);
    }
  }
  return [...symbols].sort();
}

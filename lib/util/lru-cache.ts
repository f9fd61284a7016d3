/**
 * A bounded cache of decoded curated objects, keyed by S3 key and validated by ETag. Curated
 * objects are written once per (record, partition) and only ever overwritten by a retry of
 * the same record, so a (key, ETag) pair always decodes to the same bars; a listing (one
 * request) then tells which objects must be fetched again. Least recently used entries go
 * first when the cache is full.
 */
import type { CuratedBar } from '../../schemas/price-bar.ts';

export interface CuratedObjectCache {
  /** The bars of `key` if cached with this `etag`. */
  get(key: string, etag: string): CuratedBar[] | undefined;
  set(key: string, etag: string, bars: CuratedBar[]): void;
  readonly size: number;
}

export function createCuratedObjectCache(maxObjects = 20_000): CuratedObjectCache {
  if (!Number.isInteger(maxObjects) || maxObjects < 1) throw new RangeError(`maxObjects must be a positive integer, got ${maxObjects}`);
  const entries = new Map<string, { etag: string; bars: CuratedBar[] }>();
  return {
    get(key, etag) {
      const hit = entries.get(key);
      if (!hit || hit.etag !== etag) return undefined;
      entries.delete(key); // re-insert: Map order is recency order
      entries.set(key, hit);
      return hit.bars;
    },
    set(key, etag, bars) {
      entries.delete(key);
      entries.set(key, { etag, bars });
      while (entries.size > maxObjects) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
}

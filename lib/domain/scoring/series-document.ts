/**
 * A price series as a JSON document, the form the audit trail keeps of every series an answer
 * used (content-addressed by the SHA-256 of its canonical JSON) and reads back to replay the
 * answer. Every column a {@link PriceSeries} can carry is kept, so the series read back is the
 * one that was scored, number for number: canonical JSON writes each double as its shortest
 * round-tripping text.
 */
import { canonicalJsonParts } from '../../util/canonical-json.ts';
import { LruCache } from '../../util/lru-cache.ts';
import { DomainError } from '../errors.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import { hashParts } from './input-hash.ts';

/** The optional columns, in the order they are written (canonical JSON sorts keys anyway). */
const OPTIONAL_COLUMNS = ['rawClose', 'open', 'high', 'low', 'volume'] as const;

/** A stored series that is not one (code `INVALID_INPUT`): not JSON, a missing or ragged column, a number that is not finite. */
export class SeriesDocumentError extends DomainError {
  readonly code = 'INVALID_INPUT';
}

/** The document of `series`: `{ symbol (or null), dates, close, rawClose?, open?, high?, low?, volume? }`. */
export function seriesDocument(series: PriceSeries): Record<string, unknown> {
  const doc: Record<string, unknown> = { symbol: series.symbol ?? null, dates: series.dates, close: series.close };
  for (const c of OPTIONAL_COLUMNS) if (series[c]) doc[c] = series[c];
  return doc;
}

/** Hashes remembered: a portfolio of the most holdings the API allows (50), twice over. */
const REMEMBERED_HASHES = 100;
const remembered = new LruCache<string, { parts: string[]; sha256: string }>(REMEMBERED_HASHES);

/**
 * The hash of the pieces, remembered: canonical JSON hands out the same text object for a long
 * column it has written before, so a history seen again (every answer about DAX) is recognised by
 * comparing pieces, mostly by reference, instead of hashing its ~60 KB again on the hot path.
 */
function hashOfParts(parts: string[]): string {
  const key = parts.map((p) => p.length).join(',');
  const hit = remembered.get(key);
  if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.sha256;
  const sha256 = hashParts(parts);
  remembered.set(key, { parts, sha256 });
  return sha256;
}

/** The `sha256:<hex>` of the series' document and, on demand, its canonical JSON text (the pieces are written once for both). */
export function seriesCopy(series: PriceSeries): { sha256: string; text: () => string } {
  const parts = canonicalJsonParts(seriesDocument(series));
  return { sha256: hashOfParts(parts), text: () => parts.join('') };
}

/** The `sha256:<hex>` of the series' document (without building its text). */
export function seriesHash(series: PriceSeries): string {
  return hashOfParts(canonicalJsonParts(seriesDocument(series)));
}

const numbers = (v: unknown, name: string, n: number): Float64Array => {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new SeriesDocumentError(`stored series: ${name} is not an array of ${n} finite numbers`);
  }
  return Float64Array.from(v as number[]);
};

/** The series a document holds; {@link SeriesDocumentError} when the text is not one. */
export function parseSeriesDocument(text: string): PriceSeries {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new SeriesDocumentError(`stored series is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.dates) || !doc.dates.every((d) => typeof d === 'string')) {
    throw new SeriesDocumentError('stored series: dates is not an array of strings');
  }
  const dates = doc.dates as string[];
  const series: PriceSeries = { dates, close: numbers(doc.close, 'close', dates.length) };
  if (typeof doc.symbol === 'string') series.symbol = doc.symbol;
  for (const c of OPTIONAL_COLUMNS) if (doc[c] !== undefined) series[c] = numbers(doc[c], c, dates.length);
  return series;
}

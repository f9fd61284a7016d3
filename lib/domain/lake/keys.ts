/**
 * S3 key layout of the data lake (see docs/data-lake.md). Keys depend only on the Kinesis
 * shard id, sequence number, partition and (for quarantine) bar index, so a retried or
 * re-split batch overwrites the same objects instead of duplicating them.
 *
 * curated/prices/symbol=<SYMBOL>/month=<YYYY-MM>/<shardId>-<sequenceNumber>.jsonl
 * quarantine/reason=<CODE>/ingest_date=<YYYY-MM-DD>/<shardId>-<sequenceNumber>[-<barIndex>].json
 */
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { SYMBOL_PATTERN } from '../../schemas/price-bar.ts';
import { isQuarantineReason, type QuarantineReason } from '../../schemas/quarantine-reason.ts';

const CURATED = DATA_LAKE_BUCKET.curatedPrefix;
const QUARANTINE = DATA_LAKE_BUCKET.quarantinePrefix;

export interface CuratedKeyParts {
  symbol: string;
  /** `YYYY-MM` */
  month: string;
  shardId: string;
  sequenceNumber: string;
}

export interface QuarantineKeyParts {
  reason: QuarantineReason;
  /** UTC `YYYY-MM-DD` of the record's approximate arrival on the stream. */
  ingestDate: string;
  shardId: string;
  sequenceNumber: string;
  barIndex?: number;
}

/** A key part that could add or escape a path level: a caller bug (inputs are validated first), so a plain Error. */
export class LakeKeyError extends Error {
  override name = 'LakeKeyError';
}

/**
 * Kinesis shard ids are `shardId-` + digits (AWS and kinesalite alike); insisting on it keeps
 * `<shardId>-<sequenceNumber>-<barIndex>` parseable without ambiguity.
 */
const SHARD_ID = 'shardId-\\d+';
/** The ingest symbol rule without its anchors, to capture a symbol inside a key. */
const SYMBOL = SYMBOL_PATTERN.source.replace(/^\^|\$$/g, '');
const FORMATS = {
  symbol: SYMBOL_PATTERN,
  shardId: new RegExp(`^${SHARD_ID}$`),
  sequenceNumber: /^\d+$/,
} as const;

function segment(what: keyof typeof FORMATS, v: string): string {
  // Everything interpolated into a key must be unable to add or escape a path level.
  if (!FORMATS[what].test(v)) throw new LakeKeyError(`${what} "${v}" cannot be used in an S3 key`);
  return v;
}

/** Prefix holding every curated object of one symbol (ends with `/`). */
export function curatedSymbolPrefix(symbol: string): string {
  return `${CURATED}symbol=${segment('symbol', symbol)}/`;
}

export function curatedObjectKey(p: CuratedKeyParts): string {
  if (!/^\d{4}-\d{2}$/.test(p.month)) throw new LakeKeyError(`month "${p.month}" is not YYYY-MM`);
  return `${curatedSymbolPrefix(p.symbol)}month=${p.month}/${segment('shardId', p.shardId)}-${segment('sequenceNumber', p.sequenceNumber)}.jsonl`;
}

const CURATED_KEY = new RegExp(`^${escapeRegExp(CURATED)}symbol=(${SYMBOL})/month=(\\d{4}-\\d{2})/(${SHARD_ID})-(\\d+)\\.jsonl$`);

/** The parts of a curated object key, or null if the key is not one. */
export function parseCuratedKey(key: string): CuratedKeyParts | null {
  const m = CURATED_KEY.exec(key);
  return m ? { symbol: m[1]!, month: m[2]!, shardId: m[3]!, sequenceNumber: m[4]! } : null;
}

/** The symbol of a `curated/prices/symbol=X/` common prefix (from a Delimiter listing), or null. */
export function symbolOfPrefix(prefix: string): string | null {
  const m = new RegExp(`^${escapeRegExp(CURATED)}symbol=(${SYMBOL})/$`).exec(prefix);
  return m ? m[1]! : null;
}

export function quarantineObjectKey(p: QuarantineKeyParts): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(p.ingestDate)) throw new LakeKeyError(`ingestDate "${p.ingestDate}" is not YYYY-MM-DD`);
  if (p.barIndex !== undefined && !(Number.isInteger(p.barIndex) && p.barIndex >= 0)) {
    throw new LakeKeyError(`barIndex ${p.barIndex} is not a non-negative integer`);
  }
  const bar = p.barIndex === undefined ? '' : `-${p.barIndex}`;
  return `${QUARANTINE}reason=${p.reason}/ingest_date=${p.ingestDate}/${segment('shardId', p.shardId)}-${segment('sequenceNumber', p.sequenceNumber)}${bar}.json`;
}

const QUARANTINE_KEY = new RegExp(`^${escapeRegExp(QUARANTINE)}reason=([A-Z_]+)/ingest_date=(\\d{4}-\\d{2}-\\d{2})/(${SHARD_ID})-(\\d+)(?:-(\\d+))?\\.json$`);

export function parseQuarantineKey(key: string): QuarantineKeyParts | null {
  const m = QUARANTINE_KEY.exec(key);
  if (!m || !isQuarantineReason(m[1]!)) return null;
  const parts: QuarantineKeyParts = { reason: m[1], ingestDate: m[2]!, shardId: m[3]!, sequenceNumber: m[4]! };
  if (m[5] !== undefined) parts.barIndex = Number(m[5]);
  return parts;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * S3 key layout of the data lake (see docs/data-lake.md). Keys written by ingest depend only on
 * the Kinesis shard id, sequence number, partition and (for quarantine) bar index, so a retried
 * or re-split batch overwrites the same objects instead of duplicating them.
 *
 * raw/shard=<shardId>/<sequenceNumber>.json.gz
 * staging/prices/symbol=<SYMBOL>/<shardId>-<firstSequenceNumber>-<lastSequenceNumber>-<YYYY>.parquet   (one ingest invocation)
 * staging/prices/symbol=<SYMBOL>/<shardId>-<sequenceNumber>-<YYYY>-released-<barIndex>.parquet       (one released held bar)
 * staging/prices/symbol=<SYMBOL>/<shardId>-<sequenceNumber>-<YYYY>.parquet                           (one record: older ingest, still read)
 * curated/prices/year=<YYYY>/<SYMBOL>.parquet
 * quarantine/reason=<CODE>/ingest_date=<YYYY-MM-DD>/<shardId>-<sequenceNumber>[-<barIndex>].json
 * quarantine/reason=CORRUPT_OBJECT/ingest_date=<YYYY-MM-DD>/<key of the corrupt object>.json
 * failed/<shardId>/<firstSequenceNumber>-<lastSequenceNumber>.json
 */
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { SYMBOL_PATTERN } from '../../schemas/price-bar.ts';
import { isQuarantineReason, type QuarantineReason } from '../../schemas/quarantine-reason.ts';

const RAW = DATA_LAKE_BUCKET.rawPrefix;
const STAGING = DATA_LAKE_BUCKET.stagingPrefix;
const CURATED = DATA_LAKE_BUCKET.curatedPrefix;
const QUARANTINE = DATA_LAKE_BUCKET.quarantinePrefix;
const FAILED = DATA_LAKE_BUCKET.failedPrefix;
const YEARS = DATA_LAKE_BUCKET.curatedYears;

/** One stream record: where its source backup lives. */
export interface RawKeyParts {
  shardId: string;
  sequenceNumber: string;
}

/**
 * Bars of one (symbol, year) before compaction: those of one ingest invocation (records
 * `sequenceNumber`..`lastSequenceNumber` of one shard), one released held bar
 * (`releasedBarIndex`), or — without either — those of the single record `sequenceNumber`.
 */
export interface StagingKeyParts {
  symbol: string;
  shardId: string;
  /** The (first) record's sequence number. */
  sequenceNumber: string;
  /** Sequence number of the invocation's last record with bars in the object (≥ sequenceNumber). */
  lastSequenceNumber?: string;
  /** Bar index of the released held bar the object holds (`riskfn lake release`). */
  releasedBarIndex?: number;
  /** Calendar year of the bars' dates (within DATA_LAKE_BUCKET.curatedYears). */
  year: number;
}

/** One compacted partition: every bar of one symbol in one year. */
export interface CuratedKeyParts {
  symbol: string;
  year: number;
}

export interface QuarantineKeyParts {
  reason: QuarantineReason;
  /** UTC `YYYY-MM-DD` of the record's approximate arrival on the stream. */
  ingestDate: string;
  shardId: string;
  sequenceNumber: string;
  barIndex?: number;
}

/** A range of records ingest gave up on (the local on-failure destination). */
export interface FailedKeyParts {
  shardId: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
}

/** A key part that could add or escape a path level: a caller bug (inputs are validated first), so a plain Error. */
export class LakeKeyError extends Error {
  override name = 'LakeKeyError';
}

/**
 * Kinesis shard ids are `shardId-` + digits (AWS and kinesalite alike); insisting on it keeps
 * `<shardId>-<sequenceNumber>-<suffix>` parseable without ambiguity.
 */
const SHARD_ID = 'shardId-\\d+';
/** The ingest symbol rule without its anchors, to capture a symbol inside a key. */
const SYMBOL = SYMBOL_PATTERN.source.replace(/^\^|\$$/g, '');
const FORMATS = {
  symbol: SYMBOL_PATTERN,
  shardId: new RegExp(`^${SHARD_ID}$`),
  sequenceNumber: /^\d+$/,
} as const;

/** `.` and `..` match the symbol rule but would be path steps to any tool that normalises keys. */
const isDotSymbol = (s: string): boolean => s === '.' || s === '..';

function segment(what: keyof typeof FORMATS, v: string): string {
  // Everything interpolated into a key must be unable to add or escape a path level.
  if (!FORMATS[what].test(v) || (what === 'symbol' && isDotSymbol(v))) throw new LakeKeyError(`${what} "${v}" cannot be used in an S3 key`);
  return v;
}

function yearSegment(year: number): string {
  if (!Number.isInteger(year) || year < YEARS.min || year > YEARS.max) {
    throw new LakeKeyError(`year ${year} is outside the lake's years ${YEARS.min}..${YEARS.max}`);
  }
  return String(year);
}

/** A parsed year, or null when outside the lake's years. */
function parsedYear(s: string): number | null {
  const y = Number(s);
  return y >= YEARS.min && y <= YEARS.max ? y : null;
}

/** A parsed symbol, or null for `.`/`..`. */
const parsedSymbol = (s: string): string | null => (isDotSymbol(s) ? null : s);

export function rawObjectKey(p: RawKeyParts): string {
  return `${RAW}shard=${segment('shardId', p.shardId)}/${segment('sequenceNumber', p.sequenceNumber)}.json.gz`;
}

const RAW_KEY = new RegExp(`^${escapeRegExp(RAW)}shard=(${SHARD_ID})/(\\d+)\\.json\\.gz$`);

/** The parts of a raw (source backup) key, or null if the key is not one. */
export function parseRawKey(key: string): RawKeyParts | null {
  const m = RAW_KEY.exec(key);
  return m ? { shardId: m[1]!, sequenceNumber: m[2]! } : null;
}

/** Prefix holding every staging object of one symbol, all years (ends with `/`). */
export function stagingSymbolPrefix(symbol: string): string {
  return `${STAGING}symbol=${segment('symbol', symbol)}/`;
}

export function stagingObjectKey(p: StagingKeyParts): string {
  if (p.lastSequenceNumber !== undefined && p.releasedBarIndex !== undefined) {
    throw new LakeKeyError('a staging key names either a range of records or one released bar, not both');
  }
  if (p.releasedBarIndex !== undefined && !(Number.isInteger(p.releasedBarIndex) && p.releasedBarIndex >= 0)) {
    throw new LakeKeyError(`releasedBarIndex ${p.releasedBarIndex} is not a non-negative integer`);
  }
  const last = p.lastSequenceNumber === undefined ? '' : `-${segment('sequenceNumber', p.lastSequenceNumber)}`;
  const released = p.releasedBarIndex === undefined ? '' : `-released-${p.releasedBarIndex}`;
  return `${stagingSymbolPrefix(p.symbol)}${segment('shardId', p.shardId)}-${segment('sequenceNumber', p.sequenceNumber)}${last}-${yearSegment(p.year)}${released}.parquet`;
}

// The forms differ in their number of dash-separated numbers or in the literal `released`, so each key parses one way only.
const STAGING_KEY = new RegExp(`^${escapeRegExp(STAGING)}symbol=(${SYMBOL})/(${SHARD_ID})-(\\d+)(?:-(\\d+))?-(\\d{4})(?:-released-(\\d+))?\\.parquet$`);

/** The parts of a staging key, or null if the key is not one. */
export function parseStagingKey(key: string): StagingKeyParts | null {
  const m = STAGING_KEY.exec(key);
  if (!m || (m[4] !== undefined && m[6] !== undefined)) return null;
  const symbol = parsedSymbol(m[1]!);
  const year = parsedYear(m[5]!);
  if (symbol === null || year === null) return null;
  const parts: StagingKeyParts = { symbol, shardId: m[2]!, sequenceNumber: m[3]!, year };
  if (m[4] !== undefined) parts.lastSequenceNumber = m[4];
  if (m[6] !== undefined) parts.releasedBarIndex = Number(m[6]);
  return parts;
}

/** The symbol of a `staging/prices/symbol=X/` common prefix (from a Delimiter listing), or null. */
export function symbolOfStagingPrefix(prefix: string): string | null {
  const m = new RegExp(`^${escapeRegExp(STAGING)}symbol=(${SYMBOL})/$`).exec(prefix);
  return m ? parsedSymbol(m[1]!) : null;
}

/** Prefix holding every compacted object of one year (ends with `/`). */
export function curatedYearPrefix(year: number): string {
  return `${CURATED}year=${yearSegment(year)}/`;
}

export function curatedObjectKey(p: CuratedKeyParts): string {
  return `${curatedYearPrefix(p.year)}${segment('symbol', p.symbol)}.parquet`;
}

const CURATED_KEY = new RegExp(`^${escapeRegExp(CURATED)}year=(\\d{4})/(${SYMBOL})\\.parquet$`);

/** The parts of a compacted object key, or null if the key is not one. */
export function parseCuratedKey(key: string): CuratedKeyParts | null {
  const m = CURATED_KEY.exec(key);
  if (!m) return null;
  const symbol = parsedSymbol(m[2]!);
  const year = parsedYear(m[1]!);
  return symbol !== null && year !== null ? { symbol, year } : null;
}

/** The year of a `curated/prices/year=YYYY/` common prefix (from a Delimiter listing), or null. */
export function yearOfCuratedPrefix(prefix: string): number | null {
  const m = new RegExp(`^${escapeRegExp(CURATED)}year=(\\d{4})/$`).exec(prefix);
  return m ? parsedYear(m[1]!) : null;
}

export function quarantineObjectKey(p: QuarantineKeyParts): string {
  checkIngestDate(p.ingestDate);
  if (p.barIndex !== undefined && !(Number.isInteger(p.barIndex) && p.barIndex >= 0)) {
    throw new LakeKeyError(`barIndex ${p.barIndex} is not a non-negative integer`);
  }
  const bar = p.barIndex === undefined ? '' : `-${p.barIndex}`;
  return `${QUARANTINE}reason=${p.reason}/ingest_date=${p.ingestDate}/${segment('shardId', p.shardId)}-${segment('sequenceNumber', p.sequenceNumber)}${bar}.json`;
}

const QUARANTINE_KEY = new RegExp(`^${escapeRegExp(QUARANTINE)}reason=([A-Z_]+)/ingest_date=(\\d{4}-\\d{2}-\\d{2})/(${SHARD_ID})-(\\d+)(?:-(\\d+))?\\.json$`);

/** The parts of a record or bar quarantine key, or null (also for a corrupt-object key, see {@link parseCorruptObjectQuarantineKey}). */
export function parseQuarantineKey(key: string): QuarantineKeyParts | null {
  const m = QUARANTINE_KEY.exec(key);
  if (!m || !isQuarantineReason(m[1]!)) return null;
  const parts: QuarantineKeyParts = { reason: m[1], ingestDate: m[2]!, shardId: m[3]!, sequenceNumber: m[4]! };
  if (m[5] !== undefined) parts.barIndex = Number(m[5]);
  return parts;
}

/** Where compaction moves a staging or curated object that does not decode: its own key under the reason and date. */
export function corruptObjectQuarantineKey(sourceKey: string, ingestDate: string): string {
  checkIngestDate(ingestDate);
  if (!parseStagingKey(sourceKey) && !parseCuratedKey(sourceKey)) throw new LakeKeyError(`"${sourceKey}" is not a staging or curated key`);
  return `${QUARANTINE}reason=CORRUPT_OBJECT/ingest_date=${ingestDate}/${sourceKey}.json`;
}

const CORRUPT_KEY = new RegExp(`^${escapeRegExp(QUARANTINE)}reason=CORRUPT_OBJECT/ingest_date=(\\d{4}-\\d{2}-\\d{2})/(.+)\\.json$`);

/** The date and source key of a corrupt-object quarantine key, or null. */
export function parseCorruptObjectQuarantineKey(key: string): { ingestDate: string; sourceKey: string } | null {
  const m = CORRUPT_KEY.exec(key);
  if (!m || (!parseStagingKey(m[2]!) && !parseCuratedKey(m[2]!))) return null;
  return { ingestDate: m[1]!, sourceKey: m[2]! };
}

export function failedObjectKey(p: FailedKeyParts): string {
  return `${FAILED}${segment('shardId', p.shardId)}/${segment('sequenceNumber', p.firstSequenceNumber)}-${segment('sequenceNumber', p.lastSequenceNumber)}.json`;
}

const FAILED_KEY = new RegExp(`^${escapeRegExp(FAILED)}(${SHARD_ID})/(\\d+)-(\\d+)\\.json$`);

/** The parts of a failure-record key, or null if the key is not one. */
export function parseFailedKey(key: string): FailedKeyParts | null {
  const m = FAILED_KEY.exec(key);
  return m ? { shardId: m[1]!, firstSequenceNumber: m[2]!, lastSequenceNumber: m[3]! } : null;
}

function checkIngestDate(d: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new LakeKeyError(`ingestDate "${d}" is not YYYY-MM-DD`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

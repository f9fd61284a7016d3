/**
 * Parquet encoding of lake bars (staging and curated objects alike), with the one schema of
 * ./bar-schema.ts. Writing is deterministic: the rows are sorted (date, then provenance), the
 * file carries no wall-clock metadata and the folded-key list is sorted, so the same rows give
 * the same bytes — which compaction's idempotence and `riskfn lake rebuild`'s byte comparison
 * rely on. Reading refuses anything that is not exactly this schema with valid values.
 */
import { type FileMetaData, parquetMetadata, parquetReadObjects, type SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { SYMBOL_PATTERN } from '../../schemas/price-bar.ts';
import { parseIsoDate, utcDateOfEpochMs } from '../../util/calendar-date.ts';
import { BAR_COLUMNS, type BarColumn, type LakeBar, parquetSchema } from './bar-schema.ts';

/** Content type of staging and curated objects. */
export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

/** Key-value metadata key of a curated object: JSON array of the staging keys folded into it (the compaction watermark). */
export const FOLDED_METADATA_KEY = 'riskfn.folded';

/** `created_by` of every file; a constant (no version or time) so rewrites are byte-identical. */
const CREATED_BY = 'riskfn';

const DAY_MS = 86_400_000;
/** A JavaScript Date spans ±10^8 days around the epoch. */
const MAX_DATE_DAYS = 100_000_000;

/**
 * A stored object that does not decode as lake bars: not Parquet, truncated, another schema, or
 * a value the schema forbids. A plain Error, not a DomainError: no caller can fix stored data.
 * Readers skip such objects and report them; compaction moves them to quarantine (CORRUPT_OBJECT).
 */
export class CorruptLakeObjectError extends Error {
  override name = 'CorruptLakeObjectError';
  /** Why the object was refused, one sentence (without the key: the caller knows it). */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.reason = reason;
  }
}

/** A row handed to {@link encodeBars} that breaks the schema: a caller bug, so a plain Error. */
export class InvalidLakeBarError extends Error {
  override name = 'InvalidLakeBarError';
}

/** A decoded lake object: its bars (in file order) and, for a curated object, the staging keys folded into it. */
export interface LakeObjectContent {
  bars: LakeBar[];
  /** Sorted staging keys from `riskfn.folded`; empty when the file has none (staging objects). */
  folded: string[];
}

/**
 * Deterministic order of rows in a file: date, then provenance (shard, sequence number as a big
 * integer, bar index), then revision. Two rows equal on all of these are the same bar.
 */
export function compareLakeRows(a: LakeBar, b: LakeBar): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.shardId !== b.shardId) return a.shardId < b.shardId ? -1 : 1;
  const sa = BigInt(a.sequenceNumber);
  const sb = BigInt(b.sequenceNumber);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (a.barIndex !== b.barIndex) return a.barIndex - b.barIndex;
  if (a.revision !== b.revision) return a.revision - b.revision;
  if (a.arrivalTime !== b.arrivalTime) return a.arrivalTime - b.arrivalTime;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

/** Why a value of column `c` breaks the schema, or undefined when it is valid. */
function valueProblem(c: BarColumn, v: unknown): string | undefined {
  if (v === null || v === undefined) return c.nullable ? undefined : 'is null but required';
  switch (c.field) {
    case 'symbol':
      return typeof v === 'string' && SYMBOL_PATTERN.test(v) && v === v.toUpperCase() && v !== '.' && v !== '..' ? undefined : 'is not an upper-case symbol';
    case 'date':
      return typeof v === 'string' && parseIsoDate(v).ok ? undefined : 'is not a YYYY-MM-DD date';
    case 'open':
    case 'high':
    case 'low':
    case 'close':
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'is not a finite price > 0';
    case 'volume':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'is not a finite volume >= 0';
    case 'shardId':
      return typeof v === 'string' && /^shardId-\d+$/.test(v) ? undefined : 'is not a Kinesis shard id';
    case 'sequenceNumber':
      return typeof v === 'string' && /^\d{1,128}$/.test(v) ? undefined : 'is not a decimal sequence number';
    case 'barIndex':
    case 'revision':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff ? undefined : 'is not a non-negative 32-bit integer';
    case 'arrivalTime':
      return typeof v === 'number' && Number.isSafeInteger(v) ? undefined : 'is not an integer epoch time in milliseconds';
    case 'source':
    case 'flags':
      return typeof v === 'string' ? undefined : 'is not a string';
  }
}

/** The first schema problem of a row, as `<column> <problem>`, or undefined. */
function rowProblem(row: Record<string, unknown>): string | undefined {
  for (const c of BAR_COLUMNS) {
    const p = valueProblem(c, row[c.field]);
    if (p) return `${c.name} ${p}`;
  }
  return undefined;
}

function toParquetValue(c: BarColumn, v: LakeBar[keyof LakeBar]): unknown {
  if (v === null) return null;
  if (c.parquet.logical === 'DATE') return Date.parse(`${v as string}T00:00:00Z`) / DAY_MS;
  if (c.parquet.logical === 'TIMESTAMP_MILLIS') return BigInt(v as number);
  return v;
}

/**
 * Encodes bars as one Parquet file (schema: BAR_COLUMNS; Snappy; one row group). The rows are
 * sorted with {@link compareLakeRows}; `folded` (curated objects only) is written, sorted and
 * de-duplicated, as the `riskfn.folded` key-value metadata. Same input → same bytes.
 * Throws InvalidLakeBarError for a row that breaks the schema.
 */
export function encodeBars(rows: readonly LakeBar[], opts: { folded?: readonly string[] } = {}): Uint8Array {
  rows.forEach((r, i) => {
    const p = rowProblem(r as unknown as Record<string, unknown>);
    if (p) throw new InvalidLakeBarError(`row ${i}: ${p}`);
  });
  const sorted = [...rows].sort(compareLakeRows);
  const columnData = BAR_COLUMNS.map((c) => ({
    name: c.name,
    data: sorted.map((r) => toParquetValue(c, r[c.field])),
    nullable: c.nullable,
  }));
  const kvMetadata = opts.folded ? [{ key: FOLDED_METADATA_KEY, value: JSON.stringify([...new Set(opts.folded)].sort()) }] : undefined;
  const buf = parquetWriteBuffer({
    columnData,
    schema: parquetSchema(),
    codec: 'SNAPPY',
    // One row group: a partition is one symbol-year (~260 bars), far below any useful split.
    rowGroupSize: Math.max(1, sorted.length),
    createdBy: CREATED_BY,
    ...(kvMetadata ? { kvMetadata } : {}),
  });
  return new Uint8Array(buf);
}

/** Why the file's schema is not exactly BAR_COLUMNS, or undefined. */
function schemaProblem(actual: readonly SchemaElement[]): string | undefined {
  const expected = parquetSchema();
  if (actual.length !== expected.length) return `has ${actual.length - 1} columns, expected ${expected.length - 1}`;
  for (let i = 1; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (a.name !== e.name) return `column ${i} is "${a.name}", expected "${e.name}"`;
    if (a.type !== e.type || a.repetition_type !== e.repetition_type || a.converted_type !== e.converted_type) {
      return `column ${e.name} is ${a.repetition_type} ${a.type}${a.converted_type ? ` (${a.converted_type})` : ''}, expected ${e.repetition_type} ${e.type}${e.converted_type ? ` (${e.converted_type})` : ''}`;
    }
  }
  return undefined;
}

function foldedOf(metadata: FileMetaData): string[] {
  const kv = metadata.key_value_metadata?.find((m) => m.key === FOLDED_METADATA_KEY);
  if (!kv) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(kv.value ?? '');
  } catch (err) {
    throw new CorruptLakeObjectError(`${FOLDED_METADATA_KEY} metadata is not JSON`, { cause: err });
  }
  if (!Array.isArray(parsed) || !parsed.every((k) => typeof k === 'string')) {
    throw new CorruptLakeObjectError(`${FOLDED_METADATA_KEY} metadata is not an array of keys`);
  }
  return parsed;
}

/**
 * Decodes a lake object: every bar (file order) and the folded staging keys. Rejects with
 * CorruptLakeObjectError when the bytes are not Parquet, the schema is not exactly BAR_COLUMNS,
 * or a value breaks the schema (e.g. a close ≤ 0). Asynchronous because the reader is.
 */
export async function decodeLakeObject(bytes: Uint8Array): Promise<LakeObjectContent> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (err) {
    throw new CorruptLakeObjectError(`not a readable Parquet file: ${(err as Error).message}`, { cause: err });
  }
  const problem = schemaProblem(metadata.schema);
  if (problem) throw new CorruptLakeObjectError(`not the bar schema: ${problem}`);
  const folded = foldedOf(metadata);
  let raw: Record<string, unknown>[];
  try {
    raw = await parquetReadObjects({
      file,
      metadata,
      // Keep DATE as days and TIMESTAMP as bigint milliseconds: converted below, exactly.
      parsers: { dateFromDays: (days: number) => days, timestampFromMilliseconds: (ms: bigint) => ms },
    });
  } catch (err) {
    throw new CorruptLakeObjectError(`Parquet data unreadable: ${(err as Error).message}`, { cause: err });
  }
  const bars = raw.map((r, i) => {
    const row: Record<string, unknown> = {};
    for (const c of BAR_COLUMNS) row[c.field] = fromParquetValue(c, r[c.name]);
    const p = rowProblem(row);
    if (p) throw new CorruptLakeObjectError(`row ${i}: ${p}`);
    return row as unknown as LakeBar;
  });
  return { bars, folded };
}

/** The bars of a lake object (see {@link decodeLakeObject}). */
export async function decodeBars(bytes: Uint8Array): Promise<LakeBar[]> {
  return (await decodeLakeObject(bytes)).bars;
}

function fromParquetValue(c: BarColumn, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (c.parquet.logical === 'DATE') {
    // Days outside what a Date can hold stay numbers, which the row check then refuses.
    return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_DATE_DAYS ? utcDateOfEpochMs(v * DAY_MS) : v;
  }
  if (c.parquet.logical === 'TIMESTAMP_MILLIS') {
    return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  return v;
}

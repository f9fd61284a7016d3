/**
 * Everything the ingest Lambda writes for one Kinesis record, decided without I/O:
 * - `raw`: the record's bytes, gzip, under `raw/` (the source backup every stored or quarantined
 *   part traces back to, and `riskfn lake rebuild` reads);
 * - `rows`: the accepted bars as lake rows, which go to staging — one Parquet object per
 *   (symbol, year) per ingest invocation (./plan-batch.ts), or per record here;
 * - `quarantine`: one JSON object per rejected part and per HELD bar (./plausibility.ts), with
 *   the original bytes, a reason code and, for held bars, the evidence.
 * Raw and quarantine keys depend only on the record's shard id and sequence number (plus bar
 * index), and every body is a deterministic function of the record and the lake state it was
 * checked against, so a retried record overwrites the same objects with the same bytes. Staging
 * keys name the range of records whose rows they hold; a retried batch that starts elsewhere
 * writes its rows under another key, and compaction keeps one row per provenance.
 */
import { Buffer } from 'node:buffer';
import { crc32, gzipSync } from 'node:zlib';
import type { PriceBar } from '../../schemas/price-bar.ts';
import type { QuarantineReason } from '../../schemas/quarantine-reason.ts';
import { utcDateOfEpochMs } from '../../util/calendar-date.ts';
import type { LakeBar } from '../lake/bar-schema.ts';
import { quarantineObjectKey, rawObjectKey, stagingObjectKey } from '../lake/keys.ts';
import { PARQUET_CONTENT_TYPE } from '../lake/parquet-bars.ts';
import { encodeStagingBars } from '../lake/staging-parquet.ts';
import { CloseHistory, checkPlausibility, type HoldEvidence } from './plausibility.ts';
import type { BarIssue } from './validate-bar.ts';
import { type AcceptedBar, type RecordValidation, type RejectedPart, stringifyEvidence, validateRecordData } from './validate-record.ts';

/** Identity of a Kinesis record, as the event source mapping delivers it. */
export interface KinesisRecordRef {
  shardId: string;
  sequenceNumber: string;
  /** Seconds since the epoch (Lambda's `kinesis.approximateArrivalTimestamp`, fractional). */
  approximateArrivalTimestamp: number;
}

/** One object to PUT. */
export interface LakeObject {
  key: string;
  body: string | Uint8Array;
  contentType: string;
  /** S3 user metadata (`x-amz-meta-<name>`). */
  metadata?: Record<string, string>;
}

/**
 * User metadata of a raw object: the record's approximate arrival time on the stream, epoch
 * milliseconds. Kept beside the untouched bytes because `riskfn lake rebuild` needs it to
 * reproduce the bars' `arrival_time` column (and the dedupe order that depends on it).
 */
export const RAW_ARRIVAL_METADATA = 'arrival-time-ms';

/** Flag of a bar from a `"split": true` batch (stored in the `flags` column). */
export const SPLIT_FLAG = 'split';
/** Flag of a held bar a person released (`riskfn lake release`). */
export const RELEASED_FLAG = 'released';

/** Body of a quarantine object (JSON). */
export interface QuarantineEntry {
  reason: QuarantineReason;
  /** Every problem found, `path: message; …` (path names the field, e.g. `bars.3.close`). */
  detail: string;
  issues: BarIssue[];
  shardId: string;
  sequenceNumber: string;
  /** Index of the part in a `{ bars: [...] }` record; absent when the whole record was rejected. */
  barIndex?: number;
  /** ISO-8601 UTC time the record reached the stream. */
  approximateArrivalTimestamp: string;
  /** The part's bytes, base64: the record's data unchanged, or the bar re-serialised as JSON. */
  payloadBase64: string;
  /** The same bytes as text, when they are valid UTF-8. */
  payload?: string;
  /** Held bars only (IMPLAUSIBLE_PRICE, SUSPECT_REVISION): the normalised bar that was not applied. */
  held?: { bar: PriceBar; evidence: HoldEvidence };
  /** Set by `riskfn lake release` once a person applied the held bar. */
  released?: { at: string; stagingKey: string };
}

/** A bar held by the plausibility check. */
export interface HeldBar {
  barIndex: number;
  bar: PriceBar;
  reason: 'IMPLAUSIBLE_PRICE' | 'SUSPECT_REVISION';
  quarantineKey: string;
}

export interface RecordPlan {
  /** The source backup; write it first. */
  raw: LakeObject;
  /** The accepted bars' rows, in the record's order. */
  rows: LakeBar[];
  /** The record's rows as staging objects: one per (symbol, year), keyed by this record alone. */
  staging: LakeObject[];
  /** Rejected and held parts. */
  quarantine: LakeObject[];
  held: HeldBar[];
  /** Bars written to staging. */
  barsAccepted: number;
  /** Quarantined parts per reason (held bars included, under their reason). */
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
}

/** What planRecord needs besides the record. */
export interface PlanContext {
  /** Last bar date accepted (`latestBarDate(now)`, lib/schemas/price-bar.ts). */
  latestDate: string;
  /**
   * Closes per symbol already in the lake, for the plausibility check. A symbol without an entry
   * has no history (its bars are accepted). planRecord ADDS every accepted bar to its symbol's
   * history (creating the entry), so the next record of the batch is checked against it.
   * Omit to skip the plausibility check (every valid bar accepted).
   */
  histories?: Map<string, CloseHistory>;
}

const QUARANTINE_CONTENT_TYPE = 'application/json';
const RAW_CONTENT_TYPE = 'application/gzip';
/** Byte 9 of a gzip header names the OS that wrote it; fixed to 255 ("unknown") so the bytes do not depend on the platform. */
const GZIP_OS_BYTE = 9;
/**
 * Records up to this size are stored in the gzip stream without compression (one "stored"
 * deflate block). A one-bar record (~150 bytes) hardly compresses, and setting up zlib costs
 * ~10 µs per call — more than the rest of its ingest path together.
 */
const STORED_GZIP_MAX_BYTES = 1024;

/** A gzip member holding `data` as one stored deflate block (RFC 1951 §3.2.4, RFC 1952): header, block, CRC-32, size. */
function storedGzip(data: Uint8Array): Uint8Array {
  const n = data.byteLength;
  const out = new Uint8Array(10 + 5 + n + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]); // magic, deflate, no flags, mtime 0, no extra flags, OS unknown
  out.set([1, n & 0xff, n >>> 8, ~n & 0xff, (~n >>> 8) & 0xff], 10); // final stored block, LEN, NLEN
  out.set(data, 15);
  const view = new DataView(out.buffer);
  view.setUint32(15 + n, crc32(data), true);
  view.setUint32(19 + n, n, true);
  return out;
}

/**
 * gzip of the record's bytes, identical for identical input on any platform: small records as a
 * stored block, larger ones deflated by zlib (which writes mtime 0 and no file name; only the OS
 * byte varies by platform and is fixed here).
 */
export function gzipRaw(data: Uint8Array): Uint8Array {
  if (data.byteLength <= STORED_GZIP_MAX_BYTES) return storedGzip(data);
  const gz = gzipSync(data);
  gz[GZIP_OS_BYTE] = 255;
  return gz;
}

/** One line of JSON: Athena's quarantine table (OpenX JSON SerDe) reads one object per line. */
export function quarantineBody(entry: QuarantineEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** The part's bytes as base64 and (when UTF-8) text, as stored on a quarantine entry. */
function payloadFields(payload: Uint8Array, text: string | undefined): Pick<QuarantineEntry, 'payloadBase64' | 'payload'> {
  const out: Pick<QuarantineEntry, 'payloadBase64' | 'payload'> = { payloadBase64: Buffer.from(payload).toString('base64') };
  if (text !== undefined) out.payload = text;
  return out;
}

function rejectedEntry(ref: KinesisRecordRef, arrival: string, part: RejectedPart): QuarantineEntry {
  const entry: QuarantineEntry = {
    reason: part.reason,
    detail: part.detail,
    issues: part.issues,
    shardId: ref.shardId,
    sequenceNumber: ref.sequenceNumber,
    approximateArrivalTimestamp: arrival,
    ...payloadFields(part.payload, part.payloadText),
  };
  if (part.barIndex !== undefined) entry.barIndex = part.barIndex;
  return entry;
}

/** The lake row of an accepted bar (revision 0: compaction numbers the versions). */
export function lakeRow(bar: PriceBar, ref: KinesisRecordRef, barIndex: number, flags: string | null): LakeBar {
  return {
    symbol: bar.symbol,
    date: bar.date,
    open: bar.open ?? null,
    high: bar.high ?? null,
    low: bar.low ?? null,
    close: bar.close,
    volume: bar.volume ?? null,
    source: bar.source,
    shardId: ref.shardId,
    sequenceNumber: ref.sequenceNumber,
    barIndex,
    arrivalTime: Math.round(ref.approximateArrivalTimestamp * 1000),
    revision: 0,
    flags,
  };
}

/** A staging object and the index (in the planned records) of the first record whose rows it holds. */
export interface StagingObject extends LakeObject {
  firstRecord: number;
}

/**
 * Staging objects for the rows of consecutive records of one shard: one per (shard, symbol, year),
 * in order of first appearance, keyed by the sequence numbers of the first and last record with
 * rows in it. `rowsOf[i]` are the rows of record i (stream order).
 */
export function stagingObjects(rowsOf: readonly (readonly LakeBar[])[]): StagingObject[] {
  const groups = new Map<string, { firstRecord: number; lastSeq: string; rows: LakeBar[] }>();
  for (let i = 0; i < rowsOf.length; i++) {
    for (const row of rowsOf[i]!) {
      const id = `${row.shardId}/${row.symbol}/${row.date.slice(0, 4)}`;
      const g = groups.get(id);
      if (g) {
        g.rows.push(row);
        g.lastSeq = row.sequenceNumber;
      } else groups.set(id, { firstRecord: i, lastSeq: row.sequenceNumber, rows: [row] });
    }
  }
  return [...groups.values()].map(({ firstRecord, lastSeq, rows }) => ({
    key: stagingObjectKey({
      symbol: rows[0]!.symbol,
      year: Number(rows[0]!.date.slice(0, 4)),
      shardId: rows[0]!.shardId,
      sequenceNumber: rows[0]!.sequenceNumber,
      lastSequenceNumber: lastSeq,
    }),
    body: encodeStagingBars(rows),
    contentType: PARQUET_CONTENT_TYPE,
    firstRecord,
  }));
}

/**
 * Plans one record, with its own staging objects. Pass `validation` when the caller already
 * validated the data (to learn which symbols' histories to load); it must come from the same data
 * and `ctx.latestDate`.
 */
export function planRecord(ref: KinesisRecordRef, data: Uint8Array, ctx: PlanContext, validation?: RecordValidation): RecordPlan {
  const plan = planRecordParts(ref, data, ctx, validation);
  return { ...plan, staging: stagingObjects([plan.rows]).map(({ firstRecord: _, ...o }) => o) };
}

/** Plans one record without encoding its staging objects (a batch groups the rows of all its records). */
export function planRecordParts(ref: KinesisRecordRef, data: Uint8Array, ctx: PlanContext, validation?: RecordValidation): Omit<RecordPlan, 'staging'> {
  const v = validation ?? validateRecordData(data, ctx.latestDate);
  const arrivalMs = ref.approximateArrivalTimestamp * 1000;
  const arrival = new Date(arrivalMs).toISOString();
  const ingestDate = utcDateOfEpochMs(arrivalMs);
  const quarantinedByReason: RecordPlan['quarantinedByReason'] = {};
  const quarantine: LakeObject[] = [];
  const addQuarantine = (entry: QuarantineEntry): string => {
    quarantinedByReason[entry.reason] = (quarantinedByReason[entry.reason] ?? 0) + 1;
    const key = quarantineObjectKey({
      reason: entry.reason,
      ingestDate,
      shardId: ref.shardId,
      sequenceNumber: ref.sequenceNumber,
      ...(entry.barIndex !== undefined ? { barIndex: entry.barIndex } : {}),
    });
    quarantine.push({ key, body: quarantineBody(entry), contentType: QUARANTINE_CONTENT_TYPE });
    return key;
  };
  for (const part of v.rejected) addQuarantine(rejectedEntry(ref, arrival, part));

  const flags = v.split ? SPLIT_FLAG : null;
  const rows: LakeBar[] = [];
  const held: HeldBar[] = [];
  for (const a of v.accepted) {
    const hold = ctx.histories ? holdOf(ctx.histories, a, v.split) : undefined;
    if (hold) {
      const payload = v.kind === 'bar' ? data : Buffer.from(stringifyEvidence(a.raw));
      const entry: QuarantineEntry = {
        reason: hold.reason,
        detail: hold.detail,
        issues: [{ path: v.kind === 'bar' ? 'close' : `bars.${a.index}.close`, message: hold.detail, reason: hold.reason }],
        shardId: ref.shardId,
        sequenceNumber: ref.sequenceNumber,
        approximateArrivalTimestamp: arrival,
        ...payloadFields(payload, Buffer.from(payload).toString('utf8')),
        held: { bar: a.bar, evidence: hold.evidence },
      };
      // A single-bar record is held whole (no bar index in the key), like a rejected single bar.
      if (v.kind === 'batch') entry.barIndex = a.index;
      held.push({ barIndex: a.index, bar: a.bar, reason: hold.reason, quarantineKey: addQuarantine(entry) });
      continue;
    }
    rows.push(lakeRow(a.bar, ref, a.index, flags));
  }
  return {
    raw: {
      key: rawObjectKey(ref),
      body: gzipRaw(data),
      contentType: RAW_CONTENT_TYPE,
      metadata: { [RAW_ARRIVAL_METADATA]: String(Math.round(arrivalMs)) },
    },
    rows,
    quarantine,
    held,
    barsAccepted: rows.length,
    quarantinedByReason,
  };
}

/** Checks an accepted bar against its symbol's history (not for a split batch); when it passes it joins the history. */
function holdOf(histories: Map<string, CloseHistory>, a: AcceptedBar, split: boolean) {
  const { symbol, date, close } = a.bar;
  let h = histories.get(symbol);
  if (!h) {
    h = new CloseHistory();
    histories.set(symbol, h);
  }
  const verdict = split ? undefined : checkPlausibility(h, date, close);
  if (!verdict || verdict.ok) {
    h.set(date, close);
    return undefined;
  }
  return verdict;
}

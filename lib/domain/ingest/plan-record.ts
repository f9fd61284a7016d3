/**
 * Everything the ingest Lambda writes for one Kinesis record, decided without I/O:
 * one curated JSON Lines object per (symbol, month) partition of the record's valid bars
 * and one quarantine object per rejected part. Keys depend only on the record's shard id
 * and sequence number (plus partition / bar index), so replaying the record rewrites the
 * same objects with the same bytes.
 */
import { Buffer } from 'node:buffer';
import type { QuarantineReason } from '../../schemas/quarantine-reason.ts';
import { utcDateOfEpochMs } from '../../util/calendar-date.ts';
import { CURATED_CONTENT_TYPE, encodeCuratedObject } from '../lake/curated-object.ts';
import { curatedObjectKey, quarantineObjectKey } from '../lake/keys.ts';
import { partitionBars } from './partition.ts';
import type { BarIssue } from './validate-bar.ts';
import { type RejectedPart, validateRecordData } from './validate-record.ts';

/** Identity of a Kinesis record, as the event source mapping delivers it. */
export interface KinesisRecordRef {
  shardId: string;
  sequenceNumber: string;
  /** Seconds since the epoch (Lambda's `kinesis.approximateArrivalTimestamp`, fractional). */
  approximateArrivalTimestamp: number;
}

export interface LakeObject {
  key: string;
  body: string;
  contentType: string;
}

/** Body of a quarantine object (JSON). */
interface QuarantineEntry {
  reason: QuarantineReason;
  /** Every problem found, `path: message; …` (path names the field, e.g. `bars.3.close`). */
  detail: string;
  issues: BarIssue[];
  shardId: string;
  sequenceNumber: string;
  /** Index of the rejected bar in a `{ bars: [...] }` record; absent when the whole record was rejected. */
  barIndex?: number;
  /** ISO-8601 UTC time the record reached the stream. */
  approximateArrivalTimestamp: string;
  /** The rejected bytes, base64: the record's data unchanged, or the rejected bar re-serialised as JSON. */
  payloadBase64: string;
  /** The same bytes as text, when they are valid UTF-8. */
  payload?: string;
}

export interface RecordPlan {
  curated: LakeObject[];
  quarantine: LakeObject[];
  /** Valid bars written to the curated objects. */
  barsAccepted: number;
  /** Number of rejected parts per reason. */
  rejectedByReason: Partial<Record<QuarantineReason, number>>;
}

const QUARANTINE_CONTENT_TYPE = 'application/json';

function quarantineEntry(ref: KinesisRecordRef, part: RejectedPart): QuarantineEntry {
  const entry: QuarantineEntry = {
    reason: part.reason,
    detail: part.detail,
    issues: part.issues,
    shardId: ref.shardId,
    sequenceNumber: ref.sequenceNumber,
    approximateArrivalTimestamp: new Date(ref.approximateArrivalTimestamp * 1000).toISOString(),
    payloadBase64: Buffer.from(part.payload).toString('base64'),
  };
  if (part.barIndex !== undefined) entry.barIndex = part.barIndex;
  if (part.payloadText !== undefined) entry.payload = part.payloadText;
  return entry;
}

export function planRecord(ref: KinesisRecordRef, data: Uint8Array): RecordPlan {
  const { accepted, rejected } = validateRecordData(data);
  const curated = partitionBars(accepted).map((g) => ({
    key: curatedObjectKey({ symbol: g.symbol, month: g.month, shardId: ref.shardId, sequenceNumber: ref.sequenceNumber }),
    body: encodeCuratedObject(g.bars.map(({ bar, index }) => ({ ...bar, shardId: ref.shardId, sequenceNumber: ref.sequenceNumber, index }))),
    contentType: CURATED_CONTENT_TYPE,
  }));
  const ingestDate = utcDateOfEpochMs(ref.approximateArrivalTimestamp * 1000);
  const rejectedByReason: RecordPlan['rejectedByReason'] = {};
  const quarantine = rejected.map((part) => {
    rejectedByReason[part.reason] = (rejectedByReason[part.reason] ?? 0) + 1;
    const key = quarantineObjectKey({
      reason: part.reason,
      ingestDate,
      shardId: ref.shardId,
      sequenceNumber: ref.sequenceNumber,
      ...(part.barIndex !== undefined ? { barIndex: part.barIndex } : {}),
    });
    return { key, body: `${JSON.stringify(quarantineEntry(ref, part), null, 2)}\n`, contentType: QUARANTINE_CONTENT_TYPE };
  });
  return { curated, quarantine, barsAccepted: accepted.length, rejectedByReason };
}

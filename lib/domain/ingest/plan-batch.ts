/**
 * Everything one ingest invocation writes, decided without I/O: the records are planned in stream
 * order (./plan-record.ts: raw backup, quarantine, held bars), each against the closes the lake
 * held plus the bars accepted from the records before it, and the accepted rows of ALL records are
 * grouped into one staging object per (symbol, year) — instead of one per record and year.
 *
 * Why per invocation: a Parquet file has a fixed cost (footer, one page per column) that dwarfs a
 * one-bar record, and every object is an S3 PUT. A Lambda batch of up to 100 one-bar records of
 * one symbol becomes 1–2 staging objects instead of 100. A retried batch that starts at another
 * record writes its rows under another key (the key names the first and last record); the rows
 * carry the same provenance (shard, sequence number, bar index), so compaction keeps one of each.
 */
import type { QuarantineReason } from '../../schemas/quarantine-reason.ts';
import type { LakeBar } from '../lake/bar-schema.ts';
import type { HeldBar } from './plan-record.ts';
import { type KinesisRecordRef, type LakeObject, type PlanContext, planRecordParts, type StagingObject, stagingObjects } from './plan-record.ts';
import type { RecordValidation } from './validate-record.ts';

/** One record of the invocation, in stream order. */
export interface BatchRecord {
  ref: KinesisRecordRef;
  data: Uint8Array;
  /** The record's validation, when the caller already made it (same data, same `latestDate`). */
  validation?: RecordValidation;
}

/** What one record of the batch contributes besides its staging rows. */
export interface BatchRecordPlan {
  /** The source backup (write before the record's other objects). */
  raw: LakeObject;
  /** Rejected and held parts. */
  quarantine: LakeObject[];
  held: HeldBar[];
  /** The accepted bars' rows. */
  rows: LakeBar[];
  barsAccepted: number;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
}

export interface BatchPlan {
  /** Per record, in the input order. */
  records: BatchRecordPlan[];
  /** One object per (shard, symbol, year) of the rows of all records; `firstRecord` is an index into `records`. */
  staging: StagingObject[];
}

/**
 * Plans an invocation's records. `ctx.histories` is updated as in planRecord: every accepted bar
 * joins its symbol's history, so later records are checked against it.
 */
export function planBatch(records: readonly BatchRecord[], ctx: PlanContext): BatchPlan {
  const plans = records.map((r) => planRecordParts(r.ref, r.data, ctx, r.validation));
  return { records: plans, staging: stagingObjects(plans.map((p) => p.rows)) };
}

/**
 * The staging objects of the first `n` planned records only: when a record's source backup could
 * not be written, the records from it on are retried, and staging must not hold rows whose raw
 * backup is missing.
 */
export function stagingOfFirst(plan: BatchPlan, n: number): StagingObject[] {
  return stagingObjects(plan.records.slice(0, n).map((p) => p.rows));
}

/**
 * Redrive: the records of a batch ingest gave up on (one failure record: shard and sequence
 * range, lib/schemas/on-failure-record.ts) are read again from the stream by sequence number and
 * handed to the ingest handler in batches, exactly as the event source mapping would. Ingest keys
 * are deterministic, so records of the range that had been stored already are overwritten with
 * the same bytes: a redrive never duplicates. Possible while the records are on the stream
 * (retention: MARKET_DATA_STREAM.retentionHours).
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { type OnFailureRecord, streamNameOfArn } from '../../schemas/on-failure-record.ts';
import { deleteFailureRecord, listFailureRecords } from '../s3/failure-records.ts';
import { readSequenceRange, toKinesisStreamEvent } from './shard-reader.ts';

/** Runs the ingest handler on one event (in-process; the caller supplies the Lambda context). */
export type BatchInvoker = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | undefined>;

/** What one redrive achieved: `ok` means every record of the range was ingested. */
export interface RedriveOutcome {
  ok: boolean;
  /** Records found on the stream in the range. */
  records: number;
  /** Records the handler stored (all of them when ok). */
  ingested: number;
  /** Why not ok: the range is no longer readable, or the handler failed again. */
  problem?: string;
}

/** Records per handler invocation, as the stack's event source mapping. */
const BATCH_SIZE = 100;

export async function redriveFailureRecord(record: OnFailureRecord, invoke: BatchInvoker, functionName = 'riskfn-ingest-redrive'): Promise<RedriveOutcome> {
  const info = record.KinesisBatchInfo;
  let records: Awaited<ReturnType<typeof readSequenceRange>>;
  try {
    records = await readSequenceRange(streamNameOfArn(info.streamArn), info.shardId, info.startSequenceNumber, info.endSequenceNumber);
  } catch (err) {
    return { ok: false, records: 0, ingested: 0, problem: `cannot read ${info.shardId} from ${info.startSequenceNumber}: ${(err as Error).message}` };
  }
  if (records.length === 0 || records[0]!.SequenceNumber !== info.startSequenceNumber) {
    return {
      ok: false,
      records: records.length,
      ingested: 0,
      problem: `record ${info.startSequenceNumber} is no longer on ${info.shardId} (past the stream's retention?)`,
    };
  }
  let ingested = 0;
  for (let i = 0; i < records.length; i += BATCH_SIZE) {
    const batch = records.slice(i, i + BATCH_SIZE);
    let response: KinesisStreamBatchResponse | undefined;
    try {
      response = await invoke(toKinesisStreamEvent(info.streamArn, info.shardId, batch, functionName));
    } catch (err) {
      return { ok: false, records: records.length, ingested, problem: `the handler failed: ${(err as Error).message}` };
    }
    const failed = response?.batchItemFailures ?? [];
    if (failed.length > 0) {
      const firstFailed = batch.findIndex((r) => failed.some((f) => f.itemIdentifier === r.SequenceNumber));
      ingested += Math.max(0, firstFailed);
      return { ok: false, records: records.length, ingested, problem: `record ${failed[0]!.itemIdentifier} failed again` };
    }
    ingested += batch.length;
  }
  return { ok: true, records: records.length, ingested };
}

/** The outcome for one stored failure record. */
export interface StoredRedriveOutcome extends RedriveOutcome {
  key: string;
  /** The failure record was removed (every record of its range ingested). */
  removed: boolean;
}

/**
 * Redrives every failure record under `failed/` in `bucket` (the local on-failure destination),
 * oldest key first, and removes each one whose whole range was ingested. A failure record that
 * cannot be redriven stays, with the reason in the outcome, for a later run.
 */
export async function redriveStoredFailures(bucket: string, invoke: BatchInvoker): Promise<StoredRedriveOutcome[]> {
  const out: StoredRedriveOutcome[] = [];
  for (const stored of await listFailureRecords(bucket)) {
    if ('problem' in stored) {
      out.push({ key: stored.key, ok: false, records: 0, ingested: 0, removed: false, problem: `not a failure record: ${stored.problem}` });
      continue;
    }
    const outcome = await redriveFailureRecord(stored.record, invoke);
    if (outcome.ok) await deleteFailureRecord(bucket, stored.key);
    out.push({ key: stored.key, ...outcome, removed: outcome.ok });
  }
  return out;
}

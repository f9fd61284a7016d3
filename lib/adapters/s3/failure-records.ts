/**
 * The local on-failure destination: failure records (lib/schemas/on-failure-record.ts) as JSON
 * objects under `failed/<shardId>/<firstSeq>-<lastSeq>.json` in the data bucket. The local poller
 * writes them where Lambda would send them to the SQS on-failure queue; `riskfn lake redrive`
 * reads them, ingests the records again and deletes each one it fully redrove.
 */
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { failedObjectKey, parseFailedKey } from '../../domain/lake/keys.ts';
import { type OnFailureRecord, OnFailureRecordSchema } from '../../schemas/on-failure-record.ts';
import { deleteObject, getText, listObjects, putText } from './objects.ts';

/** Writes a failure record; the key is its shard and sequence range, so writing it twice keeps one object. */
export async function putFailureRecord(bucket: string, record: OnFailureRecord): Promise<string> {
  const info = record.KinesisBatchInfo;
  const key = failedObjectKey({ shardId: info.shardId, firstSequenceNumber: info.startSequenceNumber, lastSequenceNumber: info.endSequenceNumber });
  await putText(bucket, key, `${JSON.stringify(record, null, 2)}\n`);
  return key;
}

/** A stored failure record, or why the object under failed/ could not be read as one. */
export type StoredFailureRecord = { key: string; record: OnFailureRecord } | { key: string; problem: string };

/** Every failure record under `failed/`, in key order (shard, then first sequence number as text). */
export async function listFailureRecords(bucket: string): Promise<StoredFailureRecord[]> {
  const keys = (await listObjects(bucket, DATA_LAKE_BUCKET.failedPrefix)).map((o) => o.key).filter((k) => parseFailedKey(k));
  const out: StoredFailureRecord[] = [];
  for (const key of keys) {
    let json: unknown;
    try {
      json = JSON.parse(await getText(bucket, key));
    } catch (err) {
      out.push({ key, problem: `not JSON: ${(err as Error).message}` });
      continue;
    }
    const parsed = OnFailureRecordSchema.safeParse(json);
    out.push(parsed.success ? { key, record: parsed.data } : { key, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  }
  return out;
}

export async function deleteFailureRecord(bucket: string, key: string): Promise<void> {
  await deleteObject(bucket, key);
}

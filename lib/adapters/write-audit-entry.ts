/**
 * The audit trail's one write: an answer's item, once. The answer body goes inline into the item
 * when it is at most `AUDIT_LIMITS.inlineResultBytes`, else to the overflow store with
 * `If-None-Match: *` (the item then holds `resultRef`); the item is put with
 * `attribute_not_exists(requestId)`. A request id that already has an item is answered
 * `{ outcome: 'conflict' }` and nothing is changed. The audit writer Lambda
 * (functions/audit-writer.ts) runs it on AWS; locally and in tests the API runs it in-process.
 */
import { sha256Hex } from '../domain/scoring/input-hash.ts';
import { AUDIT_LIMITS, type AuditRecord, AuditWriteRequestSchema, type AuditWriteResult } from '../schemas/audit-record.ts';
import { AuditConflictError, type AuditTable } from './dynamodb/audit-log.ts';
import { type AuditResultStore, auditResultKey } from './s3/audit-store.ts';

/** Where the writer stores: the table, the overflow store, and the largest answer kept inline (bytes). */
export interface AuditWriterPorts {
  table: AuditTable;
  store: AuditResultStore;
  /** Default `AUDIT_LIMITS.inlineResultBytes`. */
  inlineResultBytes?: number;
}

/**
 * Validates the request and writes its item once (see the module comment). A retry of the same
 * write that finds its own S3 object (same hash) goes on to the conditional put; an object of
 * another answer under the key means the request id was used before: `conflict`.
 */
export async function writeAuditEntry(input: unknown, ports: AuditWriterPorts): Promise<AuditWriteResult> {
  const { record, result } = AuditWriteRequestSchema.parse(input);
  const bytes = Buffer.byteLength(result, 'utf8');
  let item: AuditRecord;
  if (bytes <= (ports.inlineResultBytes ?? AUDIT_LIMITS.inlineResultBytes)) {
    item = { ...record, result };
  } else {
    const resultRef = { key: auditResultKey(record.timestamp, record.requestId), sha256: `sha256:${sha256Hex(result)}`, bytes };
    if ((await ports.store.putNew(resultRef.key, result)) === 'exists') {
      const stored = await ports.store.get(resultRef.key);
      if (`sha256:${sha256Hex(stored)}` !== resultRef.sha256) return { outcome: 'conflict' };
    }
    item = { ...record, resultRef };
  }
  try {
    await ports.table.putNew(item);
  } catch (err) {
    if (err instanceof AuditConflictError) return { outcome: 'conflict' };
    throw err;
  }
  return item.resultRef ? { outcome: 'written', resultRef: item.resultRef } : { outcome: 'written' };
}

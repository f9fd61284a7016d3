/**
 * Audit writer Lambda: the only code with write access to the audit trail. The API Lambda
 * invokes it with the item's fields and the answer body ({@link AuditWriteRequestSchema}) and
 * has no write permission on the table or on `audit/` itself, so an item, once written, cannot
 * be replaced or deleted through the API's credentials.
 *
 * The write is append-only: the answer body goes inline into the item when it is at most
 * `AUDIT_LIMITS.inlineResultBytes`, else to S3 with `If-None-Match: *` (the item then holds
 * `resultRef`); the item is put with `attribute_not_exists(requestId)`. A request id that
 * already has an item is answered `{ outcome: 'conflict' }` and nothing is changed. Locally and
 * in tests the API runs {@link writeAuditEntry} in-process instead of invoking this function.
 */
import { AuditConflictError, type AuditTable, dynamoAuditTable } from '../lib/adapters/dynamodb/audit-log.ts';
import { type AuditResultStore, auditResultKey, s3AuditResultStore } from '../lib/adapters/s3/audit-store.ts';
import { sha256Hex } from '../lib/domain/scoring/input-hash.ts';
import { AUDIT_LIMITS, type AuditRecord, AuditWriteRequestSchema, type AuditWriteResult } from '../lib/schemas/audit-record.ts';
import { lambdaHandler } from './kit/lambda-handler.ts';
import { type HandlerRuntime, lambdaRuntime } from './kit/runtime.ts';

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

export interface AuditWriterDependencies extends HandlerRuntime, AuditWriterPorts {}

/** The writer's Lambda handler: the event is an {@link AuditWriteRequestSchema}; a malformed one fails the invocation. */
export function createAuditWriterHandler(deps: AuditWriterDependencies) {
  return lambdaHandler<unknown, AuditWriteResult>(deps.logger).handler(async (event) => {
    const out = await writeAuditEntry(event, deps);
    if (out.outcome === 'conflict')
      deps.logger.warn('request id already audited; nothing written', { requestId: (event as { record: { requestId: string } }).record.requestId });
    return out;
  });
}

export const handler = createAuditWriterHandler({ ...lambdaRuntime('riskfn-audit-writer'), table: dynamoAuditTable(), store: s3AuditResultStore() });

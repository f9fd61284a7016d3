/**
 * The API's view of the audit trail: write an answer's item once, read items back (by request
 * id, or a page of one symbol's or model version's items), and read an item's answer body.
 *
 * On AWS the write is an invocation of the audit writer Lambda (the API role cannot write the
 * table or `audit/`); reads go to DynamoDB and S3 directly. Without `AUDIT_WRITER_FUNCTION`
 * (the local stack, tests) the same writer code runs in-process.
 */
import { AuditConflictError, type AuditPage, type AuditQuery, type AuditTable, dynamoAuditTable } from '../../lib/adapters/dynamodb/audit-log.ts';
import { type AuditWriter, lambdaAuditWriter } from '../../lib/adapters/lambda/audit-writer-client.ts';
import { type AuditResultStore, s3AuditResultStore } from '../../lib/adapters/s3/audit-store.ts';
import { type AuditWriterPorts, writeAuditEntry } from '../../lib/adapters/write-audit-entry.ts';
import { ENV } from '../../lib/config/resources.ts';
import type { AuditRecord, AuditWriteRequest } from '../../lib/schemas/audit-record.ts';

export interface AuditLog {
  /** Writes the answer's item; {@link AuditConflictError} when its request id already has one (nothing is changed then). */
  write(entry: AuditWriteRequest): Promise<void>;
  /** The item of a request id, or null. */
  get(requestId: string): Promise<AuditRecord | null>;
  /** A page of one index key's items, newest first. */
  query(q: AuditQuery): Promise<AuditPage>;
  /** The answer body an item recorded: inline, or read from S3 through `resultRef`. */
  readResult(item: AuditRecord): Promise<string>;
}

/** An audit log over a table, an overflow store and a writer (the Lambda, or {@link writeAuditEntry} in-process). */
export function auditLog(ports: { table: AuditTable; store: AuditResultStore; writer: AuditWriter }): AuditLog {
  return {
    async write(entry) {
      const out = await ports.writer(entry);
      if (out.outcome === 'conflict') throw new AuditConflictError(entry.record.requestId);
    },
    get: (requestId) => ports.table.get(requestId),
    query: (q) => ports.table.query(q),
    async readResult(item) {
      if (item.result !== undefined) return item.result;
      if (item.resultRef) return ports.store.get(item.resultRef.key);
      throw new Error(`audit item ${item.requestId} has neither result nor resultRef`);
    },
  };
}

/** The in-process writer over the given ports (the local stack and tests). */
export const inProcessAuditWriter =
  (ports: AuditWriterPorts): AuditWriter =>
  (request) =>
    writeAuditEntry(request, ports);

/** The deployed (or local-stack) audit log: the writer Lambda when `AUDIT_WRITER_FUNCTION` is set, else the writer in-process. */
export function awsAuditLog(): AuditLog {
  const table = dynamoAuditTable();
  const store = s3AuditResultStore();
  const writerFunction = process.env[ENV.auditWriterFunction];
  const writer = writerFunction ? lambdaAuditWriter(writerFunction) : inProcessAuditWriter({ table, store });
  return auditLog({ table, store, writer });
}

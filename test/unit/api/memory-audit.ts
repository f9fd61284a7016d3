/**
 * The audit trail in memory for the API tests: a table with DynamoDB's semantics for what the
 * API uses (conditional put on a new request id, GetItem, Query on the two indexes, newest
 * first, paged), a write-once overflow store, and the real writer code (lib/adapters/write-audit-entry.ts)
 * running in-process over them, as the local stack runs it.
 */
import { type AuditLog, auditLog, inProcessAuditWriter } from '../../../functions/api/audit-log.ts';
import {
  AUDIT_INDEXES,
  AuditConflictError,
  type AuditPage,
  type AuditQuery,
  type AuditTable,
  decodeAuditCursor,
  encodeAuditCursor,
} from '../../../lib/adapters/dynamodb/audit-log.ts';
import type { AuditResultStore } from '../../../lib/adapters/s3/audit-store.ts';
import { ObjectMissingError } from '../../../lib/adapters/s3/objects.ts';
import type { AuditRecord } from '../../../lib/schemas/audit-record.ts';

/** The in-memory table; `items` in write order, `queries` every query asked (an index query is the only way to list). */
export interface MemoryAuditTable extends AuditTable {
  items: AuditRecord[];
  queries: AuditQuery[];
}

export function memoryAuditTable(): MemoryAuditTable {
  const items: AuditRecord[] = [];
  const queries: AuditQuery[] = [];
  return {
    items,
    queries,
    async putNew(item) {
      if (items.some((i) => i.requestId === item.requestId)) throw new AuditConflictError(item.requestId);
      items.push(structuredClone(item));
    },
    async get(requestId) {
      return structuredClone(items.find((i) => i.requestId === requestId) ?? null);
    },
    async query(q): Promise<AuditPage> {
      queries.push(q);
      const attr = AUDIT_INDEXES[q.by].partitionKey.name;
      const matching = items
        .filter((i) => i[attr] === q.value)
        .filter((i) => (q.fromTimestamp === undefined || i.timestamp >= q.fromTimestamp) && (q.toTimestamp === undefined || i.timestamp <= q.toTimestamp))
        .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || b.requestId.localeCompare(a.requestId));
      const after = q.cursor ? decodeAuditCursor(q.cursor) : undefined;
      const start = after ? matching.findIndex((i) => i.requestId === after.requestId) + 1 : 0;
      const page = matching.slice(start, start + q.limit);
      const last = page.at(-1);
      return { items: structuredClone(page), nextCursor: start + q.limit < matching.length && last ? encodeAuditCursor(last) : null };
    },
  };
}

/** The in-memory overflow store: `objects` by key, written once. */
export function memoryResultStore(): AuditResultStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    async putNew(key, body) {
      if (objects.has(key)) return 'exists';
      objects.set(key, body);
      return 'written';
    },
    async get(key) {
      const body = objects.get(key);
      if (body === undefined) throw new ObjectMissingError('memory', key);
      return body;
    },
  };
}

/** An audit log over the in-memory table and store with the real writer; `fail` makes every write fail with it. */
export function memoryAudit(opts: { fail?: Error; inlineResultBytes?: number } = {}) {
  const table = memoryAuditTable();
  const store = memoryResultStore();
  const writer = inProcessAuditWriter({ table, store, inlineResultBytes: opts.inlineResultBytes });
  const audit: AuditLog = auditLog({
    table,
    store,
    writer: async (request) => {
      if (opts.fail) throw opts.fail;
      return writer(request);
    },
  });
  return { audit, table, store, items: table.items };
}

/**
 * The audit trail's one write: an answer's item, once. The answer body goes inline into the item
 * when it (with the item's lineage) is at most `AUDIT_LIMITS.inlineResultBytes`, else to the
 * overflow store with `If-None-Match: *` (the item then holds `resultRef`); the item is put with
 * `attribute_not_exists(requestId)`. A request id that already has an item is answered
 * `{ outcome: 'conflict' }` and nothing is changed. Before the item, the lineage's copies are
 * stored (a long request body, the input series not stored before), content-addressed and
 * written once, so an item never points at a copy that is not there. The audit writer Lambda
 * (functions/audit-writer.ts) runs it on AWS; locally and in tests the API runs it in-process.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256Hex } from '../domain/scoring/input-hash.ts';
import {
  AUDIT_COPY_GZIP_BYTES,
  AUDIT_LIMITS,
  type AuditCopyText,
  type AuditRecord,
  type AuditWriteRequest,
  AuditWriteRequestSchema,
  type AuditWriteResult,
} from '../schemas/audit-record.ts';
import { AuditConflictError, type AuditTable } from './dynamodb/audit-log.ts';
import { type AuditResultStore, auditInputKey, auditRequestKey, auditResultKey } from './s3/audit-store.ts';

/** Where the writer stores: the table, the overflow store, and the largest answer kept inline (bytes). */
export interface AuditWriterPorts {
  table: AuditTable;
  store: AuditResultStore;
  /** Default `AUDIT_LIMITS.inlineResultBytes`. */
  inlineResultBytes?: number;
}

/** A write request whose lineage copies do not match what it says they are (a caller bug: nothing is written). */
export class AuditLineageMismatchError extends Error {
  override name = 'AuditLineageMismatchError';
}

/** A copy's text as the writer's request carries it: compressed from {@link AUDIT_COPY_GZIP_BYTES} bytes on. */
export function packCopy(text: string): AuditCopyText {
  return Buffer.byteLength(text, 'utf8') < AUDIT_COPY_GZIP_BYTES ? { text } : { gzip: gzipSync(text).toString('base64') };
}

const unpackCopy = (c: AuditCopyText): string => ('text' in c ? c.text : gunzipSync(Buffer.from(c.gzip, 'base64')).toString('utf8'));

/**
 * Stores the lineage's copies: each is checked against the hash the item names (the writer does
 * not take the caller's word for a content address); an existing key holds the same content by
 * construction, so `exists` is fine.
 */
async function storeCopies(request: AuditWriteRequest, store: AuditResultStore): Promise<void> {
  const lineage = request.record.lineage;
  const puts: [string, string][] = [];
  if (request.request !== undefined) {
    const key = auditRequestKey(request.record.requestHash);
    const text = unpackCopy(request.request);
    if (`sha256:${sha256Hex(text)}` !== request.record.requestHash || lineage?.requestKey !== key) {
      throw new AuditLineageMismatchError(`the request copy does not hash to requestHash, or the lineage does not name it as ${key}`);
    }
    puts.push([key, text]);
  }
  for (const input of request.inputs ?? []) {
    const key = auditInputKey(input.sha256);
    const text = unpackCopy(input);
    if (`sha256:${sha256Hex(text)}` !== input.sha256 || !lineage?.inputs.some((i) => i.copyKey === key && i.sha256 === input.sha256)) {
      throw new AuditLineageMismatchError(`the input copy ${key} does not hash to its name, or the lineage does not name it`);
    }
    puts.push([key, text]);
  }
  await Promise.all(puts.map(([key, text]) => store.putNew(key, text)));
}

/**
 * Validates the request and writes its item once (see the module comment). A retry of the same
 * write that finds its own S3 object (same hash) goes on to the conditional put; an object of
 * another answer under the key means the request id was used before: `conflict`.
 */
export async function writeAuditEntry(input: unknown, ports: AuditWriterPorts): Promise<AuditWriteResult> {
  const request = AuditWriteRequestSchema.parse(input);
  const { record, result } = request;
  await storeCopies(request, ports.store);
  const bytes = Buffer.byteLength(result, 'utf8');
  // The lineage shares the item's 400 KB with an inline answer.
  const lineageBytes = record.lineage ? Buffer.byteLength(JSON.stringify(record.lineage), 'utf8') : 0;
  let item: AuditRecord;
  if (bytes + lineageBytes <= (ports.inlineResultBytes ?? AUDIT_LIMITS.inlineResultBytes)) {
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

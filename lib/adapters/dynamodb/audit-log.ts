/**
 * The API audit trail in DynamoDB (table AUDIT_TABLE, partition key `requestId`, indexes
 * `bySymbol` and `byModelVersion`, see lib/config/resources.ts): one item per answer.
 *
 * Items are append-only: {@link AuditTable.putNew} is conditional on the request id being new,
 * so a replayed request id cannot overwrite an earlier answer ({@link AuditConflictError}). On
 * AWS only the audit writer Lambda has write permission on the table; the API reads with
 * {@link AuditTable.get} and {@link AuditTable.query} (Query on an index, never Scan).
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_TABLE, ENV } from '../../config/resources.ts';
import type { AuditRecord } from '../../schemas/audit-record.ts';
import { dynamoDocumentClient } from '../clients.ts';
import { requireEnv } from '../env.ts';

/** The request id already has an audit item; nothing was written. */
export class AuditConflictError extends Error {
  override name = 'AuditConflictError';
  constructor(
    readonly requestId: string,
    options?: { cause?: unknown },
  ) {
    super(`an audit item for request ${requestId} already exists`, options);
  }
}

/** The indexes of the audit table, by the attribute they are keyed on. */
export const AUDIT_INDEXES = {
  symbol: AUDIT_TABLE.globalSecondaryIndexes[0],
  modelVersion: AUDIT_TABLE.globalSecondaryIndexes[1],
} as const;

/** One page of items of one index key, newest first. Timestamps are ISO 8601 strings and bound inclusively. */
export interface AuditQuery {
  by: keyof typeof AUDIT_INDEXES;
  value: string;
  fromTimestamp?: string;
  toTimestamp?: string;
  limit: number;
  /** The `nextCursor` of the previous page of the same query. */
  cursor?: string;
}

export interface AuditPage {
  items: AuditRecord[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A pagination cursor the audit listing did not issue. */
export class InvalidAuditCursorError extends Error {
  override name = 'InvalidAuditCursorError';
  constructor(readonly cursor: string) {
    super('cursor is not one this listing issued');
  }
}

/**
 * Cursors carry the last item's timestamp and request id (with the queried key, that is the
 * index position to go on from), base64url-encoded: opaque to callers, checked on the way back.
 */
export const encodeAuditCursor = (last: Pick<AuditRecord, 'timestamp' | 'requestId'>): string =>
  Buffer.from(JSON.stringify(['a1', last.timestamp, last.requestId]), 'utf8').toString('base64url');

export function decodeAuditCursor(cursor: string): { timestamp: string; requestId: string } {
  try {
    const value = /^[A-Za-z0-9_-]{1,600}$/.test(cursor) ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown) : null;
    if (Array.isArray(value) && value.length === 3 && value[0] === 'a1' && typeof value[1] === 'string' && typeof value[2] === 'string') {
      return { timestamp: value[1], requestId: value[2] };
    }
  } catch {
    // not JSON: refused below
  }
  throw new InvalidAuditCursorError(cursor);
}

/** The audit table's operations: the writer's conditional put and the API's reads. */
export interface AuditTable {
  /** Puts the item if its request id has none yet; {@link AuditConflictError} otherwise. */
  putNew(item: AuditRecord): Promise<void>;
  get(requestId: string): Promise<AuditRecord | null>;
  query(q: AuditQuery): Promise<AuditPage>;
}

/** Minimal client surface used here (the shared document client, or a test double). */
export type AuditClient = Pick<DynamoDBDocumentClient, 'send'>;

/** The key condition of a query: equality on the index key, the timestamp range when given. */
function keyCondition(q: AuditQuery): { expression: string; values: Record<string, string> } {
  const values: Record<string, string> = { ':v': q.value };
  let expression = '#k = :v';
  if (q.fromTimestamp !== undefined && q.toTimestamp !== undefined) {
    expression += ' AND #t BETWEEN :from AND :to';
    values[':from'] = q.fromTimestamp;
    values[':to'] = q.toTimestamp;
  } else if (q.fromTimestamp !== undefined) {
    expression += ' AND #t >= :from';
    values[':from'] = q.fromTimestamp;
  } else if (q.toTimestamp !== undefined) {
    expression += ' AND #t <= :to';
    values[':to'] = q.toTimestamp;
  }
  return { expression, values };
}

/**
 * The audit table in DynamoDB. The table name defaults to `process.env.AUDIT_TABLE` and the
 * client to the shared document client, both resolved per call so a harness may set the
 * environment after import.
 */
export function dynamoAuditTable(opts: { tableName?: string; client?: AuditClient } = {}): AuditTable {
  const client = (): AuditClient => opts.client ?? dynamoDocumentClient();
  const tableName = (): string => opts.tableName ?? requireEnv(ENV.auditTable);
  return {
    async putNew(item) {
      try {
        await client().send(new PutCommand({ TableName: tableName(), Item: { ...item }, ConditionExpression: 'attribute_not_exists(requestId)' }));
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') {
          throw new AuditConflictError(item.requestId, { cause: err });
        }
        throw err;
      }
    },
    async get(requestId) {
      const out = await client().send(new GetCommand({ TableName: tableName(), Key: { requestId }, ConsistentRead: true }));
      return (out.Item as AuditRecord | undefined) ?? null;
    },
    async query(q) {
      const index = AUDIT_INDEXES[q.by];
      const { expression, values } = keyCondition(q);
      const start = q.cursor ? decodeAuditCursor(q.cursor) : undefined;
      const out = await client().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: index.indexName,
          KeyConditionExpression: expression,
          ExpressionAttributeNames: { '#k': index.partitionKey.name, ...(expression.includes('#t') ? { '#t': index.sortKey.name } : {}) },
          ExpressionAttributeValues: values,
          ScanIndexForward: false, // newest first
          Limit: q.limit,
          ...(start ? { ExclusiveStartKey: { requestId: start.requestId, timestamp: start.timestamp, [index.partitionKey.name]: q.value } } : {}),
        }),
      );
      const items = (out.Items ?? []) as AuditRecord[];
      const last = items.at(-1);
      return { items, nextCursor: out.LastEvaluatedKey && last ? encodeAuditCursor(last) : null };
    },
  };
}

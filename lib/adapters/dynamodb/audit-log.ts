/**
 * The API audit trail in DynamoDB (table AUDIT_TABLE, partition key `requestId`, see
 * lib/config/resources.ts): one item per answer, written before the answer is returned.
 *
 * Items are append-only: the put is conditional on the request id being new, so a replayed
 * request id cannot overwrite an earlier answer ({@link AuditConflictError}).
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../config/resources.ts';
import { dynamoDocumentClient } from '../clients.ts';
import { requireEnv } from '../env.ts';

export interface AuditRecord {
  /** API Gateway request id (or the Lambda request id when there is none). */
  requestId: string;
  /** When the answer was produced, ISO 8601 UTC. */
  timestamp: string;
  /** `METHOD /path` as requested, e.g. `POST /v1/risk/instrument`. */
  route: string;
  /**
   * `sha256:<hex>` of what was scored (200: the resolved history and confidence), or of the
   * request body for refused requests; null when there was no body. See docs/api.md.
   */
  inputHash: string | null;
  /** `sha256:<hex>` of the request body as received (canonical JSON); null without a body. */
  requestHash?: string | null;
  /** Champion model version that answered; null when no model was involved. */
  modelVersion: string | null;
  /** HTTP status returned. */
  status: number;
  /** The response body as returned (the score, or the problem details). */
  result: unknown;
  /** Instrument symbol, when the request named one. */
  symbol?: string | null;
}

export interface AuditLog {
  write(record: AuditRecord): Promise<void>;
}

export class AuditConflictError extends Error {
  override name = 'AuditConflictError';
  constructor(
    readonly requestId: string,
    options?: { cause?: unknown },
  ) {
    super(`an audit item for request ${requestId} already exists`, options);
  }
}

/** Minimal client surface used here (the shared document client, or a test double). */
export type AuditClient = Pick<DynamoDBDocumentClient, 'send'>;

/**
 * An audit log writing to DynamoDB. The table name defaults to `process.env.AUDIT_TABLE`
 * and the client to the shared document client, both resolved at write time so a harness
 * may set the environment after import.
 */
export function dynamoAuditLog(opts: { tableName?: string; client?: AuditClient } = {}): AuditLog {
  return {
    async write(record: AuditRecord): Promise<void> {
      const client = opts.client ?? dynamoDocumentClient();
      try {
        await client.send(
          new PutCommand({
            TableName: opts.tableName ?? requireEnv(ENV.auditTable),
            Item: { ...record },
            ConditionExpression: 'attribute_not_exists(requestId)',
          }),
        );
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') {
          throw new AuditConflictError(record.requestId, { cause: err });
        }
        throw err;
      }
    },
  };
}

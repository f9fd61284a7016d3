/**
 * The audit trail's objects in the data lake bucket: answer bodies too large for their item
 * (`audit/<yyyy>/<mm>/<dd>/<requestId>.json`) and the lineage's content-addressed copies (input
 * series under `audit/inputs/<sha256>.json`, long request bodies under
 * `audit/requests/<sha256>.json`). The bucket is encrypted at rest (SSE-KMS with the lake's
 * customer-managed key) and versioned; on AWS only the audit writer Lambda may put objects under `audit/`. Objects are
 * written once: the PUT carries `If-None-Match: *`, so an existing object is never replaced.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ENV } from '../../config/resources.ts';
import { AUDIT_INPUT_PREFIX, AUDIT_REQUEST_PREFIX, AUDIT_RESULT_PREFIX } from '../../schemas/audit-record.ts';
import { s3Client } from '../clients.ts';
import { requireEnv } from '../env.ts';
import { getText } from './objects.ts';

/** The key of a request's overflowing answer: the UTC date of its item's timestamp, then the request id. */
export function auditResultKey(timestamp: string, requestId: string): string {
  const [yyyy, mm, dd] = timestamp.slice(0, 10).split('-');
  return `${AUDIT_RESULT_PREFIX}${yyyy}/${mm}/${dd}/${requestId}.json`;
}

/** The key of an input series copy: its `sha256:<hex>` content hash, as hex. */
export const auditInputKey = (sha256: string): string => `${AUDIT_INPUT_PREFIX}${sha256.replace(/^sha256:/, '')}.json`;

/** The key of a request body copy: its `requestHash`, as hex. */
export const auditRequestKey = (requestHash: string): string => `${AUDIT_REQUEST_PREFIX}${requestHash.replace(/^sha256:/, '')}.json`;

/** Write-once storage of audit answer bodies. */
export interface AuditResultStore {
  /** Stores the text unless the key exists: `exists` when it did (the object is left unchanged). */
  putNew(key: string, body: string): Promise<'written' | 'exists'>;
  /** The stored text; throws ObjectMissingError when there is none. */
  get(key: string): Promise<string>;
}

/** True for S3's answers to a conditional PUT whose key already exists (412), or that lost to a concurrent one (409). */
function keyExists(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return status === 412 || status === 409 || e.name === 'PreconditionFailed' || e.name === 'ConditionalRequestConflict';
}

/** The store in S3; the bucket defaults to `process.env.DATA_BUCKET`, read per call. */
export function s3AuditResultStore(opts: { bucket?: string } = {}): AuditResultStore {
  const bucket = (): string => opts.bucket ?? requireEnv(ENV.dataBucket);
  return {
    async putNew(key, body) {
      try {
        await s3Client().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: 'application/json', IfNoneMatch: '*' }));
        return 'written';
      } catch (err) {
        if (keyExists(err)) return 'exists';
        throw err;
      }
    },
    get: (key) => getText(bucket(), key),
  };
}

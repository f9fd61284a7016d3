/**
 * Reading back what an audit record points at, for `riskfn audit lineage` and `riskfn audit
 * replay` (docs/lineage.md): the item, its answer and request bodies, the stored input series,
 * the model artifact and its registry entry, the training set of the run that made the model, the
 * lake objects as the answer read them (at their recorded version, or while their ETag is
 * unchanged) and the raw records behind their bars. Read-only; a missing object is `null`, never
 * an exception, so a report can say which piece is gone.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { sha256Hex } from '../domain/scoring/input-hash.ts';
import type { AuditRecord } from '../schemas/audit-record.ts';
import { s3Client } from './clients.ts';
import { type AuditTable, dynamoAuditTable } from './dynamodb/audit-log.ts';
import { dynamoModelRegistry, type ModelRegistryReader } from './dynamodb/model-registry.ts';
import type { LakeObjectRead } from './s3/lake-reader.ts';

/** An object's identity now: its ETag and (versioned bucket) version; null when it is gone. */
export interface ObjectHead {
  etag: string;
  versionId?: string;
}

/** A lake object read as an answer read it, or why it cannot be. */
export type LakeObjectAsRead = { bytes: Uint8Array; how: 'version' | 'etag' } | { changed: ObjectHead | null };

/** What the readers need: the data bucket; the audit table and the registry (default: from the environment). */
export interface AuditEvidence {
  bucket: string;
  record(requestId: string): Promise<AuditRecord | null>;
  /** An object's text; null when there is no such key. */
  text(key: string): Promise<string | null>;
  /** An object's bytes; null when there is no such key. */
  bytes(key: string): Promise<Uint8Array | null>;
  /** `sha256:<hex>` of an object's bytes; null when there is no such key. */
  sha256(key: string): Promise<string | null>;
  head(key: string): Promise<ObjectHead | null>;
  /** The object's bytes at the version the answer read (AWS), else its current bytes if the ETag is unchanged. */
  lakeObject(ref: LakeObjectRead): Promise<LakeObjectAsRead>;
  registry: ModelRegistryReader;
}

const status = (err: unknown): number | undefined => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isMissing = (err: unknown): boolean => {
  const name = (err as { name?: string }).name;
  return status(err) === 404 || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion';
};

async function getBytes(
  bucket: string,
  key: string,
  extra: { VersionId?: string; IfMatch?: string } = {},
): Promise<{ bytes: Uint8Array; etag: string } | null | 'precondition'> {
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
    return { bytes: (await out.Body?.transformToByteArray()) ?? new Uint8Array(), etag: out.ETag ?? '' };
  } catch (err) {
    if (status(err) === 412 || (err as { name?: string }).name === 'PreconditionFailed') return 'precondition';
    if (isMissing(err)) return null;
    throw err;
  }
}

/** The evidence readers over S3 and DynamoDB (clients and table names from the environment). */
export function auditEvidence(bucket: string, opts: { table?: AuditTable; registry?: ModelRegistryReader } = {}): AuditEvidence {
  const table = opts.table ?? dynamoAuditTable();
  const head = async (key: string): Promise<ObjectHead | null> => {
    try {
      const out = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const version = out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {};
      return { etag: out.ETag ?? '', ...version };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  };
  const bytes = async (key: string) => {
    const got = await getBytes(bucket, key);
    return got === null || got === 'precondition' ? null : got.bytes;
  };
  return {
    bucket,
    record: (requestId) => table.get(requestId),
    bytes,
    async text(key) {
      const got = await bytes(key);
      return got === null ? null : Buffer.from(got).toString('utf8');
    },
    async sha256(key) {
      const got = await bytes(key);
      return got === null ? null : `sha256:${sha256Hex(Buffer.from(got).toString('utf8'))}`;
    },
    head,
    async lakeObject(ref) {
      if (ref.versionId) {
        const got = await getBytes(bucket, ref.key, { VersionId: ref.versionId });
        if (got !== null && got !== 'precondition') return { bytes: got.bytes, how: 'version' };
      } else {
        // If-Match makes S3 refuse changed bytes (412); the ETag is compared too, as s3rver ignores the condition.
        const got = await getBytes(bucket, ref.key, { IfMatch: ref.etag });
        if (got !== null && got !== 'precondition' && got.etag === ref.etag) return { bytes: got.bytes, how: 'etag' };
      }
      return { changed: await head(ref.key) };
    },
    registry: opts.registry ?? dynamoModelRegistry(),
  };
}

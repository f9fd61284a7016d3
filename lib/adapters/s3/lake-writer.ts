/**
 * Writes planned lake objects (lib/domain/ingest/plan-record.ts) to S3. Plain PutObject: the
 * keys are deterministic, so a retry overwrites with identical bytes.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { LakeObject } from '../../domain/ingest/plan-record.ts';
import { mapWithConcurrency } from '../../util/map-with-concurrency.ts';
import { s3Client } from '../clients.ts';

/** PutObject calls in flight per writeLakeObjects call (one record rarely has more than a few objects). */
const WRITE_CONCURRENCY = 8;

class LakeWriteError extends Error {
  override name = 'LakeWriteError';
  constructor(
    readonly bucket: string,
    readonly key: string,
    options: { cause: unknown },
  ) {
    super(`writing s3://${bucket}/${key} failed: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

async function putLakeObject(bucket: string, obj: LakeObject): Promise<void> {
  try {
    await s3Client().send(
      new PutObjectCommand({ Bucket: bucket, Key: obj.key, Body: obj.body, ContentType: obj.contentType, ...(obj.metadata ? { Metadata: obj.metadata } : {}) }),
    );
  } catch (err) {
    throw new LakeWriteError(bucket, obj.key, { cause: err });
  }
}

/** Writes every object; rejects with the first LakeWriteError (objects already written stay, and are rewritten on retry). */
export async function writeLakeObjects(bucket: string, objects: readonly LakeObject[]): Promise<void> {
  await mapWithConcurrency(objects, WRITE_CONCURRENCY, (o) => putLakeObject(bucket, o));
}

/** Small S3 object helpers over the shared client: text in, text out; bytes in, bytes out; listing; delete. */
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { s3Client } from '../clients.ts';

export class ObjectMissingError extends Error {
  override name = 'ObjectMissingError';
  constructor(
    readonly bucket: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`s3://${bucket}/${key} does not exist`, options);
  }
}

async function put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

export async function putText(bucket: string, key: string, body: string, contentType = 'application/json'): Promise<void> {
  await put(bucket, key, body, contentType);
}

/** Stores bytes as they are (a binary object, e.g. a stored training set). */
export async function putBytes(bucket: string, key: string, body: Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
  await put(bucket, key, body, contentType);
}

/** Attempts per object: the SDK retries failed requests, but not a body stream cut while being read. */
const GET_ATTEMPTS = 3;

/** The object's text (UTF-8); {@link ObjectMissingError} when there is no such key. */
export async function getText(bucket: string, key: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await out.Body?.transformToString('utf-8')) ?? '';
    } catch (err) {
      // Some S3-compatible servers' errors are not the SDK's class, only its name.
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') throw new ObjectMissingError(bucket, key, { cause: err });
      if (attempt >= GET_ATTEMPTS) throw err;
    }
  }
}

/** The object's bytes; {@link ObjectMissingError} when there is no such key. */
export async function getBytes(bucket: string, key: string): Promise<Uint8Array> {
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') throw new ObjectMissingError(bucket, key, { cause: err });
    throw err;
  }
}

/** An object's bytes and the ETag they were read with. */
export interface BytesWithEtag {
  bytes: Uint8Array;
  etag: string;
  /** The object version read, when the bucket is versioned (S3 in AWS; s3rver has none). */
  versionId?: string;
}

/** What a conditional GET ({@link getBytesWithEtag} with `ifNoneMatch`) answers when the object's ETag is still that one (HTTP 304). */
export const NOT_MODIFIED = 'not-modified';

/**
 * The object's bytes and ETag, or null when there is no such key (for a conditional write back).
 * With `ifNoneMatch` (an ETag) the GET is conditional: {@link NOT_MODIFIED} when the object still
 * has that ETag, so a cached decoding of it can be reused without a download.
 */
export async function getBytesWithEtag(bucket: string, key: string): Promise<BytesWithEtag | null>;
export async function getBytesWithEtag(bucket: string, key: string, ifNoneMatch: string | undefined): Promise<BytesWithEtag | null | typeof NOT_MODIFIED>;
export async function getBytesWithEtag(bucket: string, key: string, ifNoneMatch?: string): Promise<BytesWithEtag | null | typeof NOT_MODIFIED> {
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(ifNoneMatch ? { IfNoneMatch: ifNoneMatch } : {}) }));
    const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    // S3 answers `null` as the version of an object written before versioning was enabled: no version to pin.
    return out.VersionId && out.VersionId !== 'null' ? { bytes, etag: out.ETag ?? '', versionId: out.VersionId } : { bytes, etag: out.ETag ?? '' };
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.$metadata?.httpStatusCode === 304) return NOT_MODIFIED;
    // Some S3-compatible servers' errors are not the SDK's class, only its name.
    if (err instanceof NoSuchKey || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
}

/** One listed object. */
export interface ListedObject {
  key: string;
  lastModified?: Date;
}

/** Every object under `prefix` (all pages), in key order. */
export async function listObjects(bucket: string, prefix: string): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) if (o.Key) out.push(o.LastModified ? { key: o.Key, lastModified: o.LastModified } : { key: o.Key });
  }
  return out;
}

export async function deleteObject(bucket: string, key: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

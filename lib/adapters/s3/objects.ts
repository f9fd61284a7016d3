/** Small S3 object helpers over the shared client: text in, text out. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../clients.ts';

export async function putText(bucket: string, key: string, body: string, contentType = 'application/json'): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

/** The object's text, or `null` when there is no such key. */
export async function getTextOrNull(bucket: string, key: string): Promise<string | null> {
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
    throw err;
  }
}

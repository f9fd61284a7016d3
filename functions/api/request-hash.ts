/**
 * What the audit trail keeps of a request body: `sha256:<hex>` of the bytes as received, their
 * count, and an excerpt of at most `AUDIT_LIMITS.excerptBytes`. Computed from the raw bytes, so
 * it works for every body (malformed JSON, `1e999`, deep nesting, binary) without parsing it.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AUDIT_LIMITS } from '../../lib/schemas/audit-record.ts';

/** The body's bytes as received: base64-decoded when API Gateway flagged it so, else its UTF-8 text; empty without a body. */
export function bodyBytes(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Buffer {
  if (typeof event.body !== 'string') return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** The request body as the audit item records it. */
export interface ReceivedBody {
  /** `sha256:<hex>` of the bytes (of zero bytes when there was no body). */
  requestHash: string;
  requestBytes: number;
  /** The first bytes as UTF-8 text, cut before a character that would not fit whole. */
  requestExcerpt: string;
  requestTruncated: boolean;
}

/** Start of the UTF-8 character at or before `i`: continuation bytes are 10xxxxxx. */
function charBoundary(bytes: Buffer, i: number): number {
  let j = i;
  while (j > 0 && (bytes[j] & 0xc0) === 0x80) j--;
  return j;
}

export function receivedBody(bytes: Buffer, excerptBytes: number = AUDIT_LIMITS.excerptBytes): ReceivedBody {
  const truncated = bytes.length > excerptBytes;
  const end = truncated ? charBoundary(bytes, excerptBytes) : bytes.length;
  return {
    requestHash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    requestBytes: bytes.length,
    requestExcerpt: bytes.subarray(0, end).toString('utf8'),
    requestTruncated: truncated,
  };
}

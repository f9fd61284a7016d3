/**
 * Hash of a request body as received, for the audit trail: `sha256:<hex>` of the canonical
 * JSON (RFC 8785) of the parsed body, or of the raw text when it is not JSON; null without a body.
 */
import { hashCanonical, sha256Hex } from '../../lib/domain/scoring/input-hash.ts';

export function requestHash(body: unknown): string | null {
  if (body === null || body === undefined || body === '') return null;
  if (typeof body !== 'string') return hashCanonical(body);
  try {
    return hashCanonical(JSON.parse(body));
  } catch {
    return `sha256:${sha256Hex(body)}`;
  }
}

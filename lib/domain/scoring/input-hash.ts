/**
 * Hashes that identify what was scored, for the audit trail: the same input hash and the same
 * model version always give the same answer.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../util/canonical-json.ts';
import type { PriceSeries } from '../prices/price-series.ts';

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `sha256:<hex>` of the canonical JSON (RFC 8785) of `value`. */
export function hashCanonical(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

/**
 * The input hash of a scoring: SHA-256 of the canonical JSON of
 * `{ symbol (or null), dates, close, confidence }`, i.e. the resolved history actually scored
 * (read from the lake or taken from the body) and the VaR confidence. A symbol request and a
 * body carrying the same history under the same symbol therefore hash alike.
 */
export function scoringInputHash(series: PriceSeries, confidence: number): string {
  return hashCanonical({
    symbol: series.symbol ?? null,
    dates: series.dates,
    close: series.close,
    confidence,
  });
}

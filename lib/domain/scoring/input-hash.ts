/**
 * Hashes that identify what was scored, for the audit trail: the same input hash and the same
 * model version always give the same answer.
 */
import { createHash } from 'node:crypto';
import { canonicalJsonParts } from '../../util/canonical-json.ts';
import type { PriceSeries } from '../prices/price-series.ts';

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `sha256:<hex>` of the concatenation of `parts` (UTF-8), without joining them. */
export function hashParts(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part, 'utf8');
  return `sha256:${hash.digest('hex')}`;
}

/** `sha256:<hex>` of the canonical JSON (RFC 8785) of `value`. */
export function hashCanonical(value: unknown): string {
  return hashParts(canonicalJsonParts(value));
}

/**
 * The input hash of a scoring: SHA-256 of the canonical JSON of
 * `{ symbol (or null), dates, close, confidence }`, i.e. the resolved history actually scored
 * (read from the lake or taken from the body, cut at `asOf` when one was asked for) and the VaR
 * confidence. A symbol request and a body carrying the same history under the same symbol
 * therefore hash alike. A history with OHLC bars adds `open`, `high`, `low` (they change the
 * answer); a close-only history hashes exactly as before they were accepted.
 */
export function scoringInputHash(series: PriceSeries, confidence: number): string {
  const { open, high, low } = series;
  return hashCanonical({
    symbol: series.symbol ?? null,
    dates: series.dates,
    close: series.close,
    ...(open && high && low ? { open, high, low } : {}),
    confidence,
  });
}

/**
 * The input hash of a portfolio: SHA-256 of the canonical JSON of
 * `{ holdings: [{ symbol, dates, close }], weights, parameters }`: each holding's resolved
 * history (whole, before the inner join), the weights actually used (after normalising or
 * valuing quantities) and the parameters of the computation.
 */
export function portfolioInputHash(holdings: ReadonlyArray<{ symbol: string; series: PriceSeries }>, weights: readonly number[], parameters: object): string {
  return hashCanonical({
    holdings: holdings.map((h) => ({ symbol: h.symbol, dates: h.series.dates, close: h.series.close })),
    weights,
    parameters,
  });
}

/** The input hash of a backtest: SHA-256 of the canonical JSON of `{ symbol (or null), dates, close, parameters }`. */
export function backtestInputHash(series: PriceSeries, parameters: object): string {
  return hashCanonical({ symbol: series.symbol ?? null, dates: series.dates, close: series.close, parameters });
}

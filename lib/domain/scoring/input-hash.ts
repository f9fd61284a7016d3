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
  return `sha256:${sha256Hex(canonicalText(value))}`;
}

/** A value canonicalJson refuses was met: the generic writer runs instead, to throw its own error. */
class NotAColumn extends Error {}

/**
 * `canonicalJson(value)`, the same text, with the per-date columns of a history (Float64Arrays of
 * finite numbers, arrays of strings) each written in one pass: a history has thousands of
 * entries, and writing them one by one dominated the time of a scoring. A finite number's
 * text is its ECMAScript string (what JSON.stringify and Array.prototype.join both write), a
 * string's is JSON.stringify's. Anything else, and any value canonicalJson refuses (its error,
 * naming the member, is the one thrown), goes to canonicalJson.
 */
export function canonicalText(value: unknown): string {
  try {
    return write(value);
  } catch (err) {
    if (err instanceof NotAColumn) return canonicalJson(value);
    throw err;
  }
}

function write(value: unknown): string {
  if (value instanceof Float64Array) {
    for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i])) throw new NotAColumn();
    return `[${value.join(',')}]`;
  }
  if (Array.isArray(value)) {
    let strings = true;
    for (let i = 0; i < value.length && strings; i++) strings = typeof value[i] === 'string';
    if (strings) return JSON.stringify(value);
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new NotAColumn(); // a hole: canonicalJson's to refuse
      items.push(write(value[i]));
    }
    return `[${items.join(',')}]`;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const members: string[] = [];
    // Default sort compares UTF-16 code units, RFC 8785's order (as canonicalJson).
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) members.push(`${JSON.stringify(key)}:${write(v)}`);
    }
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new NotAColumn();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  throw new NotAColumn();
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

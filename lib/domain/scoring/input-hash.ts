/**
 * Hashes that identify what was scored, for the audit trail: the same input hash and the same
 * model version always give the same answer.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../util/canonical-json.ts';
import { LruCache } from '../../util/lru-cache.ts';
import type { PriceSeries } from '../prices/price-series.ts';

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `sha256:<hex>` of the canonical JSON (RFC 8785) of `value`. */
export function hashCanonical(value: unknown): string {
  const parts = canonicalParts(value);
  if (parts === null) return `sha256:${sha256Hex(canonicalJson(value))}`;
  // Hashed piece by piece: no need to join a long text first.
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part, 'utf8');
  return `sha256:${hash.digest('hex')}`;
}

/**
 * `canonicalJson(value)`, the same text, with the per-date columns of a history (Float64Arrays of
 * finite numbers, arrays of strings) each written in one pass and remembered (see
 * {@link remembered}): a history has thousands of entries, and writing them one by one
 * dominated the time of a scoring. A finite number's text is its ECMAScript string (what
 * JSON.stringify and Array.prototype.join both write), a string's is JSON.stringify's. Any value
 * canonicalJson refuses is left to it, so its error (naming the member) is the one thrown.
 */
export function canonicalText(value: unknown): string {
  return canonicalParts(value)?.join('') ?? canonicalJson(value);
}

/** The canonical text of `value` in pieces, or null when it holds something only canonicalJson handles (or refuses). */
function canonicalParts(value: unknown): string[] | null {
  const parts: string[] = [];
  return write(value, parts) ? parts : null;
}

/** Columns shorter than this are written each time (their text costs less than a look-up). */
const MIN_REMEMBERED_LENGTH = 64;
/** Column texts remembered: a portfolio of the most holdings allowed (50) with their dates, twice over. */
const REMEMBERED_COLUMNS = 200;

/**
 * The texts of recently written columns, by content: the same history is hashed again on every
 * request about it (a lake symbol, each holding of a portfolio), and writing numbers in their
 * shortest decimal form is most of a hash's cost. An entry keeps a copy of its column and is
 * used only when the column equals it element for element, so a changed history (a new day, a
 * correction) is written anew.
 */
const remembered = new LruCache<string, { column: Float64Array | string[]; text: string }>(REMEMBERED_COLUMNS);

function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What ECMAScript's Number::toString writes for `x` (as JSON.stringify and Array.prototype.join
 * do) when x is a price in cents — the double nearest to k/100, 0.01 ≤ |x| < 1e13 — else
 * undefined. Such an x has the decimal k/100 of at most 15 significant digits, and distinct
 * decimals of at most 15 digits read back as distinct doubles, so k/100 is x's one shortest
 * decimal: what Number::toString writes, without an exponent in this range.
 */
function centsText(x: number): string | undefined {
  const a = Math.abs(x);
  if (!(a >= 0.01 && a < 1e13)) return undefined;
  const k = Math.round(a * 100);
  if (k / 100 !== a) return undefined;
  const cents = k % 100;
  const whole = `${x < 0 ? '-' : ''}${(k - cents) / 100}`;
  if (cents === 0) return whole;
  return `${whole}.${cents < 10 ? `0${cents}` : cents % 10 === 0 ? cents / 10 : cents}`;
}

/**
 * `[x0,x1,…]` of a column of finite numbers: prices in cents written by {@link centsText} (2–3
 * times faster than the engine's general shortest-decimal conversion), any other column by join.
 */
function writeNumbers(column: Float64Array): string {
  let text = '[';
  for (let i = 0; i < column.length; i++) {
    const x = centsText(column[i]);
    if (x === undefined) return `[${column.join(',')}]`;
    text += i === 0 ? x : `,${x}`;
  }
  return `${text}]`;
}

/** The text of a column of finite numbers. */
function numbersText(column: Float64Array): string {
  const n = column.length;
  if (n < MIN_REMEMBERED_LENGTH) return writeNumbers(column);
  const key = `numbers ${n} ${column[0]} ${column[n >> 1]} ${column[n - 1]}`;
  const hit = remembered.get(key);
  if (hit && hit.column instanceof Float64Array && sameNumbers(hit.column, column)) return hit.text;
  const text = writeNumbers(column);
  remembered.set(key, { column: column.slice(), text });
  return text;
}

/** The text of a column of strings. */
function stringsText(column: string[]): string {
  const n = column.length;
  if (n < MIN_REMEMBERED_LENGTH) return JSON.stringify(column);
  const key = `strings ${n} ${column[0]} ${column[n >> 1]} ${column[n - 1]}`;
  const hit = remembered.get(key);
  if (hit && Array.isArray(hit.column) && sameStrings(hit.column, column)) return hit.text;
  const text = JSON.stringify(column);
  remembered.set(key, { column: column.slice(), text });
  return text;
}

/** Appends the canonical text of `value` to `parts`; false when it holds something only canonicalJson handles. */
function write(value: unknown, parts: string[]): boolean {
  if (value instanceof Float64Array) {
    for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i])) return false;
    parts.push(numbersText(value));
    return true;
  }
  if (Array.isArray(value)) {
    let strings = true;
    for (let i = 0; i < value.length && strings; i++) strings = typeof value[i] === 'string';
    if (strings) {
      parts.push(stringsText(value));
      return true;
    }
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return false; // a hole: canonicalJson's to refuse
      if (i > 0) parts.push(',');
      if (!write(value[i], parts)) return false;
    }
    parts.push(']');
    return true;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    parts.push('{');
    let first = true;
    // Default sort compares UTF-16 code units, RFC 8785's order (as canonicalJson).
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      parts.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (!write(v, parts)) return false;
    }
    parts.push('}');
    return true;
  }
  if (typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' || typeof value === 'boolean' || value === null) {
    parts.push(JSON.stringify(value));
    return true;
  }
  return false;
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

/**
 * Canonical JSON text of a value, following RFC 8785 (JSON Canonicalization Scheme) for the
 * values this project hashes: object keys sorted by UTF-16 code units, no whitespace, strings
 * and numbers serialised as ECMAScript's JSON.stringify does (which is what JCS specifies).
 * Typed arrays are written as plain arrays; `undefined` object members are dropped (as
 * JSON.stringify does).
 *
 * Throws {@link NonCanonicalValueError} for values JSON cannot carry (NaN, ±Infinity, bigint,
 * functions, symbols), naming the JSON Pointer of the offending member.
 *
 * It is on the API's hot path (every input hash writes a whole price history), so the columns a
 * history is made of take fast paths that write the same text: a Float64Array in one pass
 * (prices in cents without the engine's general number-to-text conversion), an array of strings
 * with one JSON.stringify, and the texts of recent long columns remembered by content (see
 * {@link remembered}); the pointer of a refused member is only built when one is refused.
 */
import { LruCache } from './lru-cache.ts';

export class NonCanonicalValueError extends Error {
  override name = 'NonCanonicalValueError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot canonicalise ${path || '(root)'}: ${reason}`);
  }
}

const escapePointer = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

export function canonicalJson(value: unknown): string {
  return canonicalJsonParts(value).join('');
}

/**
 * The canonical JSON text of `value` as pieces whose concatenation is {@link canonicalJson}'s
 * text, for a hash to consume piece by piece: a long remembered column is then the same string
 * object on every call, never copied into a new text (on a 10-holding portfolio, writing the
 * joined text cost three times the hashing).
 */
export function canonicalJsonParts(value: unknown): string[] {
  const parts: string[] = [];
  write(value, parts);
  return parts;
}

/** The refusal of a member, re-thrown with the member's pointer segment in front of its path. */
function within(segment: string, err: unknown): never {
  if (err instanceof NonCanonicalValueError) throw new NonCanonicalValueError(`/${segment}${err.path}`, err.reason);
  throw err;
}

/** Appends the canonical text of `value` to `parts`. */
function write(value: unknown, parts: string[]): void {
  if (value === null) {
    parts.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
    case 'string':
      parts.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NonCanonicalValueError('', `${value} is not a JSON number`);
      parts.push(JSON.stringify(value));
      return;
    case 'object': {
      if (value instanceof Float64Array) {
        parts.push(numbersText(value));
        return;
      }
      if (Array.isArray(value) && everyString(value)) {
        parts.push(stringsText(value));
        return;
      }
      if (Array.isArray(value) || ArrayBuffer.isView(value)) {
        const items = Array.from(value as ArrayLike<unknown>);
        parts.push('[');
        for (let i = 0; i < items.length; i++) {
          if (i > 0) parts.push(',');
          try {
            write(items[i], parts);
          } catch (err) {
            within(String(i), err);
          }
        }
        parts.push(']');
        return;
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      parts.push('{');
      entries.forEach(([k, v], i) => {
        parts.push(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
        try {
          write(v, parts);
        } catch (err) {
          within(escapePointer(k), err);
        }
      });
      parts.push('}');
      return;
    }
    default:
      throw new NonCanonicalValueError('', `${typeof value} is not a JSON value`);
  }
}

/** Columns shorter than this are written each time (their text costs less than a look-up). */
const MIN_REMEMBERED_LENGTH = 64;
/** Column texts remembered: a portfolio of the most holdings the API allows (50) with their dates, twice over. */
const REMEMBERED_COLUMNS = 200;

/**
 * The texts of recently written long columns, by content: the same history is hashed again on
 * every request about it (a lake symbol, each holding of a portfolio), and writing numbers in
 * their shortest decimal form is most of a hash's cost. An entry keeps a copy of its column and is
 * used only when the column equals it element for element, so a changed history (a new day, a
 * correction) is written anew.
 */
const remembered = new LruCache<string, { column: Float64Array | string[]; text: string }>(REMEMBERED_COLUMNS);

function sameEntries(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The text of a column of numbers (refused when one is not finite). */
function numbersText(column: Float64Array): string {
  const n = column.length;
  if (n < MIN_REMEMBERED_LENGTH) return writeNumbers(column);
  const key = `numbers ${n} ${column[0]} ${column[n >> 1]} ${column[n - 1]}`;
  const hit = remembered.get(key);
  if (hit && hit.column instanceof Float64Array && sameEntries(hit.column, column)) return hit.text;
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
  if (hit && Array.isArray(hit.column) && sameEntries(hit.column, column)) return hit.text;
  const text = JSON.stringify(column);
  remembered.set(key, { column: column.slice(), text });
  return text;
}

/** True when every index of `a` holds a string (a hole does not). */
function everyString(a: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'string') return false;
  return true;
}

/**
 * `[x0,x1,…]` of a Float64Array: prices in cents written by {@link centsText} (2–3 times faster
 * than the engine's general shortest-decimal conversion), any other column by join (the same
 * Number::toString text); the first non-finite entry is refused with its index.
 */
function writeNumbers(column: Float64Array): string {
  for (let i = 0; i < column.length; i++) {
    if (!Number.isFinite(column[i])) throw new NonCanonicalValueError(`/${i}`, `${column[i]} is not a JSON number`);
  }
  let text = '[';
  for (let i = 0; i < column.length; i++) {
    const x = centsText(column[i]);
    if (x === undefined) return `[${column.join(',')}]`;
    text += i === 0 ? x : `,${x}`;
  }
  return `${text}]`;
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

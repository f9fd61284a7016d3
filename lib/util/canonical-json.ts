/**
 * Canonical JSON text of a value, following RFC 8785 (JSON Canonicalization Scheme) for the
 * values this project hashes: object keys sorted by UTF-16 code units, no whitespace, strings
 * and numbers serialised as ECMAScript's JSON.stringify does (which is what JCS specifies).
 * Typed arrays are written as plain arrays; `undefined` object members are dropped (as
 * JSON.stringify does).
 *
 * Throws {@link NonCanonicalValueError} for values JSON cannot carry (NaN, ±Infinity, bigint,
 * functions, symbols), naming the JSON Pointer of the offending member.
 */

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
  return write(value, '');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NonCanonicalValueError(path, `${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value) || ArrayBuffer.isView(value)) {
        const items = Array.from(value as ArrayLike<unknown>, (v, i) => write(v, `${path}/${i}`));
        return `[${items.join(',')}]`;
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${write(v, `${path}/${escapePointer(k)}`)}`);
      return `{${entries.join(',')}}`;
    }
    default:
      throw new NonCanonicalValueError(path, `${typeof value} is not a JSON value`);
  }
}

/**
 * canonicalJson's fast paths (Float64Array columns, arrays of strings, pointers built only on a
 * refusal) write exactly the text of the plain RFC 8785 writer below — so every hash an answer
 * or an audit item carries is unchanged — and refuse exactly what it refuses, with its error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { hashCanonical, sha256Hex } from '../../../lib/domain/scoring/input-hash.ts';
import { canonicalJson, NonCanonicalValueError } from '../../../lib/util/canonical-json.ts';

/** The plain writer: every member written one by one, its pointer carried along. */
function referenceCanonicalJson(value: unknown, path = ''): string {
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
        return `[${Array.from(value as ArrayLike<unknown>, (v, i) => referenceCanonicalJson(v, `${path}/${i}`)).join(',')}]`;
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v, `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`)}`);
      return `{${entries.join(',')}}`;
    }
    default:
      throw new NonCanonicalValueError(path, `${typeof value} is not a JSON value`);
  }
}

/** The text, or the refusal's class and message. */
function outcome(write: (v: unknown) => string, value: unknown): string {
  try {
    return write(value);
  } catch (err) {
    return `threw ${(err as Error).name}: ${(err as Error).message}`;
  }
}

/** Prices in cents, k/100, over the whole range the fast writer takes (|x| < 1e13) and beyond it. */
const cents = fc.oneof(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 })).map((k) => k / 100);
// Long enough, often, to be remembered (64 entries or more); all in cents, or any doubles, or a mix.
const column = fc
  .oneof(fc.array(fc.double(), { maxLength: 90 }), fc.array(cents, { maxLength: 90 }), fc.array(fc.oneof(cents, fc.double()), { maxLength: 90 }))
  .map((x) => Float64Array.from(x));
const dates = fc.array(fc.string({ unit: 'binary' }), { maxLength: 90 });
const history = fc.record(
  {
    symbol: fc.option(fc.oneof(fc.string(), fc.constantFrom('\ud800', 'x\udfffy', '\u{1F600}', '"\\\n')), { nil: null }),
    dates,
    close: column,
    open: fc.option(column, { nil: undefined }),
    confidence: fc.double(),
  },
  { requiredKeys: ['symbol', 'dates', 'close', 'confidence'] },
);

describe('canonicalJson fast paths', () => {
  test('histories (numbers of every kind, NaN and ±Infinity included; strings with escapes and lone surrogates): the same text or the same error (property)', () => {
    fc.assert(
      fc.property(history, fc.array(history, { maxLength: 3 }), (h, holdings) => {
        const portfolio = { holdings, weights: holdings.map((_, i) => i / 3), parameters: { confidence: 0.99, covariance: 'sample' } };
        for (const value of [h, portfolio]) {
          assert.equal(outcome(canonicalJson, value), outcome(referenceCanonicalJson, value));
          const hashOf = (v: unknown) => `sha256:${sha256Hex(referenceCanonicalJson(v))}`;
          assert.equal(outcome(hashCanonical, value), outcome(hashOf, value));
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  test('any value (typed arrays, sparse arrays, boxed values, null prototypes, maps, dates): the same text or the same error (property)', () => {
    const anything = fc.anything({
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      withNullPrototype: true,
      withMap: true,
      withSet: true,
      withDate: true,
      withBigInt: true,
      withObjectString: true,
    });
    fc.assert(
      fc.property(anything, (v) => {
        assert.equal(outcome(canonicalJson, v), outcome(referenceCanonicalJson, v));
      }),
      { numRuns: 500, seed: 12 },
    );
  });

  test('a remembered column changed in place, or a new column with its first, middle and last entries, is written anew', () => {
    const close = Float64Array.from({ length: 300 }, (_, i) => 100 + i / 8);
    const dates = Array.from({ length: 300 }, (_, i) => `d${String(i).padStart(3, '0')}`);
    const first = hashCanonical({ dates, close });
    assert.equal(first, `sha256:${sha256Hex(referenceCanonicalJson({ dates, close }))}`);
    const seen = new Set([first]);
    const edits = [
      () => {
        close[7] = 2.25; // not the first, middle or last entry: only the comparison of contents sees it
      },
      () => {
        dates[8] = 'x';
      },
      () => {
        close[150] = 1.5; // the middle entry: the look-up key changes
      },
    ];
    for (const edit of edits) {
      edit();
      const changed = hashCanonical({ dates, close });
      assert.ok(!seen.has(changed));
      seen.add(changed);
      assert.equal(changed, `sha256:${sha256Hex(referenceCanonicalJson({ dates, close }))}`);
    }
    assert.equal(canonicalJson({ dates: [...dates], close: close.slice() }), referenceCanonicalJson({ dates, close }));
  });

  test('prices in cents are written as Number::toString writes them (property, and the edges)', () => {
    const edges = [0.01, 0.1, 0.5, 0.05, 1, 9.99, 10, 100.1, 1613.63, 1e13 - 0.01, 1e13, 99999999999.99, 0.009, 123456789012.34, 5e-324, 2 ** 53 / 100];
    const column = Float64Array.from([...edges, ...edges.map((x) => -x)]);
    assert.equal(canonicalJson(column), JSON.stringify(Array.from(column)));
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 200 }), (xs) => {
        const c = Float64Array.from(xs);
        assert.equal(canonicalJson(c), `[${xs.map((x) => JSON.stringify(x)).join(',')}]`);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  test('a history: known text; a non-finite close is refused naming its member', () => {
    const h = { symbol: 'X', dates: ['2024-01-02', '2024-01-03'], close: Float64Array.of(100, 101.25), confidence: 0.95 };
    assert.equal(canonicalJson(h), '{"close":[100,101.25],"confidence":0.95,"dates":["2024-01-02","2024-01-03"],"symbol":"X"}');
    assert.throws(() => canonicalJson({ ...h, close: Float64Array.of(100, Number.NaN) }), /cannot canonicalise \/close\/1: NaN is not a JSON number/);
  });
});

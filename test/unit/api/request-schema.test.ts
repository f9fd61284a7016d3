import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrors, jsonPointer, MAX_FIELD_ERRORS } from '../../../functions/api/field-errors.ts';
import { DEFAULT_CONFIDENCE } from '../../../lib/domain/risk/index.ts';
import { MAX_PRICES } from '../../../lib/schemas/price-point.ts';
import { RiskInstrumentRequestSchema } from '../../../lib/schemas/risk-instrument-request.ts';

const errorsOf = (body: unknown) => {
  const r = RiskInstrumentRequestSchema.safeParse(body);
  assert.equal(r.success, false, 'expected the body to be refused');
  return fieldErrors(r.error!);
};
const paths = (body: unknown) => errorsOf(body).map((e) => e.path);

describe('RiskInstrumentRequestSchema', () => {
  test("accepts a symbol alone and defaults confidence to 0.95, the risk engine's default", () => {
    assert.deepEqual(RiskInstrumentRequestSchema.parse({ symbol: 'DAX' }), { symbol: 'DAX', confidence: 0.95 });
    assert.equal(DEFAULT_CONFIDENCE, 0.95);
  });

  test('accepts prices without a symbol, keeping them in order', () => {
    const prices = [
      { date: '2024-01-02', close: 101.2 },
      { date: '2024-01-03', close: 100.7 },
    ];
    assert.deepEqual(RiskInstrumentRequestSchema.parse({ prices, confidence: 0.99 }), { prices, confidence: 0.99 });
  });

  test('requires symbol when there are no prices', () => {
    assert.deepEqual(errorsOf({}), [{ path: '/symbol', message: 'symbol is required when prices are not given' }]);
  });

  test('names each bad field with a JSON Pointer', () => {
    assert.deepEqual(paths({ symbol: 'D A X' }), ['/symbol']);
    assert.deepEqual(paths({ symbol: 'x'.repeat(33) }), ['/symbol']);
    assert.equal(RiskInstrumentRequestSchema.parse({ symbol: '^GDAXI' }).symbol, '^GDAXI');
    assert.deepEqual(paths({ symbol: 'DAX', confidence: 0.5 }), ['/confidence']);
    assert.deepEqual(paths({ symbol: 'DAX', confidence: 1 }), ['/confidence']);
    assert.deepEqual(paths({ symbol: 'DAX', confidence: '0.9' }), ['/confidence']);
    assert.deepEqual(paths({ prices: [{ date: '2024-01-02', close: 1 }] }), ['/prices']);
    assert.deepEqual(
      paths({
        prices: [
          { date: '2024-02-30', close: 1 },
          { date: '2024-03-01', close: -2 },
        ],
      }),
      ['/prices/0/date', '/prices/1/close'],
    );
    assert.deepEqual(paths({ prices: [{ date: '2024-01-02', close: 1 }, { date: '2024-01-03' }] }), ['/prices/1/close']);
    assert.deepEqual(paths('not an object'), ['']);
    assert.deepEqual(paths(null), ['']);
  });

  test('refuses unknown fields by name', () => {
    assert.deepEqual(errorsOf({ symbol: 'DAX', confidance: 0.99 }), [{ path: '/confidance', message: 'unknown field' }]);
    assert.deepEqual(
      paths({
        prices: [
          { date: '2024-01-02', close: 1, volume: 1 },
          { date: '2024-01-03', close: 2 },
        ],
      }),
      ['/prices/0/volume'],
    );
  });

  test('refuses dates that are not strictly ascending, at the later entry', () => {
    const prices = [
      { date: '2024-01-02', close: 1 },
      { date: '2024-01-04', close: 1 },
      { date: '2024-01-04', close: 1 },
      { date: '2024-01-03', close: 1 },
    ];
    assert.deepEqual(paths({ prices }), ['/prices/2/date', '/prices/3/date']);
  });

  test(`refuses more than ${MAX_PRICES} prices`, () => {
    const prices = Array.from({ length: MAX_PRICES + 1 }, (_, i) => ({ date: new Date(Date.UTC(1900, 0, 1 + i)).toISOString().slice(0, 10), close: 1 }));
    assert.deepEqual(paths({ prices }), ['/prices']);
  });
});

describe('fieldErrors', () => {
  test('escapes ~ and / in pointers (RFC 6901)', () => {
    assert.equal(jsonPointer(['a/b', 'c~d', 0]), '/a~1b/c~0d/0');
    assert.equal(jsonPointer([]), '');
  });

  test(`lists at most ${MAX_FIELD_ERRORS} errors, the last saying how many more`, () => {
    const prices = Array.from({ length: 30 }, () => ({ date: 'bad', close: 1 }));
    const errors = errorsOf({ prices });
    assert.equal(errors.length, MAX_FIELD_ERRORS);
    assert.equal(errors[0].path, '/prices/0/date');
    assert.deepEqual(errors.at(-1), { path: '', message: '... and 11 more errors' });
  });
});

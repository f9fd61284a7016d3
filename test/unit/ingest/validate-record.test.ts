import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { validateRecordData } from '../../../lib/domain/ingest/validate-record.ts';
import { MAX_BARS_PER_RECORD, MarketDataRecordSchema } from '../../../lib/schemas/market-data-record.ts';

/** A latest-accepted date far ahead: these tests are about the other rules. */
const validate = (v: Uint8Array) => validateRecordData(v, '2100-01-01');

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const json = (v: unknown): Uint8Array => enc(JSON.stringify(v));
const bar = (date: string, close: unknown = 100) => ({ symbol: 'dax', date, close, source: 't' });

describe('validateRecordData: record-level outcomes', () => {
  test('a single bar', () => {
    const v = validate(json(bar('2024-01-02')));
    assert.equal(v.kind, 'bar');
    assert.deepEqual(v.accepted, [{ index: 0, bar: { symbol: 'DAX', date: '2024-01-02', close: 100, source: 't' }, raw: bar('2024-01-02') }]);
    assert.equal(v.split, false);
    assert.deepEqual(v.rejected, []);
  });

  test('text that is not JSON → NOT_JSON, original text kept', () => {
    const v = validate(enc('close=100;symbol=DAX'));
    assert.equal(v.kind, 'invalid');
    assert.equal(v.rejected.length, 1);
    const r = v.rejected[0]!;
    assert.equal(r.reason, 'NOT_JSON');
    assert.match(r.detail, /not JSON/);
    assert.equal(r.payloadText, 'close=100;symbol=DAX');
    assert.equal(r.barIndex, undefined);
  });

  test('bytes that are not UTF-8 → NOT_JSON, no text, bytes kept', () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const r = validate(bytes).rejected[0]!;
    assert.equal(r.reason, 'NOT_JSON');
    assert.match(r.detail, /UTF-8/);
    assert.equal(r.payloadText, undefined);
    assert.deepEqual([...r.payload], [0x7b, 0xff, 0xfe, 0x7d]);
  });

  test('a UTF-8 byte-order mark is accepted', () => {
    const v = validate(enc(`\uFEFF${JSON.stringify(bar('2024-01-02'))}`));
    assert.equal(v.accepted.length, 1);
  });

  test('a number that overflows in JSON (1e999) → NON_FINITE_PRICE, raw text kept', () => {
    const text = '{"symbol":"A","date":"2024-01-02","close":1e999,"source":"t"}';
    const r = validate(enc(text)).rejected[0]!;
    assert.equal(r.reason, 'NON_FINITE_PRICE');
    assert.equal(r.payloadText, text);
  });

  test('a single invalid bar rejects the whole record with its payload unchanged', () => {
    const text = JSON.stringify(bar('2024-01-02', -1));
    const v = validate(enc(text));
    assert.equal(v.kind, 'invalid');
    assert.equal(v.rejected[0]!.reason, 'NON_POSITIVE_PRICE');
    assert.equal(v.rejected[0]!.payloadText, text);
  });

  test('JSON that is neither a bar nor a batch (array, string) → SCHEMA_INVALID_FIELD', () => {
    assert.equal(validate(json([bar('2024-01-02')])).rejected[0]!.reason, 'SCHEMA_INVALID_FIELD');
    assert.equal(validate(json('hello')).rejected[0]!.reason, 'SCHEMA_INVALID_FIELD');
  });
});

describe('validateRecordData: batches', () => {
  test('bad bars are rejected one by one; the others are accepted with their index', () => {
    const v = validate(json({ bars: [bar('2024-01-02'), bar('2024-01-03', 'abc'), bar('2024-02-30'), bar('2024-01-04', 101)] }));
    assert.equal(v.kind, 'batch');
    assert.deepEqual(
      v.accepted.map((a) => [a.index, a.bar.date, a.bar.close]),
      [
        [0, '2024-01-02', 100],
        [3, '2024-01-04', 101],
      ],
    );
    assert.deepEqual(
      v.rejected.map((r) => [r.barIndex, r.reason]),
      [
        [1, 'SCHEMA_INVALID_FIELD'],
        [2, 'INVALID_DATE'],
      ],
    );
    assert.match(v.rejected[0]!.detail, /^bars\.1\.close: /);
    assert.deepEqual(JSON.parse(v.rejected[1]!.payloadText!), bar('2024-02-30'));
  });

  test('an overflowing number inside a batch stays visible in the rejected bar payload', () => {
    const v = validate(enc('{"bars":[{"symbol":"A","date":"2024-01-02","close":1e999,"source":"t"}]}'));
    assert.equal(v.rejected[0]!.reason, 'NON_FINITE_PRICE');
    assert.equal(JSON.parse(v.rejected[0]!.payloadText!).close, 'Infinity');
  });

  test(`more than ${MAX_BARS_PER_RECORD} bars → BATCH_TOO_LARGE for the whole record`, () => {
    const bars = Array.from({ length: MAX_BARS_PER_RECORD + 1 }, () => bar('2024-01-02'));
    const v = validate(json({ bars }));
    assert.equal(v.accepted.length, 0);
    assert.deepEqual(
      v.rejected.map((r) => r.reason),
      ['BATCH_TOO_LARGE'],
    );
    assert.match(v.rejected[0]!.detail, /1001 bars/);
    assert.equal(validate(json({ bars: bars.slice(1) })).accepted.length, MAX_BARS_PER_RECORD);
  });

  test('an empty batch → EMPTY_BATCH; bars not an array → SCHEMA_INVALID_FIELD', () => {
    assert.deepEqual(
      validate(json({ bars: [] })).rejected.map((r) => r.reason),
      ['EMPTY_BATCH'],
    );
    assert.deepEqual(
      validate(json({ bars: { a: 1 } })).rejected.map((r) => r.reason),
      ['SCHEMA_INVALID_FIELD'],
    );
  });

  test('property: every bar of a batch is accepted or rejected, exactly once, never dropped', () => {
    const anyBar = fc.record(
      {
        symbol: fc.oneof(fc.constantFrom('DAX', 'smi', 'bad sym', ''), fc.string({ maxLength: 5 })),
        date: fc.oneof(fc.constantFrom('2024-01-02', '2024-02-30', 'x'), fc.string({ maxLength: 10 })),
        close: fc.oneof(fc.double(), fc.constantFrom('1.5', 'NaN', 'abc', null)),
        open: fc.oneof(fc.double({ min: 1, max: 200, noNaN: true }), fc.constant(undefined)),
        high: fc.oneof(fc.double({ min: 1, max: 200, noNaN: true }), fc.constant(undefined)),
        low: fc.oneof(fc.double({ min: 1, max: 200, noNaN: true }), fc.constant(undefined)),
        source: fc.constantFrom('s', ''),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(anyBar, fc.anything()), { minLength: 1, maxLength: 30 }), (bars) => {
        const v = validate(json({ bars }));
        const seen = [...v.accepted.map((a) => a.index), ...v.rejected.map((r) => r.barIndex!)].sort((a, b) => a - b);
        assert.deepEqual(
          seen,
          bars.map((_, i) => i),
        );
        for (const a of v.accepted) {
          assert.ok(Number.isFinite(a.bar.close) && a.bar.close > 0);
          assert.match(a.bar.date, /^\d{4}-\d{2}-\d{2}$/);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('MarketDataRecordSchema (the producer contract)', () => {
  test('accepts a bar or a batch of 1-1000 bars, normalising them; refuses the rest', () => {
    assert.deepEqual(MarketDataRecordSchema.parse(bar('2024-01-02', '5')), { symbol: 'DAX', date: '2024-01-02', close: 5, source: 't' });
    assert.deepEqual(MarketDataRecordSchema.parse({ bars: [bar('2024-01-02')] }), { bars: [{ symbol: 'DAX', date: '2024-01-02', close: 100, source: 't' }] });
    assert.equal(MarketDataRecordSchema.safeParse({ bars: [] }).success, false);
    assert.equal(MarketDataRecordSchema.safeParse({ bars: Array.from({ length: MAX_BARS_PER_RECORD + 1 }, () => bar('2024-01-02')) }).success, false);
    assert.equal(MarketDataRecordSchema.safeParse({ bars: [bar('2024-01-02', -1)] }).success, false);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fastBar } from '../../../lib/domain/ingest/fast-bar.ts';
import { PriceBarSchema } from '../../../lib/schemas/price-bar.ts';

const base = { symbol: 'dax', date: '2024-01-02', close: 100, source: 'test' };

/** Field values near every rule's edge, so both paths disagree if they ever can. */
const value = fc.oneof(
  fc.constantFrom(undefined, null, 0, -1, 1, 100, 1e-9, 1e308, Infinity, Number.NaN, '100', '', 'x', true, [], {}),
  fc.double(),
  fc.double({ min: 0.5, max: 200, noNaN: true }),
);
const barLike = fc.record(
  {
    symbol: fc.oneof(fc.constantFrom('dax', 'A', '.', '..', '^GDAXI', 'a b', '', 'X'.repeat(33), 'brk.b'), fc.string({ maxLength: 4 }), value),
    date: fc.oneof(
      fc.constantFrom('2024-01-02', '2024-02-29', '2023-02-29', '2024-13-01', '2024-1-02', '0000-01-01', '2024-01-02T00:00Z'),
      fc.string({ maxLength: 10 }),
      value,
    ),
    timestamp: fc.oneof(fc.constantFrom(undefined, null, '2024-01-02T10:00:00Z', '2024-01-03T00:30:00+02:00'), value),
    open: value,
    high: value,
    low: value,
    close: value,
    volume: value,
    source: fc.oneof(fc.constantFrom('t', '', 'y'.repeat(256), 'y'.repeat(257)), value),
  },
  { requiredKeys: [] },
);

/** Mostly valid bars (a price band that often satisfies low <= open, close <= high), so the accepting branch is exercised. */
const price = fc.oneof(fc.constantFrom(undefined, null, 100, 100.5, 99.5), fc.double({ min: 98, max: 102, noNaN: true }));
const common = {
  symbol: fc.constantFrom('dax', 'A', '^gdaxi', 'brk.b', '.', '..'),
  date: fc.constantFrom('2024-01-02', '2024-02-29', '2023-02-29', '1900-01-01'),
  timestamp: fc.constantFrom(undefined, undefined, null, '2024-01-02T10:00:00Z'),
  volume: fc.constantFrom(undefined, null, 0, 10, -1, '5'),
  source: fc.constantFrom('t', 't', 'y'.repeat(256), ''),
};
const nearlyValid = fc.oneof(
  fc.record({ ...common, close: price }, { requiredKeys: ['symbol', 'date', 'close', 'source'] }),
  fc.record({ ...common, open: price, high: price, low: price, close: price }, { requiredKeys: ['symbol', 'date', 'close', 'source'] }),
  // OHLC built consistent (low <= open, close <= high), then sometimes nudged out of order.
  fc
    .record({ ...common, prices: fc.array(fc.double({ min: 1, max: 200, noNaN: true }), { minLength: 4, maxLength: 4 }), swap: fc.boolean() })
    .map(({ prices, swap, ...rest }) => {
      const [low, a, b, high] = [...prices].sort((x, y) => x - y) as [number, number, number, number];
      return swap ? { ...rest, open: a, high: low, low: high, close: b } : { ...rest, open: a, high, low, close: b };
    }),
);

describe('fastBar (the hand-written hot path) agrees with PriceBarSchema', () => {
  test('property: whatever fastBar accepts, the schema accepts with the same normalised bar', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(nearlyValid, barLike, fc.anything()), (input) => {
        const fast = fastBar(input);
        if (fast === undefined) return;
        accepted += 1;
        const slow = PriceBarSchema.safeParse(input);
        assert.equal(slow.success, true, `fastBar accepted what the schema refuses: ${JSON.stringify(input)}`);
        assert.deepEqual(fast, slow.data);
        assert.deepEqual(Object.keys(fast), Object.keys(slow.data!)); // same field order, so the same JSON
      }),
      { numRuns: 20_000 },
    );
    assert.ok(accepted > 500, `only ${accepted} inputs reached the accepting branch`);
  });

  test('it takes the usual bars (close-only, OHLC, volume, nulls) — otherwise it would not be a fast path', () => {
    assert.deepEqual(fastBar(base), { symbol: 'DAX', date: '2024-01-02', close: 100, source: 'test' });
    assert.deepEqual(fastBar({ ...base, open: 99, high: 101, low: 98, volume: 5, currency: 'EUR' }), {
      symbol: 'DAX',
      date: '2024-01-02',
      open: 99,
      high: 101,
      low: 98,
      close: 100,
      volume: 5,
      source: 'test',
    });
    assert.deepEqual(fastBar({ ...base, open: null, high: null, low: null, volume: null, timestamp: null }), fastBar(base));
  });

  test('it leaves everything unusual to the schema (undefined = "ask the schema")', () => {
    for (const input of [
      { ...base, close: '100' },
      { ...base, timestamp: '2024-01-02T10:00:00Z' },
      { ...base, date: '2024-02-30' },
      { ...base, symbol: '..' },
      { ...base, open: 99 },
      { ...base, open: 99, high: 101, low: 98, close: 102 },
      { ...base, volume: -1 },
      [base],
      null,
    ]) {
      assert.equal(fastBar(input), undefined, JSON.stringify(input));
    }
  });
});

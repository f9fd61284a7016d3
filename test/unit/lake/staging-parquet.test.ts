/**
 * The staging writer (lib/domain/lake/staging-parquet.ts) against the lake codec and an
 * independent reader: what it writes decodes into exactly the rows encodeBars gives, in the same
 * order; parquet-wasm (arrow-rs) reads the same physical schema and values; same rows, same bytes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { readParquet } from 'parquet-wasm';
import { BAR_COLUMNS, type LakeBar } from '../../../lib/domain/lake/bar-schema.ts';
import { decodeLakeObject, encodeBars } from '../../../lib/domain/lake/parquet-bars.ts';
import { encodeStagingBars } from '../../../lib/domain/lake/staging-parquet.ts';
import { lakeBar, TEST_SEQ } from '../../helpers/lake-bar.ts';

const price = fc.double({ min: 0.0001, max: 1e7, noNaN: true });
const row: fc.Arbitrary<LakeBar> = fc
  .record({
    date: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10)),
    ohlc: fc.option(fc.tuple(price, price, price), { nil: null }),
    close: price,
    volume: fc.option(fc.double({ min: 0, max: 1e12, noNaN: true }), { nil: null }),
    source: fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
    seq: fc.bigInt({ min: 0n, max: 10n ** 56n }).map(String),
    barIndex: fc.integer({ min: 0, max: 999 }),
    arrivalTime: fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }),
    revision: fc.integer({ min: 0, max: 50 }),
    flags: fc.constantFrom(null, 'released', 'split', 'released,split'),
  })
  .map((r) =>
    lakeBar({
      date: r.date,
      open: r.ohlc?.[0] ?? null,
      high: r.ohlc?.[1] ?? null,
      low: r.ohlc?.[2] ?? null,
      close: r.close,
      volume: r.volume,
      source: r.source,
      sequenceNumber: r.seq,
      barIndex: r.barIndex,
      arrivalTime: r.arrivalTime,
      revision: r.revision,
      flags: r.flags,
    }),
  );

describe('encodeStagingBars', () => {
  test('property: the lake codec decodes exactly the rows encodeBars gives, in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 0, maxLength: 40 }), async (rows) => {
        const fast = await decodeLakeObject(encodeStagingBars(rows));
        const general = await decodeLakeObject(encodeBars(rows));
        assert.deepEqual(fast, general);
      }),
      { numRuns: 300 },
    );
  });

  test('same rows in any order, same bytes', () => {
    const rows = [lakeBar({ date: '2024-01-03' }), lakeBar(), lakeBar({ date: '2023-12-29', flags: 'split' })];
    assert.deepEqual(encodeStagingBars(rows), encodeStagingBars([...rows].reverse()));
  });

  test('an independent reader (parquet-wasm) reads the bar schema and the values', () => {
    const bar = lakeBar({ date: '1900-01-01', open: 1, high: 2, low: 0.5, volume: 10, flags: 'released', source: 'Zürich ☃' });
    const table = tableFromIPC(readParquet(encodeStagingBars([bar, lakeBar({ date: '2024-01-03' })])).intoIPCStream());
    assert.deepEqual(
      table.schema.fields.map((f) => [f.name, f.nullable]),
      BAR_COLUMNS.map((c) => [c.name, c.nullable]),
    );
    assert.deepEqual(
      table.schema.fields.map((f) => String(f.type)),
      [
        'Utf8',
        'Date32<DAY>',
        'Float64',
        'Float64',
        'Float64',
        'Float64',
        'Float64',
        'Utf8',
        'Utf8',
        'Utf8',
        'Int32',
        'Timestamp<MILLISECOND, UTC>',
        'Int32',
        'Utf8',
      ],
    );
    const first = table.get(0)!.toJSON() as Record<string, unknown>;
    assert.equal(first.date, Date.UTC(1900, 0, 1));
    assert.equal(first.source, 'Zürich ☃');
    assert.equal(first.sequence_number, TEST_SEQ);
    assert.equal(Number(first.arrival_time), bar.arrivalTime);
    assert.deepEqual([first.open, first.high, first.low, first.volume, first.flags], [1, 2, 0.5, 10, 'released']);
    const second = table.get(1)!.toJSON() as Record<string, unknown>;
    assert.deepEqual([second.open, second.volume, second.flags], [null, null, null]);
  });
});

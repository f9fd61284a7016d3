import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assemblePriceSeries, compareProvenance, dedupeBars, LakeSeriesError } from '../../../lib/domain/lake/assemble-series.ts';
import type { CuratedBar } from '../../../lib/schemas/price-bar.ts';

const bar = (date: string, close: number, sequenceNumber: string, index = 0, extra: Partial<CuratedBar> = {}): CuratedBar => ({
  symbol: 'DAX',
  date,
  close,
  source: 't',
  shardId: 'shardId-000000000000',
  sequenceNumber,
  index,
  ...extra,
});

test('sequence numbers compare as big integers, not as text or doubles', () => {
  assert.ok(compareProvenance({ sequenceNumber: '10', index: 0 }, { sequenceNumber: '9', index: 5 }) > 0);
  // Differ only beyond 2^53: equal as doubles.
  const a = '49590338271490256608559692538361571095921575989136588898';
  const b = '49590338271490256608559692538361571095921575989136588899';
  assert.equal(Number(a), Number(b));
  assert.ok(compareProvenance({ sequenceNumber: b, index: 0 }, { sequenceNumber: a, index: 0 }) > 0);
  assert.ok(compareProvenance({ sequenceNumber: a, index: 2 }, { sequenceNumber: a, index: 1 }) > 0);
});

test('dedupe keeps, per date, the bar with the highest (sequenceNumber, index); output sorted by date', () => {
  const kept = dedupeBars([
    bar('2024-01-03', 3, '100'),
    bar('2024-01-02', 1, '100', 0),
    bar('2024-01-02', 2, '100', 4), // same record, later index wins
    bar('2024-01-02', 9, '99', 7), // older record loses
    bar('2024-01-01', 5, '101'),
  ]);
  assert.deepEqual(
    kept.map((b) => [b.date, b.close]),
    [
      ['2024-01-01', 5],
      ['2024-01-02', 2],
      ['2024-01-03', 3],
    ],
  );
});

test('series: close always; OHLC only when every bar has it; volume likewise', () => {
  const ohlc = (o: number) => ({ open: o, high: o + 1, low: o - 1 });
  const full = assemblePriceSeries('DAX', [
    bar('2024-01-03', 11, '2', 0, { ...ohlc(11), volume: 7 }),
    bar('2024-01-02', 10, '1', 0, { ...ohlc(10), volume: 5 }),
  ])!;
  assert.deepEqual(full.dates, ['2024-01-02', '2024-01-03']);
  assert.deepEqual([...full.close], [10, 11]);
  assert.deepEqual([...full.open!], [10, 11]);
  assert.deepEqual([...full.high!], [11, 12]);
  assert.deepEqual([...full.low!], [9, 10]);
  assert.deepEqual([...full.volume!], [5, 7]);
  assert.equal(full.symbol, 'DAX');

  const mixed = assemblePriceSeries('DAX', [bar('2024-01-02', 10, '1', 0, ohlc(10)), bar('2024-01-03', 11, '2')])!;
  assert.deepEqual([...mixed.close], [10, 11]);
  assert.equal(mixed.open, undefined);
  assert.equal(mixed.high, undefined);
  assert.equal(mixed.low, undefined);
  assert.equal(mixed.volume, undefined);
});

test('no bars → null; a bar of another symbol → LakeSeriesError', () => {
  assert.equal(assemblePriceSeries('DAX', []), null);
  assert.throws(() => assemblePriceSeries('DAX', [bar('2024-01-02', 1, '1', 0, { symbol: 'SMI' })]), LakeSeriesError);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assemblePriceSeries, compareBarVersions, LakeSeriesError, latestBarPerDate } from '../../../lib/domain/lake/assemble-series.ts';
import type { LakeBar } from '../../../lib/domain/lake/bar-schema.ts';
import { lakeBar } from '../../helpers/lake-bar.ts';

const T = Date.UTC(2024, 0, 5);
const bar = (date: string, close: number, version: Partial<LakeBar> = {}): LakeBar =>
  lakeBar({ date, close, arrivalTime: T, sequenceNumber: '100', ...version });

test('versions order by arrival time first, then shard, sequence number (as a big integer), bar index', () => {
  const v = (arrivalTime: number, shardId: string, sequenceNumber: string, barIndex: number) => ({ arrivalTime, shardId, sequenceNumber, barIndex });
  // A later arrival wins even with a smaller sequence number (another shard).
  assert.ok(compareBarVersions(v(2, 'shardId-000000000000', '1', 0), v(1, 'shardId-000000000001', '999', 9)) > 0);
  assert.ok(compareBarVersions(v(1, 'shardId-000000000001', '1', 0), v(1, 'shardId-000000000000', '999', 0)) > 0);
  assert.ok(compareBarVersions(v(1, 'shardId-000000000000', '10', 0), v(1, 'shardId-000000000000', '9', 5)) > 0);
  // Differ only beyond 2^53: equal as doubles, ordered as integers.
  const a = '49590338271490256608559692538361571095921575989136588898';
  const b = '49590338271490256608559692538361571095921575989136588899';
  assert.equal(Number(a), Number(b));
  assert.ok(compareBarVersions(v(1, 'shardId-000000000000', b, 0), v(1, 'shardId-000000000000', a, 0)) > 0);
  assert.ok(compareBarVersions(v(1, 'shardId-000000000000', a, 2), v(1, 'shardId-000000000000', a, 1)) > 0);
  assert.equal(compareBarVersions(v(1, 'shardId-000000000000', a, 2), v(1, 'shardId-000000000000', a, 2)), 0);
});

test('dedupe keeps, per date, the latest version; output sorted by date and independent of input order', () => {
  const bars = [
    bar('2024-01-03', 3),
    bar('2024-01-02', 1, { barIndex: 0 }),
    bar('2024-01-02', 2, { barIndex: 4 }), // same record, later index wins
    bar('2024-01-02', 9, { sequenceNumber: '99', barIndex: 7 }), // older record loses
    bar('2024-01-02', 8, { sequenceNumber: '5', arrivalTime: T - 1 }), // earlier arrival loses
    bar('2024-01-01', 5, { sequenceNumber: '101' }),
  ];
  const expected = [
    ['2024-01-01', 5],
    ['2024-01-02', 2],
    ['2024-01-03', 3],
  ];
  assert.deepEqual(
    latestBarPerDate(bars).map((b) => [b.date, b.close]),
    expected,
  );
  assert.deepEqual(
    latestBarPerDate([...bars].reverse()).map((b) => [b.date, b.close]),
    expected,
  );
});

test('series: close always; OHLC only when every kept bar has it; volume likewise', () => {
  const ohlc = (o: number) => ({ open: o, high: o + 1, low: o - 1 });
  const full = assemblePriceSeries('DAX', [bar('2024-01-03', 11, { ...ohlc(11), volume: 7 }), bar('2024-01-02', 10, { ...ohlc(10), volume: 5 })])!;
  assert.deepEqual(full.dates, ['2024-01-02', '2024-01-03']);
  assert.deepEqual([...full.close], [10, 11]);
  assert.deepEqual([...full.open!], [10, 11]);
  assert.deepEqual([...full.high!], [11, 12]);
  assert.deepEqual([...full.low!], [9, 10]);
  assert.deepEqual([...full.volume!], [5, 7]);
  assert.equal(full.symbol, 'DAX');

  const mixed = assemblePriceSeries('DAX', [bar('2024-01-02', 10, ohlc(10)), bar('2024-01-03', 11)])!;
  assert.deepEqual([...mixed.close], [10, 11]);
  assert.equal(mixed.open, undefined);
  assert.equal(mixed.high, undefined);
  assert.equal(mixed.low, undefined);
  assert.equal(mixed.volume, undefined);

  // A superseded version without OHLC does not remove OHLC from the series.
  const corrected = assemblePriceSeries('DAX', [bar('2024-01-02', 10), bar('2024-01-02', 10.5, { ...ohlc(10.5), sequenceNumber: '200' })])!;
  assert.deepEqual([...corrected.open!], [10.5]);
});

test('no bars → null; a bar of another symbol → LakeSeriesError', () => {
  assert.equal(assemblePriceSeries('DAX', []), null);
  assert.throws(() => assemblePriceSeries('DAX', [bar('2024-01-02', 1, { symbol: 'SMI' })]), LakeSeriesError);
});

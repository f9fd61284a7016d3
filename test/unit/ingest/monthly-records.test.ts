import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthlyRecords } from '../../../lib/domain/ingest/monthly-records.ts';
import { validateRecordData } from '../../../lib/domain/ingest/validate-record.ts';
import { symbolForFile } from '../../../lib/local/replay.ts';

/** A latest-accepted date far ahead: these tests are about the other rules. */
const validate = (v: Uint8Array) => validateRecordData(v, '2100-01-01');

const f64 = (...v: number[]) => Float64Array.from(v);

test('one batch record per month, in date order, each a valid record', () => {
  const series = { dates: ['2024-01-30', '2024-01-31', '2024-02-01', '2024-03-04'], close: f64(1, 2, 3, 4) };
  const recs = monthlyRecords(series, 'DAX', 'sample:x.csv');
  assert.deepEqual(
    recs.map((r) => r.bars.map((b) => b.date)),
    [['2024-01-30', '2024-01-31'], ['2024-02-01'], ['2024-03-04']],
  );
  assert.deepEqual(recs[0]!.bars[0], { symbol: 'DAX', date: '2024-01-30', close: 1, source: 'sample:x.csv' });
  for (const r of recs) assert.equal(validate(new TextEncoder().encode(JSON.stringify(r))).rejected.length, 0);
});

test('OHLC and volume are sent when the series has them, but not beside an adjusted close', () => {
  const ohlc = { dates: ['2024-01-02'], close: f64(10), open: f64(9), high: f64(11), low: f64(8), volume: f64(500) };
  assert.deepEqual(monthlyRecords(ohlc, 'X', 's')[0]!.bars[0], {
    symbol: 'X',
    date: '2024-01-02',
    close: 10,
    open: 9,
    high: 11,
    low: 8,
    volume: 500,
    source: 's',
  });
  const adjusted = { ...ohlc, rawClose: f64(20) };
  assert.deepEqual(monthlyRecords(adjusted, 'X', 's')[0]!.bars[0], { symbol: 'X', date: '2024-01-02', close: 10, volume: 500, source: 's' });
});

test('replay symbols: file stem without eustock_, upper-cased', () => {
  assert.equal(symbolForFile('/data/sample/eustock_DAX.csv'), 'DAX');
  assert.equal(symbolForFile('xts_sample_ohlc.csv'), 'XTS_SAMPLE_OHLC');
});

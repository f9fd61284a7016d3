import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyAsOf, NoHistoryAsOfError } from '../../../lib/domain/scoring/history-as-of.ts';

const series = {
  symbol: 'X',
  dates: ['2024-01-02', '2024-01-03', '2024-01-05', '2024-01-08'],
  close: Float64Array.from([10, 11, 12, 13]),
  open: Float64Array.from([9, 10, 11, 12]),
  high: Float64Array.from([11, 12, 13, 14]),
  low: Float64Array.from([8, 9, 10, 11]),
};

test('historyAsOf keeps the dates up to and including asOf, in every column', () => {
  const cut = historyAsOf(series, '2024-01-04');
  assert.deepEqual(cut.dates, ['2024-01-02', '2024-01-03']);
  assert.deepEqual(Array.from(cut.close), [10, 11]);
  assert.deepEqual(Array.from(cut.open!), [9, 10]);
  assert.deepEqual(Array.from(cut.high!), [11, 12]);
  assert.deepEqual(Array.from(cut.low!), [8, 9]);
  assert.equal(cut.symbol, 'X');
  assert.equal(cut.volume, undefined);
  assert.deepEqual(historyAsOf(series, '2024-01-05').dates, ['2024-01-02', '2024-01-03', '2024-01-05']);
});

test('historyAsOf on or after the last date is the series itself; before the first date an INSUFFICIENT_HISTORY error', () => {
  assert.equal(historyAsOf(series, '2024-01-08'), series);
  assert.equal(historyAsOf(series, '2030-01-01'), series);
  assert.throws(
    () => historyAsOf(series, '2023-12-29'),
    (err: unknown) =>
      err instanceof NoHistoryAsOfError &&
      err.code === 'INSUFFICIENT_HISTORY' &&
      err.message === 'no prices on or before asOf 2023-12-29 (the history starts on 2024-01-02)',
  );
});

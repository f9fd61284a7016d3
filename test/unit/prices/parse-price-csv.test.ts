/**
 * The price/return file parsers: layouts, header matching, sorting, missing values, and errors
 * that name the file, row and column.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  parsePriceCsv,
  parsePriceCsvDetailed,
  parseReturnsCsv,
  parseReturnsCsvDetailed,
  PriceFileError,
} from '../../../lib/domain/prices/parse-price-csv.ts';

const src = { source: 'prices.csv' };

function rejects(text: string, pattern: RegExp, row?: number, column?: string, parse: (t: string, o?: { source?: string }) => unknown = parsePriceCsv): void {
  assert.throws(
    () => parse(text, src),
    (err: unknown) => {
      assert.ok(err instanceof PriceFileError, String(err));
      assert.equal(err.name, 'PriceFileError');
      assert.equal(err.source, 'prices.csv');
      if (row !== undefined) assert.equal(err.row, row);
      if (column !== undefined) assert.equal(err.column, column);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    },
  );
}

describe('layouts', () => {
  test('Date,Close', () => {
    const s = parsePriceCsv('Date,Close\n2024-01-02,100\n2024-01-03,101.5\n', { ...src, symbol: 'X' });
    assert.deepEqual(s.dates, ['2024-01-02', '2024-01-03']);
    assert.deepEqual(Array.from(s.close), [100, 101.5]);
    assert.equal(s.symbol, 'X');
    assert.equal(s.open, undefined);
    assert.equal(s.rawClose, undefined);
  });
  test('Date,Open,High,Low,Close,Volume with headers in any case and order', () => {
    const s = parsePriceCsv('close,VOLUME,date,open,high,low\n10,500,2024-01-02,9,11,8.5\n', src);
    assert.deepEqual([s.open![0], s.high![0], s.low![0], s.close[0], s.volume![0]], [9, 11, 8.5, 10, 500]);
  });
  test('Adj Close is the return price; Close is kept as rawClose', () => {
    const s = parsePriceCsv('Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,11,9,10.5,10.2,100\n', src);
    assert.equal(s.close[0], 10.2);
    assert.equal(s.rawClose![0], 10.5);
    assert.equal(parsePriceCsv('Date,adj_close\n2024-01-02,3\n', src).close[0], 3);
  });
  test('BOM, CRLF, quoted fields, blank lines, semicolons, unknown columns', () => {
    const s = parsePriceCsv('\uFEFF"Date";"Close";"Note"\r\n2024-01-02;"100";"a;b"\r\n\r\n2024-01-03;101;x\r\n', src);
    assert.deepEqual(Array.from(s.close), [100, 101]);
  });
  test('the sample files parse', () => {
    const s = parsePriceCsv(readFileSync(fileURLToPath(new URL('../../../data/sample/xts_sample_ohlc.csv', import.meta.url)), 'utf8'), src);
    assert.equal(s.dates.length, 180);
    assert.equal(s.dates[0], '2007-01-02');
    assert.ok(s.high && s.low && s.open);
  });
});

describe('rows', () => {
  test('dates are sorted ascending; values follow their rows', () => {
    const s = parsePriceCsv('Date,Close\n2024-01-04,3\n2024-01-02,1\n2024-01-03,2\n', src);
    assert.deepEqual(s.dates, ['2024-01-02', '2024-01-03', '2024-01-04']);
    assert.deepEqual(Array.from(s.close), [1, 2, 3]);
  });
  test('missing values (empty, NA, null, NaN) drop the row and are reported', () => {
    const r = parsePriceCsvDetailed('Date,Open,Close\n2024-01-02,1,1\n2024-01-03,,2\n2024-01-04,1,NA\n2024-01-05,null,3\n2024-01-08,2,NaN\n2024-01-09,3,4\n', src);
    assert.deepEqual(r.series.dates, ['2024-01-02', '2024-01-09']);
    assert.deepEqual(r.droppedRows, [3, 4, 5, 6]);
  });
  test('duplicate dates name both rows', () => rejects('Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-02,3\n', /duplicate date 2024-01-02 \(also on row 2\)/, 4, 'Date'));
  test('non-positive prices are errors', () => {
    rejects('Date,Close\n2024-01-02,0\n', /price must be > 0/, 2, 'Close');
    rejects('Date,Open,Close\n2024-01-02,-1,5\n', /price must be > 0/, 2, 'Open');
  });
  test('unparseable numbers and dates are errors naming row and column', () => {
    rejects('Date,Close\n2024-01-02,1\n2024-01-03,1,5\n', /expected 2 fields/, 3);
    rejects('Date,Close\n2024-01-02,abc\n', /unparseable number 'abc'/, 2, 'Close');
    rejects('Date,Close\n2024-01-02,1e999\n', /unparseable number/, 2, 'Close');
    rejects('Date,Close\n2024/01/02,1\n', /unparseable date '2024\/01\/02' \(expected YYYY-MM-DD, MM\/DD\/YYYY, DD\/MM\/YYYY or DD\.MM\.YYYY\)/, 2, 'Date');
    rejects('Date,Close\n2024-02-30,1\n', /unparseable date/, 2, 'Date');
    rejects('Date,Volume,Close\n2024-01-02,-5,1\n', /negative volume/, 2, 'Volume');
  });
  test('header problems', () => {
    rejects('Day,Close\n2024-01-02,1\n', /no 'Date' column/, 1);
    rejects('Date,Open\n2024-01-02,1\n', /no 'Close' or 'Adj Close' column/, 1);
    rejects('', /file is empty/);
    rejects('Date,Close\n2024-01-02,NA\n', /no data rows/);
    rejects('Date,Close,close\n2024-01-02,1,1\n', /appears twice/, 1);
  });
  test('the message is one line: file, row, column, problem', () => {
    assert.throws(() => parsePriceCsv('Date,Close\n2024-01-02,x\n', { source: 'data/a.csv' }), { message: "data/a.csv: row 2, column Close: unparseable number 'x'" });
  });
});

describe('return series', () => {
  test('Date,Return sorted; missing dropped', () => {
    const r = parseReturnsCsvDetailed('Date,Return\n2024-01-03,0.02\n2024-01-02,-0.01\n2024-01-04,NA\n', src);
    assert.deepEqual(r.series.dates, ['2024-01-02', '2024-01-03']);
    assert.deepEqual(Array.from(r.series.returns), [-0.01, 0.02]);
    assert.deepEqual(r.droppedRows, [4]);
  });
  test('Date plus one column of any name; a single column with or without header', () => {
    assert.deepEqual(Array.from(parseReturnsCsv('date,DAX\n2024-01-02,0.5\n', src).returns), [0.5]);
    const noHeader = parseReturnsCsv('0.01\n-0.02\n0.03\n', src);
    assert.equal(noHeader.dates, null);
    assert.deepEqual(Array.from(noHeader.returns), [0.01, -0.02, 0.03]);
    assert.deepEqual(Array.from(parseReturnsCsv('ret\n0.01\n', src).returns), [0.01]);
  });
  test('returns below −100% and ambiguous columns are errors', () => {
    rejects('Date,Return\n2024-01-02,-1.5\n', /below −100%/, 2, 'Return', parseReturnsCsv);
    rejects('Date,A,B\n2024-01-02,1,2\n', /cannot tell which column/, 1, undefined, parseReturnsCsv);
  });
});

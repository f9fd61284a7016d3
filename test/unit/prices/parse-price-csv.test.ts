/**
 * The price/return file parsers: layouts, header matching, sorting, missing values, and errors
 * that name the file, row and column.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../../../lib/domain/errors.ts';
import {
  type DateFormat,
  PriceFileError,
  parsePriceCsv,
  parsePriceCsvDetailed,
  parseReturnsCsv,
  parseReturnsCsvDetailed,
} from '../../../lib/domain/prices/parse-price-csv.ts';

const src = { source: 'prices.csv' };

function rejects(text: string, pattern: RegExp, row?: number, column?: string, parse: (t: string, o: { source: string }) => unknown = parsePriceCsv): void {
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
    const r = parsePriceCsvDetailed(
      'Date,Open,Close\n2024-01-02,1,1\n2024-01-03,,2\n2024-01-04,1,NA\n2024-01-05,null,3\n2024-01-08,2,NaN\n2024-01-09,3,4\n',
      src,
    );
    assert.deepEqual(r.series.dates, ['2024-01-02', '2024-01-09']);
    assert.deepEqual(r.droppedRows, [3, 4, 5, 6]);
  });
  test('duplicate dates name both rows', () =>
    rejects('Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-02,3\n', /duplicate date 2024-01-02 \(also on row 2\)/, 4, 'Date'));
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
    assert.throws(() => parsePriceCsv('Date,Close\n2024-01-02,x\n', { source: 'data/a.csv' }), {
      message: "data/a.csv: row 2, column Close: unparseable number 'x'",
    });
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

describe('date notations (one per column, decided from the whole column)', () => {
  const dates = (text: string, opts: { dateFormat?: DateFormat } = {}) => parsePriceCsv(text, { ...src, ...opts }).dates;
  test('ISO timestamps keep the date part as written, whatever the offset', () => {
    assert.deepEqual(dates('Date,Close\n2024-01-02T23:30:00-05:00,1\n2024-01-03 00:00,2\n2024-01-04T00:00:00.000Z,3\n2024-01-05T09:00+0100,4\n'), [
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
    ]);
    rejects('Date,Close\n2024-01-01,1\n2024-01-02T25:00:00Z,1\n', /unparseable date '2024-01-02T25:00:00Z' \(expected YYYY-MM-DD\)/, 3, 'Date');
    rejects('Date,Close\nyesterday,1\n', /unparseable date 'yesterday' \(expected YYYY-MM-DD, MM\/DD\/YYYY, DD\/MM\/YYYY or DD\.MM\.YYYY\)/, 2, 'Date');
  });
  test('slash dates: a part above 12 tells day-first from month-first; one or two digits', () => {
    assert.deepEqual(dates('Date,Close\n1/2/2024,1\n1/13/2024,2\n'), ['2024-01-02', '2024-01-13']);
    assert.deepEqual(dates('Date,Close\n1/2/2024,1\n13/1/2024,2\n'), ['2024-01-13', '2024-02-01']);
  });
  test('ambiguous slash dates are refused unless the format is given', () => {
    rejects('Date,Close\n01/02/2023,1\n03/04/2023,2\n', /ambiguous dates: '01\/02\/2023' can be MM\/DD\/YYYY or DD\/MM\/YYYY.*--date-format/, 2, 'Date');
    assert.deepEqual(dates('Date,Close\n01/02/2023,1\n03/04/2023,2\n', { dateFormat: 'MM/DD/YYYY' }), ['2023-01-02', '2023-03-04']);
    assert.deepEqual(dates('Date,Close\n01/02/2023,1\n03/04/2023,2\n', { dateFormat: 'DD/MM/YYYY' }), ['2023-02-01', '2023-04-03']);
  });
  test('DD.MM.YYYY is day first', () => {
    assert.deepEqual(dates('Date,Close\n02.01.2024,1\n1.2.2024,2\n'), ['2024-01-02', '2024-02-01']);
  });
  test('a date in another notation than the column, or not on the calendar, names its row', () => {
    rejects('Date,Close\n2024-01-02,1\n03.01.2024,2\n', /row 3, column Date: unparseable date '03\.01\.2024' \(expected YYYY-MM-DD\)/, 3, 'Date');
    rejects('Date,Close\n02/30/2024,1\n', /unparseable date '02\/30\/2024' \(read as MM\/DD\/YYYY: day 30 does not exist in 2024-02\)/, 2, 'Date');
    rejects('Date,Close\n31.04.2024,1\n', /unparseable date '31\.04\.2024' \(day 31 does not exist in 2024-04\)/, 2, 'Date');
    rejects('Date,Close\n2024-01-02,1\n', /unparseable date '2024-01-02' \(expected DD\.MM\.YYYY\)/, 2, 'Date', (t, o) =>
      parsePriceCsv(t, { ...o, dateFormat: 'DD.MM.YYYY' }),
    );
  });
  test('return files read the same notations', () => {
    assert.deepEqual(parseReturnsCsv('Date;Return\n13.01.2024;0,5\n14.01.2024;-0,25\n', src).dates, ['2024-01-13', '2024-01-14']);
    assert.deepEqual(Array.from(parseReturnsCsv('Date;Return\n13.01.2024;0,5\n14.01.2024;-0,25\n', src).returns), [0.5, -0.25]);
  });
});

describe('numbers', () => {
  const closes = (text: string) => Array.from(parsePriceCsv(text, src).close);
  test('a ;-separated file with a decimal comma reads . as thousands grouping', () => {
    assert.deepEqual(closes('Date;Close\n2024-01-02;1.234,50\n2024-01-03;1234,5\n2024-01-04;7\n2024-01-05;"2.000"\n'), [1234.5, 1234.5, 7, 2000]);
  });
  test('a ;-separated file without decimal commas reads . as the decimal point', () => {
    assert.deepEqual(closes('Date;Close\n2024-01-02;1.234\n2024-01-03;1,234.5\n'), [1.234, 1234.5]);
  });
  test('quoted thousands separators in a comma-separated file', () => {
    assert.deepEqual(closes('Date,Close\n2024-01-02,"1,234.50"\n2024-01-03,"1,234,567"\n'), [1234.5, 1234567]);
  });
  test('grouping that is not in threes, or a point in a decimal-comma file, is refused', () => {
    rejects('Date,Close\n2024-01-02,"12,34"\n', /unparseable number '12,34'$/, 2, 'Close');
    rejects(
      'Date;Close\n2024-01-02;1,5\n2024-01-03;1.5\n',
      /row 3, column Close: unparseable number '1\.5' \(this file writes decimals with a comma: 1\.234,5\)/,
      3,
      'Close',
    );
  });
});

describe('columns named by the caller', () => {
  test('dateColumn and closeColumn (matched like the known names); the named price wins over Adj Close', () => {
    const s = parsePriceCsv('Trade date,Adj Close,Last price\n2024-01-02,1,5\n', { ...src, dateColumn: 'trade_date', closeColumn: 'Last Price' });
    assert.deepEqual(s.dates, ['2024-01-02']);
    assert.equal(s.close[0], 5);
    assert.equal(s.rawClose, undefined);
  });
  test('a missing column lists the columns found', () => {
    rejects('Day,Price\n2024-01-02,1\n', /no 'Date' column in the header \(columns: Day, Price\)/, 1, 'Date');
    rejects('Day,Price\n2024-01-02,1\n', /no column 'Datum' in the header \(columns: Day, Price\)/, 1, 'Datum', (t, o) =>
      parsePriceCsv(t, { ...o, dateColumn: 'Datum' }),
    );
  });
});

test('PriceFileError is a DomainError with code INVALID_INPUT; an unterminated quote names its line', () => {
  assert.throws(
    () => parsePriceCsv('Date,Close\n2024-01-02,"1\n', src),
    (e: unknown) => e instanceof DomainError && e.code === 'INVALID_INPUT' && e.message === 'prices.csv: row 2: unterminated quoted field starting on line 2',
  );
});

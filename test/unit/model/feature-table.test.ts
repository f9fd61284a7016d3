import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../lib/util/csv.ts';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { laggedLabels, readTable } from '../../../lib/domain/model/table.ts';
import { trainTable } from '../../../lib/domain/model/train.ts';

const rejects = (text: string, pattern: RegExp, opts = {}) =>
  assert.throws(
    () => readTable(text, { source: 'd.csv', ...opts }),
    (e: unknown) => e instanceof TrainingDataError && pattern.test(e.message),
  );

describe('CSV reading', () => {
  test('quotes, CRLF, BOM and blank lines', () => {
    const t = parseCsv('\ufeffa,b\r\n"x,1","say ""hi"""\r\n\r\n2,3\n');
    assert.deepEqual(t.header, ['a', 'b']);
    assert.deepEqual(t.rows, [
      ['x,1', 'say "hi"'],
      ['2', '3'],
    ]);
    assert.deepEqual(t.lines, [2, 4]);
  });

  test('ragged rows and duplicate headers name the row/column', () => {
    assert.throws(() => parseCsv('a,b\n1,2\n3\n', 'f.csv'), /f.csv: row 2 \(line 3\) has 1 fields, the header has 2/);
    assert.throws(() => parseCsv('a,a\n1,2\n', 'f.csv'), /names column 'a' twice/);
  });
});

describe('readTable: one clear error per bad input', () => {
  const good = 'date,symbol,f1,f2,risk_level\n2020-01-01,A,1,2,low\n2020-01-02,A,2,3,high\n';

  test('reads ids, features and labels', () => {
    const t = readTable(good);
    assert.deepEqual(t.featureNames, ['f1', 'f2']);
    assert.deepEqual(t.X, [
      [1, 2],
      [2, 3],
    ]);
    assert.deepEqual(t.y, ['low', 'high']);
    assert.deepEqual(t.dates, ['2020-01-01', '2020-01-02']);
    assert.deepEqual(t.symbols, ['A', 'A']);
  });

  test('missing target column', () => rejects('date,f1\n2020-01-01,1\n', /d.csv: no target column 'risk_level' \(columns: date, f1\)/));
  test('non-numeric value names row and column', () => rejects(good.replace(',2,3,', ',2,abc,'), /d.csv: row 2, column 'f2': 'abc' is not a finite number/));
  test('NaN names row and column', () => rejects(good.replace(',1,2,', ',NaN,2,'), /d.csv: row 1, column 'f1': missing value \(NaN\)/));
  test('empty cell names row and column', () => rejects(good.replace(',1,2,', ',,2,'), /row 1, column 'f1': missing value \(empty\)/));
  test('Infinity is refused', () => rejects(good.replace(',1,2,', ',Infinity,2,'), /row 1, column 'f1': 'Infinity' is not a finite number/));
  test('a single class', () => rejects(good.replace('high', 'low'), /target column 'risk_level' has a single class \('low'\) in all 2 rows/));
  test('a bad date', () => rejects(good.replace('2020-01-02', '02/01/2020'), /row 2, column 'date': '02\/01\/2020' is not a YYYY-MM-DD date/));
  test('missing label', () => rejects(good.replace(',low', ','), /row 1, column 'risk_level': missing label/));
  test('no data rows', () => rejects('f1,risk_level\n', /no data rows/));
  test('too few rows for the split', () => {
    const t = readTable(good);
    assert.throws(() => trainTable(t, { trees: 2 }, { target: 'risk_level', horizon: 1, thresholds: null }), /too few rows for the split: 2 rows/);
  });

  test('persistence from labels: the same symbol\'s label `horizon` rows earlier', () => {
    const text =
      'date,symbol,f,risk_level\n' +
      ['01', '02', '03', '04'].flatMap((d, i) => [`2020-01-${d},A,${i},${['low', 'high', 'medium', 'low'][i]}`, `2020-01-${d},B,${i},${['high', 'high', 'low', 'low'][i]}`]).join('\n');
    const t = readTable(text, { horizon: 2 });
    assert.deepEqual(t.persisted, [null, null, null, null, 'low', 'high', 'high', 'high']);
    assert.equal(laggedLabels({ ...t, symbols: null }, 2), null); // duplicate dates without symbols: not one series
  });
});

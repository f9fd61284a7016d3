import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { laggedLabels } from '../../../lib/domain/model/baselines.ts';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { readTable } from '../../../lib/domain/model/feature-table.ts';
import type { TrainingRow } from '../../../lib/domain/model/types.ts';

const rejects = (text: string, pattern: RegExp, opts = {}) =>
  assert.throws(
    () => readTable(text, { source: 'd.csv', target: 'risk_level', ...opts }),
    (e: unknown) => e instanceof TrainingDataError && pattern.test(e.message),
  );

describe('readTable: one clear error per bad input', () => {
  const good = 'date,symbol,f1,f2,risk_level\n2020-01-01,A,1,2,low\n2020-01-02,A,2,3,high\n';

  test('reads ids, features and labels', () => {
    const t = readTable(good, { target: 'risk_level' });
    assert.deepEqual(t.featureNames, ['f1', 'f2']);
    assert.deepEqual(t.X, [
      [1, 2],
      [2, 3],
    ]);
    assert.deepEqual(t.y, ['low', 'high']);
    assert.deepEqual(t.dates, ['2020-01-01', '2020-01-02']);
    assert.deepEqual(t.symbols, ['A', 'A']);
  });

  test("prediction input: the model's features in its order, no labels needed", () => {
    const t = readTable('symbol,f2,extra,f1\nA,3,x,1\n', { target: null, features: ['f1', 'f2'] });
    assert.deepEqual(t.X, [[1, 3]]);
    assert.equal(t.y, null);
    assert.equal(t.dates, null);
    rejects('symbol,f2\nA,3\n', /the model needs feature column 'f1', which is missing/, { target: null, features: ['f1', 'f2'] });
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
  test('a dropped column that does not exist', () => rejects(good, /cannot drop column 'nope'/, { drop: ['nope'] }));
  test('a ragged row is a TrainingDataError too', () => rejects(`${good}2020-01-03,A,1\n`, /d.csv: row 3 \(line 4\) has 3 fields, the header has 5/));
});

describe("laggedLabels: the persistence baseline's class", () => {
  const row = (date: string | null, symbol: string | null, label: string): TrainingRow => ({ date, symbol, features: [0], label });

  test("the same symbol's label `lag` rows earlier in date order", () => {
    const rows = ['01', '02', '03', '04'].flatMap((d, i) => [
      row(`2020-01-${d}`, 'A', ['low', 'high', 'medium', 'low'][i]),
      row(`2020-01-${d}`, 'B', ['high', 'high', 'low', 'low'][i]),
    ]);
    assert.deepEqual(laggedLabels(rows, 2), [null, null, null, null, 'low', 'high', 'high', 'high']);
    // Rows out of date order are ordered first.
    assert.deepEqual(laggedLabels([...rows].reverse(), 2), ['high', 'high', 'high', 'low', null, null, null, null]);
  });

  test('none without a lag, without dates, or when symbol-less rows repeat a date', () => {
    const rows = [row('2020-01-01', null, 'a'), row('2020-01-02', null, 'b'), row('2020-01-03', null, 'a')];
    assert.deepEqual(laggedLabels(rows, 1), [null, 'a', 'b']);
    assert.equal(laggedLabels(rows, null), null);
    assert.equal(laggedLabels([...rows, row(null, null, 'b')], 1), null);
    assert.equal(laggedLabels([...rows, row('2020-01-03', null, 'b')], 1), null);
  });
});

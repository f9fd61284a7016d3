import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarReturns } from '../../../lib/domain/risk/monthly-returns.ts';
import { eustock } from './tearsheet-fixtures.ts';

const series = (rows: [string, number][]) => ({ dates: rows.map((r) => r[0]), close: Float64Array.from(rows.map((r) => r[1])) });

describe('calendarReturns (the tearsheet heatmap numbers)', () => {
  it('takes each month and year from the last close before it to its own last close (hand-checked)', () => {
    const s = series([
      ['2020-01-30', 100],
      ['2020-01-31', 110],
      ['2020-02-03', 99],
      ['2020-02-28', 121],
      ['2021-01-04', 60.5],
    ]);
    const r = calendarReturns(s);
    // Jan 2020 110/100 − 1, Feb 121/110 − 1, year 2020 121/100 − 1, Jan 2021 60.5/121 − 1.
    assert.deepEqual(
      r.months.map((m) => [m.year, m.month, Number(m.return.toFixed(12))]),
      [
        [2020, 1, 0.1],
        [2020, 2, 0.1],
        [2021, 1, -0.5],
      ],
    );
    assert.deepEqual(
      r.years.map((y) => [y.year, Number(y.return.toFixed(12))]),
      [
        [2020, 0.21],
        [2021, -0.5],
      ],
    );
  });

  it('leaves out a first period whose only price is the first one', () => {
    const r = calendarReturns(
      series([
        ['2020-01-31', 100],
        ['2020-02-03', 50],
      ]),
    );
    assert.deepEqual(r.months, [{ year: 2020, month: 2, return: -0.5 }]);
    assert.deepEqual(r.years, [{ year: 2020, return: -0.5 }]);
  });

  it('compounds the months of a year to the year, and the years to the whole period (SMI sample)', () => {
    const smi = eustock('SMI');
    const r = calendarReturns(smi);
    assert.equal(r.months[0].year, 1991);
    assert.equal(r.months[0].month, 7);
    for (const y of r.years) {
      const compounded = r.months.filter((m) => m.year === y.year).reduce((w, m) => w * (1 + m.return), 1) - 1;
      assert.ok(Math.abs(compounded - y.return) < 1e-12, `${y.year}: ${compounded} vs ${y.return}`);
    }
    const total = r.years.reduce((w, y) => w * (1 + y.return), 1) - 1;
    assert.ok(Math.abs(total - (smi.close[smi.close.length - 1] / smi.close[0] - 1)) < 1e-12);
  });

  it('needs two prices', () => {
    assert.throws(() => calendarReturns(series([['2020-01-01', 1]])), /needs at least 2/);
  });
});

/**
 * Price files as real exports write them, through the real CLI: other date notations, other
 * column names, decimal commas and thousands separators. Each variant of the DAX sample must give
 * exactly the metrics of the original file.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { riskfn, sample, scratchDir } from './run-cli.ts';

const tmp = scratchDir('formats');
let original: { dates: string[]; closes: string[] };
let expected: Record<string, unknown>;

/** Writes a variant of the DAX sample: `line(date, close)` renders each row. */
function variant(name: string, header: string, line: (date: string, close: string) => string): string {
  return tmp.write(name, `${header}\n${original.dates.map((d, i) => line(d, original.closes[i])).join('\n')}\n`);
}

/** The metrics JSON of a file, without the symbol (file names differ). */
function metricsOf(file: string, ...opts: string[]): Record<string, unknown> {
  const r = riskfn(['metrics', file, '--json', ...opts]);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  delete m.period.symbol;
  return m;
}

/** The one-line error of `riskfn metrics` refusing a file (exit 1, nothing on stdout). */
function metricsError(file: string, ...opts: string[]): string {
  const r = riskfn(['metrics', file, ...opts]);
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stdout, '');
  return r.stderr;
}

const [y, m, d] = [(s: string) => s.slice(0, 4), (s: string) => s.slice(5, 7), (s: string) => s.slice(8, 10)];

before(() => {
  const rows = readFileSync(sample('eustock_DAX.csv'), 'utf8').trim().split('\n').slice(1);
  original = { dates: rows.map((r) => r.split(',')[0]), closes: rows.map((r) => r.split(',')[1]) };
  expected = metricsOf(sample('eustock_DAX.csv'));
});

describe('dates', () => {
  test('MM/DD/YYYY is recognised from the column (a second part above 12)', () => {
    const f = variant('us.csv', 'Date,Close', (s, c) => `${m(s)}/${d(s)}/${y(s)},${c}`);
    assert.deepEqual(metricsOf(f), expected);
  });
  test('DD/MM/YYYY is recognised from the column (a first part above 12), without leading zeros too', () => {
    const f = variant('uk.csv', 'Date,Close', (s, c) => `${Number(d(s))}/${Number(m(s))}/${y(s)},${c}`);
    assert.deepEqual(metricsOf(f), expected);
  });
  test('DD.MM.YYYY', () => {
    const f = variant('de-dates.csv', 'Date,Close', (s, c) => `${d(s)}.${m(s)}.${y(s)},${c}`);
    assert.deepEqual(metricsOf(f), expected);
  });
  test('ISO timestamps: the date part as written (not moved to UTC)', () => {
    const f = variant('ts.csv', 'Date,Close', (s, c) => `${s}T00:00:00+02:00,${c}`);
    assert.deepEqual(metricsOf(f), expected);
    const z = variant('tsz.csv', 'Date,Close', (s, c) => `${s}T22:30:00Z,${c}`);
    assert.deepEqual(metricsOf(z), expected);
  });
  test('a column where no part is above 12 is refused without --date-format, read with it', () => {
    const f = tmp.write('ambiguous.csv', 'Date,Close\n01/02/2023,100\n01/03/2023,101\n02/03/2023,99\n');
    assert.equal(
      metricsError(f),
      `riskfn metrics: ${f}: row 2, column Date: ambiguous dates: '01/02/2023' can be MM/DD/YYYY or DD/MM/YYYY, and no date in the column has a part above 12; say which with --date-format MM/DD/YYYY or --date-format DD/MM/YYYY\n`,
    );
    const us = JSON.parse(riskfn(['metrics', f, '--json', '--date-format', 'MM/DD/YYYY']).stdout);
    assert.deepEqual([us.period.startDate, us.period.endDate], ['2023-01-02', '2023-02-03']);
    const uk = JSON.parse(riskfn(['metrics', f, '--json', '--date-format', 'DD/MM/YYYY']).stdout);
    assert.deepEqual([uk.period.startDate, uk.period.endDate], ['2023-02-01', '2023-03-02']);
  });
  test('a column mixing day-first and month-first dates is refused, naming both', () => {
    const f = tmp.write('mixed.csv', 'Date,Close\n13/01/2023,100\n01/14/2023,101\n');
    assert.match(metricsError(f), /row 3, column Date: the column mixes day-first and month-first dates \('13\/01\/2023' on row 2, '01\/14\/2023' on row 3\)/);
  });
  test('--date-format that does not fit a date names it', () => {
    const f = variant('us2.csv', 'Date,Close', (s, c) => `${m(s)}/${d(s)}/${y(s)},${c}`);
    const i = original.dates.findIndex((s) => Number(d(s)) > 12);
    const bad = original.dates[i];
    assert.equal(
      metricsError(f, '--date-format', 'DD/MM/YYYY'),
      `riskfn metrics: ${f}: row ${i + 2}, column Date: unparseable date '${m(bad)}/${d(bad)}/${y(bad)}' (read as DD/MM/YYYY: month ${Number(d(bad))} does not exist)\n`,
    );
  });
});

describe('columns', () => {
  test('--date-col and --close-col map other names', () => {
    const f = variant('named.csv', 'Datum,Open,Schluss', (s, c) => `${s},1,${c}`);
    assert.deepEqual(metricsOf(f, '--date-col', 'Datum', '--close-col', 'Schluss'), expected);
  });
  test('a missing column lists the columns found', () => {
    const f = variant('named2.csv', 'Datum,Schluss', (s, c) => `${s},${c}`);
    assert.equal(metricsError(f), `riskfn metrics: ${f}: row 1, column Date: no 'Date' column in the header (columns: Datum, Schluss)\n`);
    assert.equal(
      metricsError(f, '--date-col', 'Datum', '--close-col', 'Kurs'),
      `riskfn metrics: ${f}: row 1, column Kurs: no column 'Kurs' in the header (columns: Datum, Schluss)\n`,
    );
  });
});

describe('numbers', () => {
  test('decimal commas with ; separators (and . grouping thousands)', () => {
    const f = variant('de.csv', 'Datum;Schluss', (s, c) => {
      const [int, frac = ''] = c.split('.');
      const grouped = int.replace(/\B(?=(\d{3})+$)/g, '.');
      return `${d(s)}.${m(s)}.${y(s)};${grouped}${frac ? `,${frac}` : ''}`;
    });
    assert.match(readFileSync(f, 'utf8'), /1\.628,75/);
    assert.deepEqual(metricsOf(f, '--date-col', 'Datum', '--close-col', 'Schluss'), expected);
  });
  test('thousands separators in quoted fields of a comma-separated file', () => {
    const f = variant('quoted.csv', 'Date,Close', (s, c) => {
      const [int, frac] = c.split('.');
      return `${s},"${int.replace(/\B(?=(\d{3})+$)/g, ',')}${frac ? `.${frac}` : ''}"`;
    });
    assert.match(readFileSync(f, 'utf8'), /"1,628\.75"/);
    assert.deepEqual(metricsOf(f), expected);
  });
  test('grouping that is not in threes is refused, not misread', () => {
    const f = tmp.write('badgroup.csv', 'Date,Close\n2024-01-02,"1,23"\n');
    assert.equal(metricsError(f), `riskfn metrics: ${f}: row 2, column Close: unparseable number '1,23'\n`);
  });
});

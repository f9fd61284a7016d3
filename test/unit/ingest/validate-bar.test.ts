import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateBar } from '../../../lib/domain/ingest/validate-bar.ts';
import { latestBarDate } from '../../../lib/schemas/price-bar.ts';
import type { QuarantineReason } from '../../../lib/schemas/quarantine-reason.ts';

/** A latest-accepted date far ahead: these tests are about the other rules. */
const validate = (v: unknown) => validateBar(v, '2100-01-01');

const base = { symbol: 'dax', date: '2024-01-02', close: 100, source: 'test' };

describe('validateBar: accepted bars are normalised', () => {
  test('close-only bar: symbol upper-cased, fields in canonical form, unknown fields dropped', () => {
    const v = validate({ ...base, currency: 'EUR' });
    assert.deepEqual(v, { ok: true, bar: { symbol: 'DAX', date: '2024-01-02', close: 100, source: 'test' } });
  });

  test('numeric strings become numbers; OHLC and volume kept', () => {
    const v = validate({ ...base, open: '99.5', high: '101', low: '98.25', close: '100.75', volume: '1e3' });
    assert.deepEqual(v, {
      ok: true,
      bar: { symbol: 'DAX', date: '2024-01-02', open: 99.5, high: 101, low: 98.25, close: 100.75, volume: 1000, source: 'test' },
    });
  });

  test('timestamp is normalised to its UTC date (offset can move the day)', () => {
    const { date: _d, ...noDate } = base;
    const late = validate({ ...noDate, timestamp: '2024-03-01T23:30:00-02:00' });
    assert.equal(late.ok && late.bar.date, '2024-03-02');
    const early = validate({ ...noDate, timestamp: '2024-03-01T00:30:00.123+01:00' });
    assert.equal(early.ok && early.bar.date, '2024-02-29');
    const zulu = validate({ ...noDate, timestamp: '2024-03-01T12:00Z' });
    assert.equal(zulu.ok && zulu.bar.date, '2024-03-01');
  });

  test('date and timestamp together are accepted when they agree', () => {
    const v = validate({ ...base, timestamp: '2024-01-02T17:30:00Z' });
    assert.equal(v.ok && v.bar.date, '2024-01-02');
  });

  test('null counts as absent: null OHLC/volume are fine, the bar stays close-only', () => {
    const v = validate({ ...base, open: null, high: null, low: null, volume: null });
    assert.deepEqual(v, { ok: true, bar: { symbol: 'DAX', date: '2024-01-02', close: 100, source: 'test' } });
  });

  test('symbols may hold . _ ^ - and digits; 29 Feb in a leap year is a date', () => {
    const v = validate({ ...base, symbol: '^gdaxi.de_1-x', date: '2024-02-29' });
    assert.equal(v.ok && v.bar.symbol, '^GDAXI.DE_1-X');
  });

  test('flat OHLC (all four equal) is consistent', () => {
    assert.equal(validate({ ...base, open: 100, high: 100, low: 100, close: 100 }).ok, true);
  });
});

/** [case, input, expected reason, a fragment the detail must contain (names the field)] */
const REJECTED: Array<[string, unknown, QuarantineReason, string]> = [
  ['missing close', { symbol: 'A', date: '2024-01-02', source: 's' }, 'SCHEMA_MISSING_FIELD', 'close'],
  ['null close', { ...base, close: null }, 'SCHEMA_MISSING_FIELD', 'close'],
  ['missing source', { symbol: 'A', date: '2024-01-02', close: 1 }, 'SCHEMA_MISSING_FIELD', 'source'],
  ['missing symbol', { date: '2024-01-02', close: 1, source: 's' }, 'SCHEMA_MISSING_FIELD', 'symbol'],
  ['neither date nor timestamp', { symbol: 'A', close: 1, source: 's' }, 'SCHEMA_MISSING_FIELD', 'date'],
  ['open without high/low', { ...base, open: 100 }, 'SCHEMA_MISSING_FIELD', 'high'],
  ['symbol with a space', { ...base, symbol: 'BAD SYM' }, 'SCHEMA_INVALID_FIELD', 'symbol'],
  ['symbol of 33 chars', { ...base, symbol: 'A'.repeat(33) }, 'SCHEMA_INVALID_FIELD', 'symbol'],
  ['symbol with a slash', { ...base, symbol: '../X' }, 'SCHEMA_INVALID_FIELD', 'symbol'],
  ['close is text', { ...base, close: 'abc' }, 'SCHEMA_INVALID_FIELD', 'close'],
  ['close is a boolean', { ...base, close: true }, 'SCHEMA_INVALID_FIELD', 'close'],
  ['close with thousands separator', { ...base, close: '1,000' }, 'SCHEMA_INVALID_FIELD', 'close'],
  ['empty source', { ...base, source: '' }, 'SCHEMA_INVALID_FIELD', 'source'],
  ['date is a number', { ...base, date: 20240102 }, 'SCHEMA_INVALID_FIELD', 'date'],
  ['bar is not an object', 42, 'SCHEMA_INVALID_FIELD', 'expected object'],
  ['bar is an array', [base], 'SCHEMA_INVALID_FIELD', 'expected object'],
  ['impossible date', { ...base, date: '2024-02-30' }, 'INVALID_DATE', 'date: day 30 does not exist'],
  ['29 Feb of a non-leap year', { ...base, date: '2023-02-29' }, 'INVALID_DATE', 'date'],
  ['month 13', { ...base, date: '2024-13-01' }, 'INVALID_DATE', 'month 13'],
  ['slashes', { ...base, date: '2024/01/02' }, 'INVALID_DATE', 'not a YYYY-MM-DD'],
  ['unpadded', { ...base, date: '2024-1-2' }, 'INVALID_DATE', 'date'],
  ['timestamp without offset', { symbol: 'A', timestamp: '2024-01-02T10:00:00', close: 1, source: 's' }, 'INVALID_DATE', 'timestamp'],
  ['timestamp hour 25', { symbol: 'A', timestamp: '2024-01-02T25:00:00Z', close: 1, source: 's' }, 'INVALID_DATE', 'impossible time'],
  ['date and timestamp disagree', { ...base, timestamp: '2024-01-03T01:00:00Z' }, 'INVALID_DATE', 'timestamp is on 2024-01-03'],
  ['close NaN (text)', { ...base, close: 'NaN' }, 'NON_FINITE_PRICE', 'close is NaN'],
  ['close Infinity (number)', { ...base, close: Infinity }, 'NON_FINITE_PRICE', 'close is Infinity'],
  ['low -Infinity (text)', { ...base, open: 100, high: 101, low: '-Infinity' }, 'NON_FINITE_PRICE', 'low'],
  ['close overflowing text', { ...base, close: '1e999' }, 'NON_FINITE_PRICE', 'close'],
  ['close zero', { ...base, close: 0 }, 'NON_POSITIVE_PRICE', 'close is 0'],
  ['close negative', { ...base, close: -3.5 }, 'NON_POSITIVE_PRICE', 'close is -3.5'],
  ['open negative', { ...base, open: -1, high: 101, low: 99 }, 'NON_POSITIVE_PRICE', 'open'],
  ['high below low', { ...base, open: 100, high: 98, low: 102 }, 'HIGH_BELOW_LOW', 'high 98 is below low 102'],
  ['open above high', { ...base, open: 105, high: 101, low: 99 }, 'OHLC_INCONSISTENT', 'open 105 is outside'],
  ['close below low', { ...base, open: 100, high: 101, low: 99, close: 98 }, 'OHLC_INCONSISTENT', 'close 98'],
  ['negative volume', { ...base, volume: -5 }, 'INVALID_VOLUME', 'volume is -5'],
  ['infinite volume', { ...base, volume: 'Infinity' }, 'INVALID_VOLUME', 'volume'],
];

describe('validateBar: every rule has its reason code and names the field', () => {
  for (const [name, input, reason, fragment] of REJECTED) {
    test(`${name} → ${reason}`, () => {
      const v = validate(input);
      assert.equal(v.ok, false, `${name} was accepted`);
      if (v.ok) return;
      assert.equal(v.reason, reason, v.detail);
      assert.ok(v.detail.includes(fragment), `detail "${v.detail}" lacks "${fragment}"`);
    });
  }

  test('several problems: the first code in QUARANTINE_REASONS order wins, detail lists all', () => {
    const v = validate({ symbol: 'A', date: '2024-02-30', close: -1, source: 's' });
    assert.equal(v.ok, false);
    if (v.ok) return;
    assert.equal(v.reason, 'INVALID_DATE');
    assert.deepEqual(
      v.issues.map((i) => i.reason),
      ['INVALID_DATE', 'NON_POSITIVE_PRICE'],
    );
    assert.match(v.detail, /^date: .*; close: close is -1/);
  });

  test('structural errors hide semantic ones (a semantic check needs every field typed)', () => {
    const v = validate({ symbol: 'A B', date: '2024-02-30', close: 1, source: 's' });
    assert.equal(!v.ok && v.reason, 'SCHEMA_INVALID_FIELD');
  });
});

describe('validateBar: date range and reserved symbols', () => {
  test('dates before 1900-01-01 or after the latest accepted date are INVALID_DATE', () => {
    const early = validateBar({ ...base, date: '1899-12-31' }, '2024-06-02');
    assert.deepEqual(early.ok ? undefined : [early.reason, early.detail], ['INVALID_DATE', 'date: date 1899-12-31 is before 1900-01-01']);
    assert.equal(validateBar({ ...base, date: '1900-01-01' }, '2024-06-02').ok, true);
    assert.equal(validateBar({ ...base, date: '2024-06-02' }, '2024-06-02').ok, true);
    const late = validateBar({ ...base, date: '2024-06-03' }, '2024-06-02');
    assert.deepEqual(late.ok ? undefined : [late.reason, late.detail], ['INVALID_DATE', 'date: date 2024-06-03 is after 2024-06-02 (tomorrow, UTC)']);
    // A date derived from a timestamp names the timestamp field; the slow path applies the same range.
    const { date: _, ...noDate } = base;
    const ts = validateBar({ ...noDate, timestamp: '2024-06-03T00:30:00Z', close: '100' }, '2024-06-02');
    assert.equal(ts.ok ? '' : ts.detail, 'timestamp: date 2024-06-03 is after 2024-06-02 (tomorrow, UTC)');
  });

  test('latestBarDate is tomorrow in UTC, whatever the hour', () => {
    assert.equal(latestBarDate(new Date('2024-06-01T00:00:00Z')), '2024-06-02');
    assert.equal(latestBarDate(new Date('2024-12-31T23:59:59Z')), '2025-01-01');
  });

  test('symbols "." and ".." are refused as SCHEMA_INVALID_FIELD; ".A" is fine', () => {
    for (const symbol of ['.', '..']) {
      const v = validateBar({ ...base, symbol }, '2100-01-01');
      assert.deepEqual(v.ok ? undefined : [v.reason, v.detail], ['SCHEMA_INVALID_FIELD', 'symbol: symbol must not be "." or ".."'], symbol);
    }
    assert.equal(validateBar({ ...base, symbol: '.a' }, '2100-01-01').ok, true);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calendarDateProblem, formatIsoDate, monthOf, parseIsoDate, timestampToUtcDate, utcDateOfEpochMs } from '../../../lib/util/calendar-date.ts';

test('parseIsoDate checks the calendar, leap years included', () => {
  assert.deepEqual(parseIsoDate('2000-02-29'), { ok: true, date: '2000-02-29' });
  assert.equal(parseIsoDate('1900-02-29').ok, false); // divisible by 100, not by 400
  assert.equal(parseIsoDate('2024-04-31').ok, false);
  assert.equal(parseIsoDate('2024-00-10').ok, false);
  assert.equal(parseIsoDate('2024-01-02T00:00:00Z').ok, false);
});

test('timestampToUtcDate applies the offset (±HH:MM, ±HHMM, Z) and refuses local times', () => {
  assert.deepEqual(timestampToUtcDate('2023-12-31T22:00:00-0300'), { ok: true, date: '2024-01-01' });
  assert.deepEqual(timestampToUtcDate('2024-01-01T01:59:59.999999+02:00'), { ok: true, date: '2023-12-31' });
  assert.deepEqual(timestampToUtcDate('2024-01-01 12:00:00z'), { ok: true, date: '2024-01-01' });
  assert.equal(timestampToUtcDate('2024-01-01T12:00:00').ok, false);
  assert.equal(timestampToUtcDate('2024-02-30T12:00:00Z').ok, false);
  assert.equal(timestampToUtcDate('2024-01-01T12:60:00Z').ok, false);
  assert.equal(timestampToUtcDate('2024-01-01T12:00:00+24:00').ok, false);
});

test('utcDateOfEpochMs', () => {
  assert.equal(utcDateOfEpochMs(Date.UTC(2024, 4, 31, 23, 59, 59)), '2024-05-31');
});

test('calendarDateProblem names the impossible part; formatIsoDate zero-pads', () => {
  assert.equal(calendarDateProblem(2024, 2, 29), undefined);
  assert.equal(calendarDateProblem(2023, 2, 29), 'day 29 does not exist in 2023-02');
  assert.equal(calendarDateProblem(2024, 13, 1), 'month 13 does not exist');
  assert.equal(calendarDateProblem(2024, 1, 0), 'day 0 does not exist in 2024-01');
  assert.equal(formatIsoDate(987, 3, 4), '0987-03-04');
  assert.equal(monthOf('2024-03-04'), '2024-03');
});

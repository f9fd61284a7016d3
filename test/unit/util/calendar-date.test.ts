import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoDate, timestampToUtcDate, utcDateOfEpochMs } from '../../../lib/domain/ingest/dates.ts';

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

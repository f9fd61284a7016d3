import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { checkVolatilityBands, classifyVolatility, DEFAULT_VOLATILITY_BANDS, labelVolatilityBands } from '../../../lib/domain/model/labels.ts';
import { randomSplit, timeSplit } from '../../../lib/domain/model/split.ts';
import { businessDays } from './synthetic.ts';

describe('labels', () => {
  test('default bands: 15 % and 25 % annualised (SRRI classes 1-5, 6, 7); upper bounds inclusive', () => {
    const t = DEFAULT_VOLATILITY_BANDS;
    assert.deepEqual({ ...t }, { lowMax: 0.15, mediumMax: 0.25 });
    assert.equal(classifyVolatility(0.15, t), 'low');
    assert.equal(classifyVolatility(0.15 + 1e-12, t), 'medium');
    assert.equal(classifyVolatility(0.25, t), 'medium');
    assert.equal(classifyVolatility(0.9, t), 'high');
    assert.equal(classifyVolatility(0, t), 'low');
  });

  test('labels depend on each row alone: no other row (no period of the data) moves the bands', () => {
    const rows = [0.05, 0.2, 0.4].map((forwardVol, i) => ({ date: `2020-01-0${i + 1}`, forwardVol }));
    const { labelRule, labels } = labelVolatilityBands(rows, 21);
    assert.deepEqual(labels, ['low', 'medium', 'high']);
    assert.deepEqual(labelRule, { kind: 'volatility-bands', horizon: 21, thresholds: { lowMax: 0.15, mediumMax: 0.25 } });
    const stormy = rows.map((r) => ({ ...r, forwardVol: r.forwardVol * 10 }));
    assert.deepEqual(labelVolatilityBands([...rows, ...stormy], 21).labels.slice(0, 3), labels);
    assert.deepEqual(labelVolatilityBands(rows, 21, { lowMax: 0.01, mediumMax: 0.3 }).labels, ['medium', 'medium', 'high']);
  });

  test('bands must be 0 < lowMax < mediumMax; forward volatility must be finite', () => {
    for (const bad of [
      { lowMax: 0.3, mediumMax: 0.2 },
      { lowMax: 0, mediumMax: 0.2 },
      { lowMax: 0.1, mediumMax: Number.NaN },
    ]) {
      assert.throws(
        () => checkVolatilityBands(bad),
        (e: unknown) => e instanceof TrainingDataError && /0 < lowMax < mediumMax/.test(e.message),
      );
    }
    assert.throws(() => labelVolatilityBands([{ date: '2020-01-01', forwardVol: Number.NaN }], 21), /row 1 \(2020-01-01\): forward volatility is NaN/);
  });
});

describe('time split with purge gap', () => {
  // 3 instruments × 100 dates.
  const days = businessDays(100);
  const dates = days.flatMap((d) => [d, d, d]);

  test('test = last 30 % of rows from a date boundary; the horizon dates before it are purged', () => {
    const s = timeSplit(dates, 0.3, 5);
    assert.equal(s.testFrom, days[70]);
    assert.equal(s.test.length, 90);
    assert.ok(s.test.every((i) => dates[i] >= days[70]));
    // Training ends at day 64: days 65..69 (5 dates) are purged, so a 5-day label of day 64
    // covers days 65..69 and ends before the first test date.
    const trainDates = new Set(s.train.map((i) => dates[i]));
    assert.equal([...trainDates].sort().at(-1), days[64]);
    assert.equal(s.train.length, 65 * 3);
    for (let d = 65; d < 70; d++) assert.ok(!trainDates.has(days[d]));
    assert.equal(s.purgeGap, 5);
  });

  test('a date is never split across train and test', () => {
    const s = timeSplit(dates, 0.33, 0);
    const trainD = new Set(s.train.map((i) => dates[i]));
    assert.ok(s.test.every((i) => !trainD.has(dates[i])));
  });

  test('too few rows is one clear error', () => {
    assert.throws(() => timeSplit(dates.slice(0, 12), 0.3, 21), /too few rows for the split: 12 rows with test size 0.3 and a purge gap of 21 dates/);
    assert.throws(() => timeSplit(dates, 1.5, 0), /test size must be in \(0, 1\)/);
  });
});

describe('random split', () => {
  test('seeded: same seed same split, different seed different split, a partition of the rows', () => {
    const a = randomSplit(100, 0.3, 42);
    const b = randomSplit(100, 0.3, 42);
    const c = randomSplit(100, 0.3, 43);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
    assert.equal(a.test.length, 30);
    assert.deepEqual(
      [...a.train, ...a.test].sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { classifyVolatility, fitTertileThresholds, quantile7 } from '../../../lib/domain/model/labels.ts';
import { randomSplit, timeSplit } from '../../../lib/domain/model/split.ts';
import { businessDays } from './synthetic.ts';

describe('labels', () => {
  test('type-7 quantiles match R quantile(1:10, c(1/3, 2/3))', () => {
    const x = [10, 3, 7, 1, 2, 9, 4, 8, 6, 5];
    // R: quantile(1:10, c(1/3, 2/3)) -> 4.000000 7.000000; quantile(c(1,2,4,8), 0.5) -> 3
    assert.equal(quantile7(x, 1 / 3), 4);
    assert.equal(quantile7(x, 2 / 3), 7);
    assert.equal(quantile7([1, 2, 4, 8], 0.5), 3);
    assert.equal(quantile7([8, 1, 4, 2], 0.25), 1.75);
  });

  test('tertile thresholds and class boundaries (upper bounds inclusive)', () => {
    const t = fitTertileThresholds([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    assert.ok(Math.abs(t.lowMax - 0.3) < 1e-15 && Math.abs(t.mediumMax - 0.5) < 1e-15);
    assert.equal(classifyVolatility(t.lowMax, t), 'low');
    assert.equal(classifyVolatility(t.lowMax + 1e-12, t), 'medium');
    assert.equal(classifyVolatility(t.mediumMax, t), 'medium');
    assert.equal(classifyVolatility(0.9, t), 'high');
    assert.throws(() => fitTertileThresholds([0.1, 0.2]), TrainingDataError);
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

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeFeatureColumns } from '../../../lib/domain/features/index.ts';
import { fitHar, HAR_VOL_FLOOR, harClassProbabilities, harForecast, realizedVolatilityComponents } from '../../../lib/domain/model/har.ts';
import { SERIES, smallSet } from './fixtures.ts';

describe('HAR baseline', () => {
  test('its components are the rv_d, rv_w, rv_m features (one computation), and every set row carries them', () => {
    const s = SERIES[0];
    const rv = realizedVolatilityComponents(s.close);
    const [d, w, m] = computeFeatureColumns(s, ['rv_d', 'rv_w', 'rv_m']);
    assert.deepEqual([rv.daily, rv.weekly, rv.monthly], [d, w, m]);
    assert.ok(Number.isNaN(rv.monthly[21]) && Number.isFinite(rv.monthly[22]));
    // √(252 · r²) for the daily component.
    const r = s.close[5] / s.close[4] - 1;
    assert.ok(Math.abs(rv.daily[5] - Math.sqrt(252 * r * r)) < 1e-12);
    assert.ok(smallSet().rows.every((row) => row.volatility && Number.isFinite(row.volatility.forward)));
  });

  test('forecast and class probabilities: a storm forecasts high, a calm low; probabilities sum to 1', () => {
    const model = fitHar(smallSet().rows.map((r) => r.volatility!));
    const t = { lowMax: 0.15, mediumMax: 0.25 };
    const storm = harClassProbabilities(model, { daily: 0.6, weekly: 0.5, monthly: 0.45 }, t);
    const calm = harClassProbabilities(model, { daily: 0.05, weekly: 0.06, monthly: 0.07 }, t);
    assert.ok(storm[2] > 0.5 && calm[0] > 0.5, `${storm} ${calm}`);
    for (const p of [storm, calm]) assert.ok(Math.abs(p[0] + p[1] + p[2] - 1) < 1e-12);
    // A day without a price change is floored, not -Infinity.
    assert.ok(Number.isFinite(harForecast(model, { daily: 0, weekly: 0.1, monthly: 0.1 })));
    assert.equal(harForecast(model, { daily: 0, weekly: 0.1, monthly: 0.1 }), harForecast(model, { daily: HAR_VOL_FLOOR, weekly: 0.1, monthly: 0.1 }));
  });

  test('too few rows or components that do not vary: a clear error', () => {
    const row = { daily: 0.1, weekly: 0.1, monthly: 0.1, forward: 0.1 };
    assert.throws(() => fitHar([row, row, row]), /the HAR baseline needs at least 8 rows with realised volatilities, got 3/);
    assert.throws(() => fitHar(Array.from({ length: 10 }, () => row)), /the HAR regression is singular/);
  });
});

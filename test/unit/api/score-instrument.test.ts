import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InsufficientHistoryError } from '../../../lib/domain/model/index.ts';
import { RISK_CONVENTIONS } from '../../../lib/domain/scoring/conventions.ts';
import { computeRiskMetrics, scoreInstrument, TooFewPricesError } from '../../../lib/domain/scoring/score-instrument.ts';
import { seriesFromPoints } from '../../../lib/domain/scoring/series-from-points.ts';
import { samplePrices, tinyModel } from './fixtures.ts';

const series = (closes: number[]) =>
  seriesFromPoints(
    closes.map((close, i) => ({ date: `2024-01-${String(i + 2).padStart(2, '0')}`, close })),
    'T',
  );

describe('computeRiskMetrics', () => {
  test('matches a hand calculation', () => {
    // returns 0.1, -0.1, 0.0555…, 0.1578…; peak 110 on 01-03, trough 99 on 01-04, back above on 01-06
    const s = series([100, 110, 99, 104.5, 121]);
    const m = computeRiskMetrics(s, 0.8);
    const r = [0.1, -0.1, 104.5 / 99 - 1, 121 / 104.5 - 1];
    const mean = r.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    assert.ok(Math.abs(m.annualizedVolatility - sd * Math.sqrt(252)) < 1e-12);
    assert.ok(Math.abs(m.maxDrawdown.value - 0.1) < 1e-12);
    assert.deepEqual([m.maxDrawdown.peakDate, m.maxDrawdown.troughDate, m.maxDrawdown.recoveryDate], ['2024-01-03', '2024-01-04', '2024-01-06']);
    // type-7 quantile at 0.2 of sorted [-0.1, 0.0556, 0.1, 0.1579]: h = 0.6 → -0.1 + 0.6 × (0.0556 + 0.1)
    assert.ok(Math.abs(m.historicalVar.value - (0.1 - 0.6 * (104.5 / 99 - 1 + 0.1))) < 1e-12);
    assert.equal(m.historicalVar.confidence, 0.8);
    assert.ok(Math.abs(m.historicalEs.value - 0.1) < 1e-12, 'only -0.1 is at or below the quantile');
    assert.ok(Math.abs(m.totalReturn - 0.21) < 1e-12);
    assert.ok(Math.abs(m.annualizedReturn - (1.21 ** (252 / 4) - 1)) / 1.21 ** 63 < 1e-12);
    assert.ok(Math.abs(m.meanDailyReturn - mean) < 1e-15);
  });

  test('flat prices: zero volatility and drawdown, dates at the start', () => {
    const m = computeRiskMetrics(series([5, 5, 5, 5]), 0.95);
    assert.equal(m.annualizedVolatility, 0);
    assert.deepEqual(m.maxDrawdown, { value: 0, peakDate: '2024-01-02', troughDate: '2024-01-02', recoveryDate: '2024-01-02' });
    assert.ok(m.historicalVar.value === 0, 'no loss at any quantile'); // (-0 === 0; JSON writes 0)
  });

  test('an unrecovered drawdown has recoveryDate null', () => {
    const m = computeRiskMetrics(series([100, 120, 90, 100]), 0.95);
    assert.deepEqual(m.maxDrawdown, { value: 0.25, peakDate: '2024-01-03', troughDate: '2024-01-04', recoveryDate: null });
  });

  test('fewer than 3 prices is a TooFewPricesError', () => {
    assert.throws(
      () => computeRiskMetrics(series([1, 2]), 0.95),
      (e: unknown) => e instanceof TooFewPricesError && e.needed === 3 && e.available === 2,
    );
  });
});

describe('scoreInstrument', () => {
  test('asks the model first: a short history fails with its InsufficientHistoryError', () => {
    assert.throws(() => scoreInstrument(series([1, 2, 3]), { version: 'v', artifact: tinyModel() }, { confidence: 0.95 }), InsufficientHistoryError);
  });

  test('assembles metrics, conventions and the top contributions', () => {
    const s = samplePrices('FTSE', 400);
    const out = scoreInstrument(s, { version: 'v9', artifact: tinyModel() }, { confidence: 0.95, topContributions: 3 });
    assert.equal(out.symbol, 'FTSE');
    assert.equal(out.observations, 400);
    assert.equal(out.asOf, s.dates[399]);
    assert.equal(out.conventions, RISK_CONVENTIONS);
    assert.equal(out.model.version, 'v9');
    assert.equal(out.model.explanation.contributions.length, 3);
    const abs = out.model.explanation.contributions.map((c) => Math.abs(c.contribution));
    assert.deepEqual(
      abs,
      [...abs].sort((a, b) => b - a),
    );
    const total = Object.values(out.model.probabilities).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);
    assert.deepEqual(out.metrics, computeRiskMetrics(s, 0.95));
  });
});

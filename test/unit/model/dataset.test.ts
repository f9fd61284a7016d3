import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crossSectionColumns, MAX_LOOKBACK, trailingVolatility } from '../../../lib/domain/features/index.ts';
import { buildTrainingSet, volatilityRows } from '../../../lib/domain/model/dataset.ts';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { classifyVolatility, DEFAULT_VOLATILITY_BANDS } from '../../../lib/domain/model/labels.ts';
import { annualizedVolatility } from '../../../lib/domain/risk/index.ts';
import { SERIES, smallSet } from './fixtures.ts';
import { syntheticSeries } from './synthetic.ts';

describe('buildTrainingSet', () => {
  const set = smallSet();
  const { rows: raw } = volatilityRows(SERIES, 10);

  test('one row per instrument-day with complete trailing windows and a full forward horizon', () => {
    // 420 days: first usable day is MAX_LOOKBACK (126), last is 420 - 1 - 10.
    assert.equal(set.rows.length, 3 * (420 - MAX_LOOKBACK - 10));
    const aaa = set.rows.filter((r) => r.symbol === 'AAA');
    assert.equal(aaa[0].date, SERIES[0].dates[MAX_LOOKBACK]);
    assert.equal(aaa.at(-1)!.date, SERIES[0].dates[420 - 11]);
    assert.equal(set.labelRule.horizon, 10);
    assert.equal(set.featureNames.length, 19);
    // sorted by (date, symbol)
    for (let i = 1; i < set.rows.length; i++) {
      const a = set.rows[i - 1];
      const b = set.rows[i];
      assert.ok(a.date! < b.date! || (a.date === b.date && a.symbol! < b.symbol!));
    }
  });

  test('forwardVol (the label source) is the annualised std of the next `horizon` returns', () => {
    const s = SERIES[1];
    const t = 200;
    const row = raw.find((r) => r.symbol === 'BBB' && r.date === s.dates[t])!;
    const r = (i: number) => s.close[i] / s.close[i - 1] - 1;
    const fwd = Array.from({ length: 10 }, (_, k) => r(t + 1 + k));
    assert.ok(Math.abs(row.forwardVol - annualizedVolatility(fwd)) < 1e-15);
    assert.equal(trailingVolatility(s.close, 10)[t + 10], row.forwardVol);
  });

  test('labels: forward volatility in the fixed bands (15 %, 25 %), recorded in the label rule', () => {
    assert.deepEqual(set.labelRule, { kind: 'volatility-bands', horizon: 10, thresholds: { lowMax: 0.15, mediumMax: 0.25 } });
    assert.deepEqual(
      set.rows.map((r) => r.label),
      raw.map((r) => classifyVolatility(r.forwardVol, DEFAULT_VOLATILITY_BANDS)),
    );
    // The synthetic regimes (8, 16, 32 %/yr) fill all three classes.
    for (const c of ['low', 'medium', 'high']) assert.ok(set.rows.filter((r) => r.label === c).length > 50, c);
    const custom = buildTrainingSet(SERIES, { horizon: 10, thresholds: { lowMax: 0.1, mediumMax: 0.2 } });
    assert.deepEqual(custom.labelRule.kind === 'volatility-bands' && custom.labelRule.thresholds, { lowMax: 0.1, mediumMax: 0.2 });
    assert.deepEqual(
      custom.rows.map((r) => r.label),
      raw.map((r) => classifyVolatility(r.forwardVol, { lowMax: 0.1, mediumMax: 0.2 })),
    );
    assert.throws(() => buildTrainingSet(SERIES, { horizon: 10, thresholds: { lowMax: 0.2, mediumMax: 0.1 } }), TrainingDataError);
  });

  test('features of a row do not change when the future changes, the label source does', () => {
    const s = SERIES[0];
    const t = 300;
    const changed = { ...s, close: s.close.slice() };
    for (let i = t + 1; i < changed.close.length; i++) changed.close[i] *= 1 + 0.03 * Math.sin(i);
    const other = volatilityRows([changed], 10).rows;
    const a = raw.find((r) => r.symbol === 'AAA' && r.date === s.dates[t])!;
    const b = other.find((r) => r.date === s.dates[t])!;
    assert.deepEqual(b.features, a.features);
    assert.notEqual(b.forwardVol, a.forwardVol);
  });

  test('OHLC/volume features only when every series has them; beta with a benchmark', () => {
    const ohlc = syntheticSeries({ symbol: 'O', days: 200, seed: 1, ohlc: true, volume: true });
    const plain = syntheticSeries({ symbol: 'P', days: 200, seed: 2 });
    assert.ok(buildTrainingSet([ohlc], { horizon: 5 }).featureNames.includes('atr_pct_14'));
    assert.ok(buildTrainingSet([ohlc], { horizon: 5 }).featureNames.includes('volume_z_63'));
    const mixed = buildTrainingSet([ohlc, plain], { horizon: 5 });
    assert.ok(!mixed.featureNames.includes('atr_pct_14') && !mixed.featureNames.includes('volume_z_63'));
    const withBeta = buildTrainingSet([ohlc, plain], { horizon: 5, benchmark: plain });
    assert.equal(withBeta.featureNames.at(-1), 'beta_63');
    assert.equal(withBeta.benchmark, 'P');
  });

  test('cross-sectional features only when asked for, computed across all the series', () => {
    assert.ok(!set.featureNames.includes('market_vol_21'));
    const withCross = buildTrainingSet(SERIES, { horizon: 10, crossSection: true });
    assert.deepEqual(withCross.featureNames.slice(-2), ['market_vol_21', 'vol_rank_21']);
    assert.deepEqual(withCross.featureNames.slice(0, -2), set.featureNames);
    const cross = crossSectionColumns(SERIES, ['market_vol_21', 'vol_rank_21']);
    const row = withCross.rows.find((r) => r.symbol === 'CCC' && r.date === SERIES[2].dates[250])!;
    assert.deepEqual(row.features.slice(-2), [cross[2][0][250], cross[2][1][250]]);
    assert.deepEqual(row.features.slice(0, -2), set.rows.find((r) => r.symbol === 'CCC' && r.date === SERIES[2].dates[250])!.features);
  });

  test('a series too short for one complete row contributes none', () => {
    const short = syntheticSeries({ symbol: 'S', days: 126 + 10, seed: 5 });
    const justEnough = syntheticSeries({ symbol: 'J', days: 126 + 10 + 1, seed: 6 });
    assert.deepEqual(
      volatilityRows([short, justEnough], 10).rows.map((r) => r.symbol),
      ['J'],
    );
    assert.throws(() => buildTrainingSet([syntheticSeries({ symbol: 'x', days: 1, seed: 1 })]), /the training set has no rows/);
  });

  test('bad inputs', () => {
    assert.throws(() => buildTrainingSet([], {}), /no price series/);
    assert.throws(() => buildTrainingSet(SERIES, { horizon: 1 }), /horizon must be an integer >= 2/);
    assert.throws(
      () => buildTrainingSet([SERIES[0], SERIES[0]]),
      (e: unknown) => e instanceof TrainingDataError && /symbol 'AAA'/.test(e.message),
    );
    // Labelling needs no split, so a short history still gives its few rows (training then says whether they suffice).
    const short = buildTrainingSet(
      SERIES.map((s) => ({ ...s, dates: s.dates.slice(0, 140), close: s.close.slice(0, 140) })),
      { horizon: 10 },
    );
    assert.equal(short.rows.length, 3 * (140 - MAX_LOOKBACK - 10));
  });
});

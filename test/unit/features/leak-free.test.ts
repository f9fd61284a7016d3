/**
 * No feature looks ahead: the features of a series cut at date t equal the full series'
 * features at t, for every feature (close, OHLC, volume, benchmark and cross-sectional ones),
 * and changing prices after t changes nothing at t.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../../lib/domain/errors.ts';
import {
  availableFeatureNames,
  computeFeatureColumns,
  crossSectionColumns,
  FEATURE_DEFINITIONS,
  FeatureInputError,
  MAX_LOOKBACK,
} from '../../../lib/domain/features/index.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { syntheticSeries } from '../model/synthetic.ts';

/** Every feature one series (with a benchmark) can give; the cross-sectional ones need the whole set. */
const ALL = FEATURE_DEFINITIONS.filter((d) => d.requires !== 'cross-section').map((d) => d.name);
const CROSS = FEATURE_DEFINITIONS.filter((d) => d.requires === 'cross-section').map((d) => d.name);

function cut(s: PriceSeries, n: number): PriceSeries {
  const sl = (a?: Float64Array) => a?.slice(0, n);
  return { symbol: s.symbol, dates: s.dates.slice(0, n), close: s.close.slice(0, n), open: sl(s.open), high: sl(s.high), low: sl(s.low), volume: sl(s.volume) };
}

describe('features use only data up to their date', () => {
  const series = syntheticSeries({ symbol: 'A', days: 260, seed: 7, ohlc: true, volume: true });
  const benchmark = syntheticSeries({ symbol: 'B', days: 260, seed: 8 });
  const full = computeFeatureColumns(series, ALL, { benchmark });

  test('every feature is defined from MAX_LOOKBACK on and undefined at 0', () => {
    full.forEach((col, j) => {
      assert.ok(Number.isFinite(col[MAX_LOOKBACK]), `${ALL[j]} at ${MAX_LOOKBACK}`);
      assert.ok(Number.isNaN(col[0]), `${ALL[j]} at 0`);
    });
  });

  test('truncating the series at t leaves the features at t unchanged (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_LOOKBACK, max: 258 }), (t) => {
        const part = computeFeatureColumns(cut(series, t + 1), ALL, { benchmark });
        part.forEach((col, j) => {
          assert.equal(col[t], full[j][t], `${ALL[j]} at ${t}`);
        });
      }),
      { numRuns: 25, seed: 1 },
    );
  });

  test('changing prices after t changes no feature at t', () => {
    const t = 180;
    const shocked: PriceSeries = {
      ...series,
      close: series.close.slice(),
      high: series.high!.slice(),
      low: series.low!.slice(),
      volume: series.volume!.slice(),
    };
    for (let i = t + 1; i < 260; i++) {
      // A ramp (not a constant factor) so that every later return, range and volume changes.
      const k = 1 + 0.05 * (i - t) * (i % 2 === 0 ? 1 : 1.5);
      shocked.close[i] *= k;
      shocked.high![i] *= k * 1.01;
      shocked.low![i] *= k * 0.99;
      shocked.volume![i] *= k * k;
    }
    const after = computeFeatureColumns(shocked, ALL, { benchmark });
    after.forEach((col, j) => {
      assert.equal(col[t], full[j][t], `${ALL[j]} at ${t}`);
      assert.notEqual(col[t + 30], full[j][t + 30], `${ALL[j]} at ${t + 30} should see the shock`);
    });
  });
});

describe('cross-sectional features use only data up to their date', () => {
  // Three instruments on shared dates; the third starts later (a cross-section that grows).
  const set = [
    syntheticSeries({ symbol: 'A', days: 200, seed: 21 }),
    syntheticSeries({ symbol: 'B', days: 200, seed: 22 }),
    (() => {
      const s = syntheticSeries({ symbol: 'C', days: 200, seed: 23 });
      return { ...s, dates: s.dates.slice(40), close: s.close.slice(40) };
    })(),
  ];
  const full = crossSectionColumns(set, CROSS);
  const cutAt = (t: number) => set.map((s) => cut(s, s.dates.indexOf(set[0].dates[t]) + 1));

  test('cutting every series at date t leaves the values at t unchanged (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 21, max: 198 }), (t) => {
        const part = crossSectionColumns(cutAt(t), CROSS);
        const d = set[0].dates[t];
        part.forEach((cols, k) => {
          const i = set[k].dates.indexOf(d);
          if (i < 0) return;
          cols.forEach((col, j) => {
            assert.equal(col[i], full[k][j][i], `${CROSS[j]} of ${set[k].symbol} on ${d}`);
          });
        });
      }),
      { numRuns: 25, seed: 2 },
    );
  });

  test('mean and mid-rank percentile of vol_21 across the instruments with a value that date', () => {
    const [market, rank] = [CROSS.indexOf('market_vol_21'), CROSS.indexOf('vol_rank_21')];
    const t = 150;
    const d = set[0].dates[t];
    const v = set.map((s) => computeFeatureColumns(s, ['vol_21'])[0][s.dates.indexOf(d)]);
    assert.ok(Math.abs(full[1][market][t] - (v[0] + v[1] + v[2]) / 3) < 1e-15);
    const order = [...v].sort((a, b) => a - b);
    set.forEach((s, k) => {
      assert.equal(full[k][rank][s.dates.indexOf(d)], order.indexOf(v[k]) / 2);
    });
    // Before C's vol_21 exists (its first 21 dates), the cross-section is A and B only.
    const early = 50;
    const two = [0, 1].map((k) => computeFeatureColumns(set[k], ['vol_21'])[0][early]);
    assert.ok(Math.abs(full[0][market][early] - (two[0] + two[1]) / 2) < 1e-15);
    assert.deepEqual([full[0][rank][early], full[1][rank][early]].sort(), [0, 1]);
    // One instrument alone is in the middle of its own cross-section.
    assert.equal(crossSectionColumns([set[0]], ['vol_rank_21'])[0][0][100], 0.5);
    assert.ok(Number.isNaN(full[0][market][20]));
  });

  test('one series alone cannot compute them: the error names the feature and what it needs', () => {
    assert.throws(
      () => computeFeatureColumns(set[0], ['vol_21', 'market_vol_21']),
      (e: unknown) => e instanceof FeatureInputError && e.reason === 'missing-input' && e.feature === 'market_vol_21' && /other instruments/.test(e.message),
    );
    assert.throws(
      () => crossSectionColumns(set, ['vol_21']),
      (e: unknown) => e instanceof FeatureInputError && e.feature === 'vol_21',
    );
  });
});

describe('feature availability', () => {
  test('OHLC, volume and beta features only when the inputs exist', () => {
    assert.deepEqual(availableFeatureNames({ ohlc: false, volume: false, benchmark: false }).includes('parkinson_vol_21'), false);
    const all = availableFeatureNames({ ohlc: true, volume: true, benchmark: true });
    assert.deepEqual(all, ALL);
    assert.equal(availableFeatureNames({ ohlc: false, volume: false, benchmark: false }).length, ALL.length - 5);
  });

  test('asking for an OHLC feature of a close-only series names the feature', () => {
    const s = syntheticSeries({ symbol: 'C', days: 150, seed: 3 });
    assert.throws(
      () => computeFeatureColumns(s, ['atr_pct_14']),
      (e: unknown) =>
        e instanceof FeatureInputError &&
        e instanceof DomainError &&
        e.code === 'MODEL_INPUT_UNAVAILABLE' &&
        e.reason === 'missing-input' &&
        e.feature === 'atr_pct_14' &&
        /open\/high\/low/.test(e.message),
    );
    // An unknown name is no missing input: no other history would fix it.
    assert.throws(
      () => computeFeatureColumns(s, ['nope']),
      (e: unknown) =>
        e instanceof FeatureInputError &&
        e.code === 'INVALID_PARAMETER' &&
        e.reason === 'unknown-feature' &&
        e.feature === 'nope' &&
        e.message === "unknown feature 'nope'",
    );
  });

  test('volume z-score by hand, and 0 for flat volume', () => {
    const s = syntheticSeries({ symbol: 'V', days: 70, seed: 4, volume: true });
    const v = s.volume!;
    const t = 69;
    const w = Array.from(v.subarray(t - 62, t + 1));
    const mean = w.reduce((a, b) => a + b, 0) / 63;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / 62);
    const [z] = computeFeatureColumns(s, ['volume_z_63']);
    assert.ok(Math.abs(z[t] - (v[t] - mean) / sd) < 1e-12);
    assert.ok(Number.isNaN(z[61]));
    const flat = { ...s, volume: new Float64Array(70).fill(1000) };
    assert.equal(computeFeatureColumns(flat, ['volume_z_63'])[0][t], 0);
  });

  test('beta needs benchmark prices on both dates of a return', () => {
    const s = syntheticSeries({ symbol: 'S', days: 140, seed: 5 });
    const b = syntheticSeries({ symbol: 'B', days: 140, seed: 6 });
    const gap = { ...b, dates: b.dates.filter((_, i) => i !== 100), close: b.close.filter((_, i) => i !== 100) };
    const [beta] = computeFeatureColumns(s, ['beta_63'], { benchmark: gap });
    // Dropping benchmark date 100 removes the returns of dates 100 and 101 from every window holding them.
    assert.ok(Number.isNaN(beta[100]) && Number.isNaN(beta[101]) && Number.isNaN(beta[139]));
    assert.ok(Number.isFinite(beta[99]));
    // Beta of a series on itself is 1.
    const [self] = computeFeatureColumns(s, ['beta_63'], { benchmark: s });
    assert.ok(Math.abs(self[139] - 1) < 1e-12);
  });
});

test('very short series give undefined features, not errors', () => {
  for (const n of [0, 1, 2, 5]) {
    const s = syntheticSeries({ symbol: 'T', days: n, seed: 9, ohlc: true, volume: true });
    const cols = computeFeatureColumns(s, ALL, { benchmark: s });
    // Only today's squared return (rv_d, from the second price) and the 5-day range (parkinson_vol_5, from the fifth) fit in five prices.
    const first: Record<string, number> = { rv_d: 1, parkinson_vol_5: 4 };
    assert.ok(
      cols.every((c, j) => c.length === n && c.every((v, t) => (t >= (first[ALL[j]] ?? n) ? Number.isFinite(v) : Number.isNaN(v)))),
      `n=${n}`,
    );
  }
  // 76 prices = 75 returns: the EWMA start value is complete at the last date, the 126-day windows are not.
  const s = syntheticSeries({ symbol: 'T', days: 76, seed: 9 });
  const [ewma, vol126] = computeFeatureColumns(s, ['ewma_vol', 'vol_126']);
  assert.ok(Number.isFinite(ewma[75]) && Number.isNaN(ewma[74]) && Number.isNaN(vol126[75]));
});

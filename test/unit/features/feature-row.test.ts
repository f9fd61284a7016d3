/**
 * The last-row path (computeFeatureRow, what scoring uses) equals the last row of the full
 * columns (computeFeatureColumns, what training uses) bit for bit — Object.is, so NaN where the
 * row is undefined and no 1e-16 drift — for every per-series feature, on random series cut at
 * random dates, with flat stretches (the features' 0 / ratio-1 branches), OHLC, volume, an
 * unadjusted close and a benchmark with gaps.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { computeFeatureColumns, computeFeatureRow, FEATURE_DEFINITIONS, FeatureInputError } from '../../../lib/domain/features/index.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { syntheticSeries } from '../model/synthetic.ts';

const PER_SERIES = FEATURE_DEFINITIONS.filter((d) => d.requires !== 'cross-section').map((d) => d.name);
const CLOSE_ONLY = FEATURE_DEFINITIONS.filter((d) => d.requires === 'close').map((d) => d.name);

/** The first `count` dates of `s`, every column copied (a history whose last date is the scored one). */
function firstDates(s: PriceSeries, count: number): PriceSeries {
  const cut = (a?: Float64Array) => a?.slice(0, count);
  const out: PriceSeries = { symbol: s.symbol, dates: s.dates.slice(0, count), close: s.close.slice(0, count) };
  for (const key of ['rawClose', 'open', 'high', 'low', 'volume'] as const) if (s[key]) out[key] = cut(s[key]);
  return out;
}

/** Prices held constant over [from, from + length): flat windows (zero dispersion). */
function flatten(s: PriceSeries, from: number, length: number): void {
  for (let t = from; t < Math.min(s.close.length, from + length); t++) {
    s.close[t] = s.close[from];
    if (s.volume) s.volume[t] = s.volume[from];
  }
}

const arbitraryCase = fc.record({
  days: fc.integer({ min: 200, max: 420 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  scored: fc.integer({ min: 1, max: 420 }),
  flatFrom: fc.integer({ min: 0, max: 400 }),
  flatLength: fc.constantFrom(0, 30, 140),
  rawClose: fc.boolean(),
  benchmarkGaps: fc.integer({ min: 0, max: 3 }),
});

describe('computeFeatureRow', () => {
  test('equals the last row of computeFeatureColumns bit for bit, for every feature, at random dates (property)', () => {
    let defined = 0;
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const s = syntheticSeries({ symbol: 'S', days: c.days, seed: c.seed, ohlc: true, volume: true, regimeDays: 40 });
        flatten(s, c.flatFrom, c.flatLength);
        if (c.rawClose) s.rawClose = s.close.map((p, t) => p * (1 + t / 1000));
        const bench = syntheticSeries({ symbol: 'B', days: c.days + 10, seed: c.seed + 1 });
        // Missing benchmark dates: beta is undefined while one sits inside its window.
        const keep = bench.dates.map((_, t) => c.benchmarkGaps === 0 || t % 97 !== c.benchmarkGaps);
        const benchmark: PriceSeries = { symbol: 'B', dates: bench.dates.filter((_, t) => keep[t]), close: bench.close.filter((_, t) => keep[t]) };
        // Scored dates from the very first (nothing defined) to the last.
        const count = Math.min(c.scored, c.days);
        const history = firstDates(s, count);
        const row = computeFeatureRow(history, PER_SERIES, { benchmark });
        const columns = computeFeatureColumns(history, PER_SERIES, { benchmark });
        PER_SERIES.forEach((name, j) => {
          const expected = columns[j][count - 1];
          assert.ok(Object.is(row[j], expected), `${name} on date ${count - 1} of ${c.days} (seed ${c.seed}): ${row[j]} vs ${expected}`);
          if (Number.isFinite(expected)) defined++;
        });
      }),
      { numRuns: 60, seed: 20261130 },
    );
    // The property compared real values, not only NaN rows.
    assert.ok(defined > 500, `${defined} defined values compared`);
  });

  test('a long history: each feature equals the column value on the last date', () => {
    const s = syntheticSeries({ symbol: 'L', days: 1900, seed: 3 });
    const row = computeFeatureRow(s, CLOSE_ONLY);
    const columns = computeFeatureColumns(s, CLOSE_ONLY);
    CLOSE_ONLY.forEach((name, j) => {
      assert.ok(Object.is(row[j], columns[j][1899]) && Number.isFinite(row[j]), name);
    });
  });

  test('names in any order, repeated: values follow the order asked', () => {
    const s = syntheticSeries({ symbol: 'O', days: 300, seed: 5 });
    const names = ['kurt_63', 'vol_21', 'ewma_vol', 'vol_21', 'skew_63'];
    const columns = computeFeatureColumns(s, names);
    assert.deepEqual(
      computeFeatureRow(s, names),
      columns.map((col) => col[299]),
    );
  });

  test('an unknown name or a missing input is refused with the same error as the columns', () => {
    const s = syntheticSeries({ symbol: 'C', days: 200, seed: 9 });
    for (const names of [['vol_21', 'no_such_feature', 'atr_pct_14'], ['vol_21', 'atr_pct_14', 'no_such_feature'], ['beta_63'], ['vol_rank_21']]) {
      const expected = captured(() => computeFeatureColumns(s, names));
      const actual = captured(() => computeFeatureRow(s, names));
      assert.ok(actual instanceof FeatureInputError && expected instanceof FeatureInputError, names.join());
      assert.deepEqual([actual.message, actual.feature, actual.reason], [expected.message, expected.feature, expected.reason]);
    }
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

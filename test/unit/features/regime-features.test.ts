/**
 * The volatility-regime features against their definitions written out by hand (plain loops,
 * no risk-engine helpers): HAR components, vol ratio, z-score and vol-of-vol of ln vol_21, and
 * the weekly Parkinson range volatility.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeFeatureColumns, LOG_VOL_FLOOR, logVolatility, realisedVolatility } from '../../../lib/domain/features/index.ts';
import { syntheticSeries } from '../model/synthetic.ts';

const s = syntheticSeries({ symbol: 'R', days: 300, seed: 31, ohlc: true });
const c = s.close;
const ret = (i: number) => c[i] / c[i - 1] - 1;
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: number[]) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
};
/** Annualised sample std of the `w` returns ending at t. */
const vol = (t: number, w: number) => sd(Array.from({ length: w }, (_, k) => ret(t - k))) * Math.sqrt(252);
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

const NAMES = ['rv_d', 'rv_w', 'rv_m', 'vol_ratio_21_126', 'vol_z_126', 'vol_of_vol_126', 'parkinson_vol_5'];
const cols = Object.fromEntries(computeFeatureColumns(s, NAMES).map((col, j) => [NAMES[j], col]));

describe('regime features equal their definitions', () => {
  test('HAR components: √(252 · mean of the last 1, 5, 22 squared returns), not demeaned', () => {
    for (const t of [22, 150, 299]) {
      for (const [name, w] of [
        ['rv_d', 1],
        ['rv_w', 5],
        ['rv_m', 22],
      ] as const) {
        const ms = mean(Array.from({ length: w }, (_, k) => ret(t - k) ** 2));
        close(cols[name][t], Math.sqrt(252 * ms), `${name} at ${t}`);
      }
    }
    assert.ok(Number.isNaN(cols.rv_w[4]) && Number.isFinite(cols.rv_w[5]) && Number.isNaN(cols.rv_m[21]));
    assert.deepEqual(realisedVolatility(c, 22), cols.rv_m);
  });

  test('vol_ratio_21_126 = vol_21 / vol_126', () => {
    for (const t of [126, 200, 299]) close(cols.vol_ratio_21_126[t], vol(t, 21) / vol(t, 126), `ratio at ${t}`);
    assert.ok(Number.isNaN(cols.vol_ratio_21_126[125]));
  });

  test('vol_z_126 and vol_of_vol_126: z-score and std of ln vol_21 over its 106 values inside the last 126 returns', () => {
    for (const t of [126, 211, 299]) {
      const lv = Array.from({ length: 106 }, (_, k) => Math.log(vol(t - k, 21)));
      close(cols.vol_of_vol_126[t], sd(lv), `vol of vol at ${t}`);
      close(cols.vol_z_126[t], (lv[0] - mean(lv)) / sd(lv), `z at ${t}`);
    }
    assert.ok(Number.isNaN(cols.vol_z_126[125]) && Number.isNaN(cols.vol_of_vol_126[125]));
  });

  test('a flat history: log volatility is floored, the z-score is 0 and the ratio 1', () => {
    const flat = { symbol: 'F', dates: s.dates.slice(0, 200), close: new Float64Array(200).fill(50) };
    const [z, vov, ratio] = computeFeatureColumns(flat, ['vol_z_126', 'vol_of_vol_126', 'vol_ratio_21_126']);
    assert.deepEqual([z[150], vov[150], ratio[150]], [0, 0, 1]);
    assert.deepEqual(Array.from(logVolatility(Float64Array.of(0, Number.NaN, 0.2))), [Math.log(LOG_VOL_FLOOR), Number.NaN, Math.log(0.2)]);
  });

  test('parkinson_vol_5: √(252 / (4 · 5 · ln 2) · Σ_{last 5 days} ln(H/L)²)', () => {
    const h = s.high!;
    const l = s.low!;
    for (const t of [4, 100, 299]) {
      let sum = 0;
      for (let k = 0; k < 5; k++) sum += Math.log(h[t - k] / l[t - k]) ** 2;
      close(cols.parkinson_vol_5[t], Math.sqrt((252 / (4 * 5 * Math.LN2)) * sum), `parkinson at ${t}`);
    }
  });
});

/**
 * Up/down capture and beta, stability and the rolling series on tiny inputs worked out by hand,
 * and the rolling series' promises: aligned dates, NaN before the window is full, no later data,
 * the benchmark's inner join, VaR[t] = the backtest's forecast for t + 1.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import * as risk from '../../../lib/domain/risk/index.ts';
import { assertClose, samplePrices } from './approx.ts';

describe('up/down capture and beta by hand', () => {
  // Up periods (b > 0): 0 and 1; down (b < 0): 2; period 3 (b = 0) is in neither.
  const r = [0.02, 0.04, -0.01, 0.03];
  const b = [0.01, 0.02, -0.02, 0];
  test('capture ratios annualise over the selected periods (A = 2 over 2 up periods: the plain cumulative ratio)', () => {
    // (1.02·1.04 − 1)/(1.01·1.02 − 1) = 0.0608/0.0302
    assertClose(risk.upCaptureRatio(r, b, { periodsPerYear: 2 }), 0.0608 / 0.0302, 'up');
    // one down period, A = 2: (0.99² − 1)/(0.98² − 1) = −0.0199/−0.0396
    assertClose(risk.downCaptureRatio(r, b, { periodsPerYear: 2 }), 0.0199 / 0.0396, 'down');
    // A = 252 over the 2 up periods: exponent 252/2 = 126
    assertClose(risk.upCaptureRatio(r, b), (1.0608 ** 126 - 1) / (1.0302 ** 126 - 1), 'up, A = 252');
  });
  test('up beta on (0.01, 0.02) → (0.02, 0.04) is 2; one down period gives no beta', () => {
    assertClose(risk.upDownBeta(r, b).upBeta, 2, 'up beta');
    assert.equal(risk.upDownBeta(r, b).downBeta, null);
  });
  test('a benchmark that never falls has no down capture or down beta', () => {
    const m = risk.benchmarkMetrics([0.01, 0.02, 0.0], [0.01, 0.03, 0.02]);
    assert.equal(m.downCaptureRatio, null);
    assert.equal(m.downBeta, null);
    assert.equal(typeof m.upCaptureRatio, 'number');
  });
  test('misaligned lengths are refused', () => {
    assert.throws(() => risk.upCaptureRatio([0.01, 0.02], [0.01]), risk.InvalidParameterError);
  });
});

describe('stability by hand', () => {
  test('a steady rate (up or down) is a straight log-wealth line: 1', () => {
    assertClose(risk.stabilityOfTimeseries([0.01, 0.01, 0.01, 0.01]), 1, 'up', 1e-12);
    assertClose(risk.stabilityOfTimeseries([-0.02, -0.02, -0.02]), 1, 'down', 1e-12);
  });
  test('up, down, up: log wealth a, 0, a has no trend: 0', () => {
    assertClose(risk.stabilityOfTimeseries([0.1, -1 / 11, 0.1]), 0, 'zig-zag', 1e-9, 1e-15);
  });
  test('constant wealth is undefined (null); one return is too little', () => {
    assert.equal(risk.stabilityOfTimeseries([0, 0, 0]), null);
    assert.throws(() => risk.stabilityOfTimeseries([0.01]), risk.InsufficientDataError);
  });
});

/** Prices on consecutive made-up dates. */
function series(close: number[], symbol = 'X', start = 1): PriceSeries {
  return { symbol, dates: close.map((_, i) => `2024-01-${String(start + i).padStart(2, '0')}`), close: Float64Array.from(close) };
}

describe('rollingSeries', () => {
  const dax = samplePrices('eustock_DAX.csv');
  const ftse = samplePrices('eustock_FTSE.csv');

  test('by hand: window 2 on 100 → 110 → 99 → 99', () => {
    const s = risk.rollingSeries(series([100, 110, 99, 99]), { window: 2, periodsPerYear: 1 });
    assert.deepEqual(s.dates, ['2024-01-02', '2024-01-03', '2024-01-04']);
    assert.ok(Number.isNaN(s.volatility[0]) && Number.isNaN(s.var[0]) && Number.isNaN(s.sharpe[0]));
    // returns 0.1, −0.1: sd = √0.02, mean 0 → Sharpe 0; VaR = −Q(0.05) = −(−0.1 + 0.05·0.2) = 0.09
    assertClose(s.volatility[1], Math.sqrt(0.02), 'vol');
    assertClose(s.sharpe[1], 0, 'sharpe', 1e-9, 1e-15);
    assertClose(s.var[1], 0.09, 'VaR');
    // returns −0.1, 0: sd = √0.005, mean −0.05 → Sharpe −0.05/√0.005
    assertClose(s.sharpe[2], -0.05 / Math.sqrt(0.005), 'sharpe');
    assert.equal(s.beta, null);
    assert.deepEqual(s.parameters, { periodsPerYear: 1, confidence: 0.95, riskFree: 0, varMethod: 'historical' });
  });

  test('rollingSharpe subtracts the per-period rf: A = 1, rf 10 %, window 0.1, −0.1 → −0.1/√0.02', () => {
    const s = risk.rollingSharpe([0.1, -0.1, 0], 2, { periodsPerYear: 1, riskFree: 0.1 });
    assert.ok(Number.isNaN(s[0]));
    assertClose(s[1], -0.1 / Math.sqrt(0.02), 'window 1');
    // window −0.1, 0: mean −0.05 − 0.1, sd √0.005
    assertClose(s[2], -0.15 / Math.sqrt(0.005), 'window 2');
  });

  test('a constant window has no Sharpe ratio or beta (NaN, null in JSON)', () => {
    const flat = series([100, 100, 100, 101]);
    const s = risk.rollingSeries(flat, { window: 2, benchmark: flat });
    assert.equal(s.volatility[1], 0);
    assert.ok(Number.isNaN(s.sharpe[1]) && Number.isNaN(s.beta?.[1] ?? 0));
  });

  test('NaN before the window is full; a series shorter than the window is all NaN', () => {
    const s = risk.rollingSeries(dax, { window: 63 });
    assert.ok(s.volatility.subarray(0, 62).every(Number.isNaN));
    assert.ok(!Number.isNaN(s.volatility[62]));
    const short = risk.rollingSeries(series([100, 101, 102]), { window: 5 });
    assert.equal(short.dates.length, 2);
    assert.ok([...short.volatility, ...short.var, ...short.sharpe].every(Number.isNaN));
  });

  test('no value depends on later data: cutting the series off changes nothing before the cut', () => {
    const cut = 500;
    const head: PriceSeries = { symbol: dax.symbol, dates: dax.dates.slice(0, cut + 1), close: dax.close.slice(0, cut + 1) };
    const full = risk.rollingSeries(dax, { window: 63, benchmark: ftse });
    const part = risk.rollingSeries(head, { window: 63, benchmark: ftse });
    for (const k of ['volatility', 'var', 'sharpe', 'beta'] as const) assert.deepEqual(part[k], full[k]?.subarray(0, cut), k);
  });

  test('VaR at t is the backtest forecast for t + 1', () => {
    const r = risk.simpleReturns(dax.close);
    const s = risk.rollingSeries(dax, { window: 250, confidence: 0.99 });
    const bt = risk.backtestVar(r, { window: 250, confidence: 0.99 });
    assert.deepEqual(bt.forecasts, s.var.subarray(249, 249 + bt.observations));
  });

  test('with a benchmark both series are inner-joined on their dates first', () => {
    // Drop every 10th FTSE date: the joined series skip those dates.
    const keep = ftse.dates.map((_, i) => i % 10 !== 5);
    const gappy: PriceSeries = { symbol: 'GAPPY', dates: ftse.dates.filter((_, i) => keep[i]), close: ftse.close.filter((_, i) => keep[i]) };
    const joined: PriceSeries = { symbol: dax.symbol, dates: dax.dates.filter((_, i) => keep[i]), close: dax.close.filter((_, i) => keep[i]) };
    const s = risk.rollingSeries(dax, { window: 63, benchmark: gappy });
    assert.equal(s.benchmarkSymbol, 'GAPPY');
    assert.deepEqual(s.dates, joined.dates.slice(1));
    assert.deepEqual(s.volatility, risk.rollingSeries(joined, { window: 63 }).volatility);
    assert.deepEqual(s.beta, risk.rollingBeta(risk.simpleReturns(joined.close), risk.simpleReturns(gappy.close), 63));
  });

  test('no common dates with the benchmark, or a window below 2, is refused', () => {
    assert.throws(() => risk.rollingSeries(series([100, 101, 102]), { window: 2, benchmark: series([100, 101], 'B', 20) }), /common dates/);
    assert.throws(() => risk.rollingSeries(dax, { window: 1 }), risk.InvalidParameterError);
    assert.throws(() => risk.rollingSeries(dax, { window: 2.5 }), risk.InvalidParameterError);
  });
});

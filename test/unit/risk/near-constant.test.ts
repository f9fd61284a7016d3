/**
 * A series that is constant except for floating-point rounding is constant: prices growing by
 * exactly 1 % a day give returns that differ only in their last bits, and every dispersion-based
 * metric must treat them as the constant series they are (volatility 0, undefined ratios null),
 * never as a volatility of 1e-15 and a Sharpe ratio of 1e15. Checked one metric at a time, through
 * the summary, and through `riskfn metrics --json` on a real file.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import * as risk from '../../../lib/domain/risk/index.ts';
import { assertClose } from './approx.ts';

const DAY = 86_400_000;
const dates = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, 1) + i * DAY).toISOString().slice(0, 10));

/** p₀·(1 + g)^i: every return is g up to the rounding of the power and of the division. */
function steady(p0: number, g: number, n = 300, symbol = 'STEADY'): PriceSeries {
  return { symbol, dates: dates(n), close: Float64Array.from({ length: n }, (_, i) => p0 * (1 + g) ** i) };
}

/** A series with real dispersion (±1 % zig-zag around a drift), same dates. */
function wiggly(n = 300): PriceSeries {
  const close = new Float64Array(n);
  close[0] = 100;
  for (let i = 1; i < n; i++) close[i] = close[i - 1] * (1 + 0.0005 + (i % 2 === 0 ? 0.01 : -0.01) * (1 + (i % 7) / 10));
  return { symbol: 'WIGGLY', dates: dates(n), close };
}

const up = risk.simpleReturns(steady(100, 0.01).close);

test('the fixture really is noisy: the returns of 1 %-a-day prices are not all equal', () => {
  assert.ok(Math.max(...up) > Math.min(...up));
  assert.ok(Math.max(...up) - Math.min(...up) < 1e-15);
});

describe('one metric at a time', () => {
  test('volatility is exactly 0 and Sharpe is null', () => {
    assert.equal(risk.annualizedVolatility(up), 0);
    assert.equal(risk.sharpeRatio(up), null);
    assert.equal(risk.sharpeRatio(up, { riskFree: 0.03 }), null);
  });

  test('Sortino is null when the returns sit on the MAR up to rounding', () => {
    // MAR = the annual rate of 1 % a day, so r − MAR_p is rounding noise on both sides of 0.
    const mar = 1.01 ** 252 - 1;
    assert.equal(risk.downsideDeviation(up, { mar }), 0);
    assert.equal(risk.sortinoRatio(up, { mar }), null);
  });

  test('a constant fall keeps its real downside deviation: Sortino = −√A', () => {
    const down = risk.simpleReturns(steady(100, -0.01).close);
    assert.equal(risk.sharpeRatio(down), null);
    assertClose(risk.sortinoRatio(down), -Math.sqrt(252), 'sortino');
  });

  test('a small drift (0.01 % a day) is recognised too: the rounding is relative to 1 + r, not to r', () => {
    const slow = risk.simpleReturns(steady(100, 0.0001).close);
    assert.ok(Math.max(...slow) > Math.min(...slow));
    assert.equal(risk.annualizedVolatility(slow), 0);
    assert.equal(risk.sharpeRatio(slow), null);
  });

  test('real but small dispersion (1e-9 a day) is kept', () => {
    const r = Float64Array.from({ length: 300 }, (_, i) => 0.01 + 1e-9 * Math.sin(i));
    assert.ok(risk.annualizedVolatility(r) > 1e-8);
    const sharpe = risk.sharpeRatio(r);
    assert.ok(sharpe !== null && Number.isFinite(sharpe) && sharpe > 1e6);
  });
});

describe('relative to a near-constant benchmark or series', () => {
  const r = risk.simpleReturns(wiggly().close);
  const bench = risk.simpleReturns(steady(50, 0.01).close);

  test('beta, alpha, correlation, R², Treynor are null against a 1 %-a-day benchmark', () => {
    const m = risk.benchmarkMetrics(r, bench);
    assert.deepEqual([m.beta, m.alpha, m.correlation, m.rSquared, m.treynorRatio], [null, null, null, null, null]);
    assert.ok(m.trackingError > 0.1 && Number.isFinite(m.informationRatio!));
  });

  test('correlation and R² are null when the SERIES is the near-constant one; beta is 0', () => {
    const m = risk.benchmarkMetrics(bench, r);
    assert.equal(m.correlation, null);
    assert.equal(m.rSquared, null);
    assert.equal(m.beta, 0);
  });

  test('up/down beta are null against a 1 %-a-day benchmark, which never falls: no down capture', () => {
    const m = risk.benchmarkMetrics(r, bench);
    assert.deepEqual([m.upBeta, m.downBeta, m.downCaptureRatio], [null, null, null]);
    assert.ok(Number.isFinite(m.upCaptureRatio!));
  });

  test('rolling: volatility 0, Sharpe ratio and beta NaN, never ±Infinity', () => {
    const s = risk.rollingSeries(steady(100, 0.01), { window: 20, benchmark: steady(50, 0.005) });
    assert.ok(s.volatility.subarray(19).every((v) => v === 0));
    assert.ok(s.sharpe.every(Number.isNaN) && (s.beta ?? []).every(Number.isNaN));
    assert.ok(s.var.subarray(19).every(Number.isFinite));
  });

  test('a steady rate is a straight log-wealth line: stability 1', () => {
    assertClose(risk.computeSeriesMetrics(steady(100, 0.01)).stability, 1, 'stability', 1e-12);
  });

  test('two steady series of different growth: zero tracking error, information ratio null', () => {
    const m = risk.benchmarkMetrics(up, risk.simpleReturns(steady(50, 0.005).close));
    assert.equal(m.trackingError, 0);
    assert.equal(m.informationRatio, null);
    assert.deepEqual([m.beta, m.alpha, m.correlation, m.rSquared], [null, null, null, null]);
  });
});

/** The keys the docs promise are null (never ±Infinity or 1e15) for a constant series. */
function assertConstantSummary(m: risk.SeriesMetrics): void {
  assert.equal(m.annualizedVolatility, 0);
  assert.equal(m.semideviation, 0);
  assert.equal(m.sharpeRatio, null);
  assert.equal(m.sortinoRatio, null);
  assert.equal(m.skewness, null);
  assert.equal(m.excessKurtosis, null);
  assert.equal(m.skewnessUnbiased, null);
  assert.equal(m.excessKurtosisUnbiased, null);
}

describe('through the summary', () => {
  test('1 %-a-day prices with a 0.5 %-a-day benchmark', () => {
    const m = risk.computeSeriesMetrics(steady(100, 0.01), { benchmark: steady(50, 0.005, 300, 'BENCH') });
    assertConstantSummary(m);
    const b = m.benchmark!;
    assert.deepEqual([b.beta, b.alpha, b.correlation, b.rSquared, b.informationRatio, b.treynorRatio], [null, null, null, null, null, null]);
    assert.equal(b.trackingError, 0);
    assert.ok(!/NaN|Infinity|e\+1\d/.test(JSON.stringify(m)), 'no NaN, Infinity or 1e1x in the summary');
  });

  test('Sortino and downside deviation when the MAR is the steady rate itself', () => {
    const m = risk.computeSeriesMetrics(steady(100, 0.01), { mar: 1.01 ** 252 - 1 });
    assert.equal(m.downsideDeviation, 0);
    assert.equal(m.sortinoRatio, null);
  });

  test('a real series against a 1 %-a-day benchmark', () => {
    const m = risk.computeSeriesMetrics(wiggly(), { benchmark: steady(50, 0.01, 300, 'BENCH') });
    const b = m.benchmark!;
    assert.deepEqual([b.beta, b.alpha, b.correlation, b.rSquared, b.treynorRatio], [null, null, null, null, null]);
    assert.ok(m.sharpeRatio !== null && Math.abs(m.sharpeRatio) < 100);
  });
});

describe('riskfn metrics --json on a 1 %-a-day price file', () => {
  test('volatility 0, ratios null, nothing printed as Infinity', () => {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-near-constant-'));
    try {
      const write = (name: string, s: PriceSeries) => {
        const file = join(dir, name);
        writeFileSync(file, `${['Date,Close', ...s.dates.map((d, i) => `${d},${s.close[i]}`)].join('\n')}\n`);
        return file;
      };
      const file = write('steady.csv', steady(100, 0.01));
      const bench = write('bench.csv', steady(50, 0.005, 300, 'BENCH'));
      const json = spawnSync(process.execPath, ['bin/riskfn.js', 'metrics', file, '--benchmark', bench, '--json'], { encoding: 'utf8' });
      assert.equal(json.status, 0, json.stderr);
      assert.ok(!/NaN|Infinity|e\+1\d/.test(json.stdout), json.stdout);
      const m = JSON.parse(json.stdout);
      assert.equal(m.annualizedVolatility, 0);
      assert.equal(m.sharpeRatio, null);
      assert.deepEqual([m.benchmark.beta, m.benchmark.alpha, m.benchmark.correlation, m.benchmark.informationRatio], [null, null, null, null]);
      const text = spawnSync(process.execPath, ['bin/riskfn.js', 'metrics', file, '--benchmark', bench], { encoding: 'utf8' });
      assert.equal(text.status, 0, text.stderr);
      assert.ok(!/Infinity|NaN/.test(text.stdout), text.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

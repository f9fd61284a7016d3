/**
 * Up/down capture ratios and betas, the stability of the wealth curve and the rolling series
 * against test/fixtures/risk/make-reference-capture-rolling.py (empyrical's functions transcribed
 * in numpy/scipy; each rolling window computed explicitly). Relative tolerance 1e-9.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as risk from '../../../lib/domain/risk/index.ts';
import { assertAllClose, assertClose, refCaptureRolling as ref, samplePrices } from './approx.ts';

describe('up/down capture and beta vs empyrical', () => {
  for (const c of ref.capture) {
    describe(`${c.series} vs ${c.benchmark}, A = ${c.periodsPerYear}`, () => {
      const s = samplePrices(c.series);
      const b = samplePrices(c.benchmark);
      const r = risk.simpleReturns(s.close);
      const rb = risk.simpleReturns(b.close);
      const opts = { periodsPerYear: c.periodsPerYear };
      test('single functions', () => {
        assertClose(risk.upCaptureRatio(r, rb, opts), c.upCapture, 'up capture');
        assertClose(risk.downCaptureRatio(r, rb, opts), c.downCapture, 'down capture');
        const ud = risk.upDownBeta(r, rb);
        assertClose(ud.upBeta, c.upBeta, 'up beta');
        assertClose(ud.downBeta, c.downBeta, 'down beta');
        // scipy's regression slope, a second route to the same betas.
        assertClose(ud.upBeta, c.upBetaLinregress, 'up beta (linregress)');
        assertClose(ud.downBeta, c.downBetaLinregress, 'down beta (linregress)');
      });
      test('in computeSeriesMetrics: benchmark', () => {
        const m = risk.computeSeriesMetrics(s, { ...opts, benchmark: b }).benchmark;
        assert.ok(m);
        assertClose(m.upCaptureRatio, c.upCapture, 'up capture');
        assertClose(m.downCaptureRatio, c.downCapture, 'down capture');
        assertClose(m.upBeta, c.upBeta, 'up beta');
        assertClose(m.downBeta, c.downBeta, 'down beta');
      });
      test("PerformanceAnalytics' capture ratios (cumulative in 2.1.0, arithmetic before) are other conventions (docs/metrics.md §6)", () => {
        // The benchmark has flat days (b = 0): empyrical leaves them out, PA counts them as down.
        assert.ok(c.flatPeriods > 0);
        assert.ok(Math.abs((risk.upCaptureRatio(r, rb, opts) as number) - c.paUpCapture) > 0.1);
        assert.ok(Math.abs((risk.downCaptureRatio(r, rb, opts) as number) - c.paDownCapture) > 0.05);
        assert.ok(Math.abs((risk.upCaptureRatio(r, rb, opts) as number) - c.paArithmeticUpCapture) > 0.03);
        assert.ok(Math.abs((risk.downCaptureRatio(r, rb, opts) as number) - c.paArithmeticDownCapture) > 0.04);
      });
    });
  }
});

describe('stability of the wealth curve vs empyrical stability_of_timeseries (scipy linregress)', () => {
  for (const [file, v] of Object.entries(ref.stability) as [string, { all: number; first100: number }][]) {
    test(file, () => {
      const s = samplePrices(file);
      assertClose(risk.computeSeriesMetrics(s).stability, v.all, 'summary');
      assertClose(risk.stabilityOfTimeseries(risk.simpleReturns(s.close).subarray(0, 100)), v.first100, 'first 100 returns');
    });
  }
});

describe('rollingSeries vs explicit numpy windows', () => {
  for (const c of ref.rolling) {
    test(`${c.series} vs ${c.benchmark}: window ${c.window}, ${c.varMethod} VaR at ${c.confidence}, rf ${c.riskFree}`, () => {
      const rs = risk.rollingSeries(samplePrices(c.series), {
        window: c.window,
        confidence: c.confidence,
        riskFree: c.riskFree,
        varMethod: c.varMethod,
        benchmark: samplePrices(c.benchmark),
      });
      assert.equal(rs.dates.length, c.returns);
      assert.equal(rs.dates[0], c.firstDate);
      assert.equal(rs.dates.at(-1), c.lastDate);
      for (const key of ['volatility', 'var', 'sharpe', 'beta'] as const) {
        const series = rs[key];
        assert.ok(series);
        assert.equal(series.length, c.returns, key);
        assertAllClose(
          c.index.map((i: number) => series[i]),
          c[key],
          key,
        );
      }
    });
  }
});

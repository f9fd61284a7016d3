/**
 * The engine against R: PerformanceAnalytics' formulas in base R, TTR itself, and rugarch's
 * VaRTest likelihood ratios (test/fixtures/risk/make-reference-r.R) on the sample data.
 * Relative tolerance 1e-9 throughout.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { baselTrafficLight } from '../../../lib/domain/risk/backtest.ts';
import * as risk from '../../../lib/domain/risk/index.ts';
import { assertAllClose, assertBacktestMatches, assertClose, refR, samplePrices } from './approx.ts';

const SERIES = ['DAX', 'SMI', 'CAC', 'FTSE'] as const;
const SINGLE_KEYS = [
  'cumulativeReturn',
  'annualizedReturn',
  'annualizedVolatility',
  'downsideDeviation',
  'semideviation',
  'sharpeRatio',
  'sortinoRatio',
  'calmarRatio',
  'omegaRatio',
  'tailRatio',
  'skewness',
  'excessKurtosis',
  'skewnessUnbiased',
  'excessKurtosisUnbiased',
  'maxDrawdown',
  'historicalVar',
  'historicalEs',
  'gaussianVar',
  'gaussianEs',
  'cornishFisherVar',
  'cornishFisherEs',
] as const;

for (const name of SERIES) {
  const series = samplePrices(`eustock_${name}.csv`);
  const r = risk.simpleReturns(series.close);
  for (const set of ['base', 'alt'] as const) {
    const ref = refR.series[name][set];
    const { riskFree, mar, confidence, horizon } = ref.params;
    describe(`${name} (${set}: rf ${riskFree}, MAR ${mar}, c ${confidence}, H ${horizon}) vs R`, () => {
      test('computeSeriesMetrics matches every single-series reference value', () => {
        const m = risk.computeSeriesMetrics(series, { riskFree, mar, confidence, horizon });
        for (const k of SINGLE_KEYS) assertClose(m[k] as number, ref[k], `${name}.${k}`);
      });

      test('the one-metric functions agree with the summary and with R', () => {
        const o = { riskFree, mar, periodsPerYear: 252 };
        const p = { horizon };
        assertClose(risk.annualizedReturn(r), ref.annualizedReturn, 'annualizedReturn');
        assertClose(risk.annualizedVolatility(r), ref.annualizedVolatility, 'annualizedVolatility');
        assertClose(risk.downsideDeviation(r, { mar }), ref.downsideDeviation, 'downsideDeviation');
        assertClose(risk.semideviation(r), ref.semideviation, 'semideviation');
        assertClose(risk.sharpeRatio(r, o), ref.sharpeRatio, 'sharpeRatio');
        assertClose(risk.sortinoRatio(r, o), ref.sortinoRatio, 'sortinoRatio');
        assertClose(risk.omegaRatio(r, o), ref.omegaRatio, 'omegaRatio');
        assertClose(risk.tailRatio(r), ref.tailRatio, 'tailRatio');
        const m = risk.moments(r);
        assertClose(risk.skewnessFromMoments(m), ref.skewness, 'skewness');
        assertClose(risk.excessKurtosisFromMoments(m), ref.excessKurtosis, 'excessKurtosis');
        assertClose(risk.unbiasedSkewnessFromMoments(m), ref.skewnessUnbiased, 'unbiasedSkewness');
        assertClose(risk.unbiasedExcessKurtosisFromMoments(m), ref.excessKurtosisUnbiased, 'unbiasedExcessKurtosis');
        assertClose(risk.maxDrawdownFromPrices(risk.wealthPath(r)).maxDrawdown, ref.maxDrawdown, 'maxDrawdown of compounded returns');
        assertClose(risk.historicalVar(r, confidence), ref.historicalVar, 'historicalVar');
        assertClose(risk.historicalEs(r, confidence), ref.historicalEs, 'historicalEs');
        assertClose(risk.gaussianVar(r, confidence, p), ref.gaussianVar, 'gaussianVar');
        assertClose(risk.gaussianEs(r, confidence, p), ref.gaussianEs, 'gaussianEs');
        assertClose(risk.cornishFisherVar(r, confidence, p), ref.cornishFisherVar, 'cornishFisherVar');
        assertClose(risk.cornishFisherEs(r, confidence, p), ref.cornishFisherEs, 'cornishFisherEs');
      });

      if (set === 'base') {
        test('worst drawdowns match PerformanceAnalytics findDrawdowns (from = peak + 1, to = recovery)', () => {
          const fromReturns = risk.worstDrawdowns(risk.drawdownEpisodesOfWealth(risk.wealthPath(r)), 5);
          const fromSummary = risk.computeSeriesMetrics(series).worstDrawdowns;
          for (const list of [fromReturns, fromSummary]) {
            assert.equal(list.length, ref.worstDrawdowns.length);
            ref.worstDrawdowns.forEach((e: { depth: number; from: number; trough: number; to?: number }, i: number) => {
              assertClose(list[i].depth, e.depth, `drawdown ${i} depth`);
              assert.equal(list[i].peakIndex, e.from - 1, `drawdown ${i} peak`);
              assert.equal(list[i].troughIndex, e.trough, `drawdown ${i} trough`);
              assert.equal(list[i].recoveryIndex, e.to ?? null, `drawdown ${i} recovery`);
            });
          }
        });
      }
    });
  }
}

describe('benchmark-relative metrics vs PerformanceAnalytics (lm, TrackingError, InformationRatio, TreynorRatio)', () => {
  const cases = [
    ['DAX_FTSE', 'DAX', 'FTSE'],
    ['SMI_CAC_rf', 'SMI', 'CAC'],
  ] as const;
  for (const [key, a, b] of cases) {
    test(key, () => {
      const ref = refR.benchmark[key];
      const sa = samplePrices(`eustock_${a}.csv`);
      const sb = samplePrices(`eustock_${b}.csv`);
      const ra = risk.simpleReturns(sa.close);
      const rb = risk.simpleReturns(sb.close);
      const opts = { riskFree: ref.riskFree };
      const all = risk.benchmarkMetrics(ra, rb, opts);
      const viaSummary = risk.computeSeriesMetrics(sa, { riskFree: ref.riskFree, benchmark: sb }).benchmark!;
      for (const m of [all, viaSummary]) {
        for (const k of ['beta', 'alpha', 'correlation', 'rSquared', 'trackingError', 'informationRatio', 'treynorRatio'] as const) {
          assertClose(m[k], ref[k], `${key}.${k}`);
        }
      }
      assertClose(risk.beta(ra, rb), ref.beta, 'beta()');
    });
  }
});

describe('OHLC estimators and ATR vs TTR 0.24.3 (N = 252)', () => {
  const s = samplePrices('xts_sample_ohlc.csv');
  const o = { open: s.open!, high: s.high!, low: s.low!, close: s.close };
  const ref = refR.ohlc;
  const w = { window: ref.window };
  test('rolling series, n = 10', () => {
    assertAllClose(risk.closeToCloseVolatility(o.close, w), ref.closeToClose, 'close');
    assertAllClose(risk.parkinsonVolatility(o, w), ref.parkinson, 'parkinson');
    assertAllClose(risk.garmanKlassVolatility(o, w), ref.garmanKlass, 'garman.klass');
    assertAllClose(risk.rogersSatchellVolatility(o, w), ref.rogersSatchell, 'rogers.satchell');
    assertAllClose(risk.yangZhangVolatility(o, w), ref.yangZhang, 'yang.zhang');
  });
  test('full-sample values in computeSeriesMetrics', () => {
    const m = risk.computeSeriesMetrics(s);
    const f = ref.full;
    assert.equal(m.ohlcVolatility!.rows, f.rows);
    for (const k of ['closeToClose', 'parkinson', 'garmanKlass', 'rogersSatchell', 'yangZhang'] as const) {
      assertClose(m.ohlcVolatility![k], f[k], `full ${k}`);
    }
    assertClose(m.atr, ref.atr14[ref.atr14.length - 1], 'atr');
  });
  test('Wilder ATR(14) and true range, seeded as TTR (first ATR at row 15)', () => {
    const { trueRange, atr } = risk.averageTrueRange(o, 14);
    assertAllClose(trueRange, ref.trueRange, 'tr');
    assertAllClose(atr, ref.atr14, 'atr');
    assert.ok(Number.isNaN(atr[13]) && Number.isFinite(atr[14]));
  });
  test('close-to-close on a close-only series, n = 20', () => {
    assertAllClose(risk.closeToCloseVolatility(samplePrices('eustock_DAX.csv').close, { window: 20 }), refR.daxCloseToClose20, 'dax c2c');
  });
});

describe('rolling estimators vs R loops', () => {
  const r = risk.simpleReturns(samplePrices('eustock_DAX.csv').close);
  test('rolling volatility (20)', () => assertAllClose(risk.rollingVolatility(r, 20), refR.rolling.volatility20, 'vol20'));
  test('rolling historical VaR (250, 99%) with the sorted-window update', () =>
    assertAllClose(risk.rollingVar(r, 250, { confidence: 0.99 }), refR.rolling.historicalVar250_99, 'hvar'));
  test('rolling Gaussian VaR (100, 95%)', () => assertAllClose(risk.rollingVar(r, 100, { method: 'gaussian' }), refR.rolling.gaussianVar100_95, 'gvar'));
  test('rolling Cornish-Fisher VaR (100, 95%)', () =>
    assertAllClose(risk.rollingVar(r, 100, { method: 'cornish-fisher' }), refR.rolling.cornishFisherVar100_95, 'cfvar'));
});

describe('VaR backtests vs the rugarch likelihood ratios', () => {
  const cases: [string, string, risk.VarMethod][] = [
    ['historical', 'DAX', 'historical'],
    ['gaussian', 'DAX', 'gaussian'],
    ['cornishFisher', 'DAX', 'cornish-fisher'],
    ['smiHistorical95', 'SMI', 'historical'],
  ];
  for (const [key, name, method] of cases) {
    test(key, () => {
      const ref = refR.backtests[key];
      const r = risk.simpleReturns(samplePrices(`eustock_${name}.csv`).close);
      const bt = risk.backtestVar(r, { window: ref.window, confidence: ref.confidence, method });
      const idx: number[] = [];
      bt.exceptions.forEach((e, i) => {
        if (e) idx.push(i);
      });
      assert.deepEqual(idx, ref.exceptionIndices);
      assertBacktestMatches(bt, ref);
      assert.equal(bt.basel.exceptions, ref.baselExceptions);
      assertClose(bt.basel.cumulativeProbability, ref.baselCdf, 'basel cdf');
    });
  }
  test('Basel binomial probabilities (250 days, 99%) vs pbinom', () => {
    (refR.basel.cdf250 as number[]).forEach((p, k) => {
      assertClose(baselTrafficLight(k).cumulativeProbability, p, `k=${k}`);
    });
  });
});

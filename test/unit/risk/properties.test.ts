/**
 * Properties (fast-check): homogeneity of volatility/VaR/ES, Euler decomposition, ES ≥ VaR,
 * constant series → zero volatility and null ratios, no NaN from the backtest statistics, and the
 * sorted-window rolling VaR equal to the naive one. Fixed seed so a failure reproduces.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { christoffersenTest } from '../../../lib/domain/risk/backtest.ts';
import * as risk from '../../../lib/domain/risk/index.ts';
import { assertClose } from './approx.ts';

const SETTINGS = { numRuns: 150, seed: 20261125 };
// Returns in ±20%; magnitudes below 1e-8 become 0 (a 1e-160 return is not a market move, and its
// square underflows, which would test IEEE-754 rather than the metrics).
const ret = fc.double({ min: -0.2, max: 0.2, noNaN: true, noDefaultInfinity: true }).map((x) => (Math.abs(x) < 1e-8 ? 0 : x));
const returns = (min: number, max: number) => fc.array(ret, { minLength: min, maxLength: max }).map((a) => Float64Array.from(a));
const scale = fc.double({ min: 0.01, max: 100, noNaN: true });
const confidence = fc.constantFrom(0.9, 0.95, 0.975, 0.99);

/** Relative 1e-9, with an absolute floor of 1e-15 × the scale of the inputs. */
const close = (a: number, b: number, label: string, floor = 1e-15) => assertClose(a, b, label, 1e-9, floor);

describe('scaling returns by k > 0 scales volatility, VaR and ES by k', () => {
  test('volatility, downside deviation, EWMA volatility', () => {
    fc.assert(
      fc.property(returns(2, 120), scale, (r, k) => {
        const kr = r.map((x) => k * x);
        close(risk.annualizedVolatility(kr), k * risk.annualizedVolatility(r), 'vol', 1e-15 * k);
        close(risk.downsideDeviation(kr), k * risk.downsideDeviation(r), 'dd', 1e-15 * k);
        close(risk.ewmaVolatility(kr), k * risk.ewmaVolatility(r), 'ewma', 1e-15 * k);
      }),
      SETTINGS,
    );
  });
  test('historical, Gaussian and Cornish–Fisher VaR and ES', () => {
    fc.assert(
      fc.property(returns(2, 120), scale, confidence, (r, k, c) => {
        const kr = r.map((x) => k * x);
        for (const f of [risk.historicalVar, risk.historicalEs, risk.gaussianVar, risk.gaussianEs, risk.cornishFisherVar, risk.cornishFisherEs]) {
          // 1e-12·k absolute floor: a VaR that is ~0 (quantile ≈ 0) has no meaningful relative error.
          close(f(kr, c), k * f(r, c), f.name, 1e-12 * k);
        }
      }),
      SETTINGS,
    );
  });
});

describe('ES ≥ VaR', () => {
  test('historical, Gaussian, Cornish–Fisher (operational)', () => {
    fc.assert(
      fc.property(returns(2, 200), confidence, (r, c) => {
        const eps = 1e-12;
        assert.ok(risk.historicalEs(r, c) >= risk.historicalVar(r, c) - eps);
        assert.ok(risk.gaussianEs(r, c) >= risk.gaussianVar(r, c) - eps);
        assert.ok(risk.cornishFisherEs(r, c) >= risk.cornishFisherVar(r, c) - eps);
      }),
      SETTINGS,
    );
  });
});

/** T×p returns plus weights. */
const portfolio = fc.integer({ min: 1, max: 6 }).chain((p) =>
  fc.record({
    columns: fc.array(fc.array(ret, { minLength: 30, maxLength: 30 }), { minLength: p, maxLength: p }),
    weights: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: p, maxLength: p }),
    c: confidence,
  }),
);

describe('Euler decomposition: components sum to the total', () => {
  test('Gaussian (sample, EWMA, Ledoit–Wolf covariances) and historical', () => {
    fc.assert(
      fc.property(portfolio, ({ columns, weights, c }) => {
        const cols = columns.map((x) => Float64Array.from(x));
        const means = cols.map((x) => risk.mean(x));
        const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
        const gross = weights.reduce((s, w) => s + Math.abs(w), 0);
        for (const cov of [risk.sampleCovariance(cols), risk.ewmaCovariance(cols), risk.ledoitWolfCovariance(cols)]) {
          const g = risk.gaussianPortfolioVar(weights, cov, { confidence: c, means });
          close(sum(g.componentVar), g.var, 'gaussian VaR', 1e-14 * (1 + gross));
          close(sum(g.componentEs), g.es, 'gaussian ES', 1e-14 * (1 + gross));
          assert.ok(g.es >= g.var - 1e-12);
        }
        const h = risk.historicalPortfolioVar(cols, weights, { confidence: c });
        close(sum(h.componentVar), h.var, 'historical VaR', 1e-14 * (1 + gross));
        close(sum(h.componentEs), h.es, 'historical ES', 1e-14 * (1 + gross));
        assert.ok(h.es >= h.var - 1e-12);
      }),
      SETTINGS,
    );
  });
});

describe('constant series', () => {
  test('constant prices: zero volatility, every ratio null (never NaN or Infinity)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.integer({ min: 3, max: 300 }), (p, n) => {
        const series = {
          dates: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10)),
          close: new Float64Array(n).fill(p),
        };
        const m = risk.computeSeriesMetrics(series);
        assert.equal(m.annualizedVolatility, 0);
        assert.equal(m.maxDrawdown, 0);
        for (const k of ['sharpeRatio', 'sortinoRatio', 'calmarRatio', 'omegaRatio', 'tailRatio', 'skewness', 'excessKurtosis'] as const) {
          assert.equal(m[k], null, k);
        }
        const json = JSON.stringify(m);
        assert.ok(!/NaN|Infinity/.test(json));
      }),
      { ...SETTINGS, numRuns: 50 },
    );
  });
  test('constant non-zero returns: volatility exactly 0, Sharpe null', () => {
    fc.assert(
      fc.property(ret, fc.integer({ min: 2, max: 300 }), (c, n) => {
        const r = new Float64Array(n).fill(c);
        assert.equal(risk.annualizedVolatility(r), 0);
        assert.equal(risk.sharpeRatio(r), null);
        assert.equal(risk.skewnessFromMoments(risk.moments(r)), null);
        if (c >= 0) assert.equal(risk.sortinoRatio(r), null);
      }),
      SETTINGS,
    );
  });
});

describe('structural properties', () => {
  test('max drawdown is in [0, 1] and is the maximum of the drawdown series', () => {
    fc.assert(
      fc.property(returns(1, 200), (r) => {
        const w = risk.wealthPath(r);
        const d = risk.maxDrawdownFromPrices(w);
        const s = risk.drawdownSeriesOfWealth(w);
        assert.ok(d.maxDrawdown >= 0 && d.maxDrawdown <= 1);
        close(d.maxDrawdown, Math.max(...s), 'mdd');
        assert.ok(d.peakIndex <= d.troughIndex);
        if (d.recoveryIndex !== null) assert.ok(d.recoveryIndex >= d.troughIndex);
      }),
      SETTINGS,
    );
  });
  test('rolling historical VaR (sorted-window updates) equals the per-window VaR', () => {
    fc.assert(
      fc.property(returns(5, 80), fc.integer({ min: 1, max: 20 }), confidence, (r, w, c) => {
        fc.pre(w <= r.length);
        const rv = risk.rollingVar(r, w, { confidence: c });
        for (let t = w - 1; t < r.length; t++) assert.equal(rv[t], risk.historicalVar(r.subarray(t - w + 1, t + 1), c));
      }),
      SETTINGS,
    );
  });
  test('Kupiec and Christoffersen never give NaN, and p-values stay in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 2, maxLength: 300 }), confidence, (bits, c) => {
        const e = Uint8Array.from(bits, Number);
        const ch = christoffersenTest(e, c);
        for (const t of [ch.unconditionalCoverage, ch.independence, ch.conditionalCoverage]) {
          assert.ok(Number.isFinite(t.statistic) && t.statistic >= 0);
          assert.ok(t.pValue >= 0 && t.pValue <= 1);
        }
      }),
      SETTINGS,
    );
  });
  test('quantiles are monotone in p and bracketed by min/max', () => {
    fc.assert(
      fc.property(returns(1, 100), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (r, p1, p2) => {
        const s = risk.sortedCopy(r);
        const [a, b] = p1 <= p2 ? [p1, p2] : [p2, p1];
        assert.ok(risk.quantileSorted(s, a) <= risk.quantileSorted(s, b));
        assert.ok(risk.quantileSorted(s, a) >= s[0] && risk.quantileSorted(s, b) <= s[s.length - 1]);
      }),
      SETTINGS,
    );
  });
});

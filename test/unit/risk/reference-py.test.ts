/**
 * The engine against numpy/scipy/pandas/scikit-learn (test/fixtures/risk/make-reference-py.py):
 * distribution functions, EWMA, covariance estimators, portfolio VaR/ES and its Euler
 * decomposition, the EWMA VaR backtest. Relative tolerance 1e-9 unless stated.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binomialCdf, chiSquareSf, normalCdf, normalPdf, normalPpf } from '../../../lib/domain/risk/distributions.ts';
import { ewmaStartVariance } from '../../../lib/domain/risk/ewma.ts';
import * as risk from '../../../lib/domain/risk/index.ts';
import { assertAllClose, assertBacktestMatches, assertClose, refPy, samplePrices } from './approx.ts';

describe('distributions vs scipy.stats', () => {
  const d = refPy.distributions;
  test('normal cdf/pdf', () => {
    for (const [x, v] of d.normalCdf) assertClose(normalCdf(x), v, `cdf(${x})`);
    for (const [x, v] of d.normalPdf) assertClose(normalPdf(x), v, `pdf(${x})`);
  });
  test('normal ppf, including 1e-12 tails', () => {
    for (const [p, v] of d.normalPpf) assertClose(normalPpf(p), v, `ppf(${p})`);
  });
  test("chi-square survival (df 1, 2; df 3 from scipy's cdf)", () => {
    for (const [x, v] of d.chiSquareSf1) assertClose(chiSquareSf(x, 1), v, `sf1(${x})`);
    for (const [x, v] of d.chiSquareSf2) assertClose(chiSquareSf(x, 2), v, `sf2(${x})`);
    // 1 − cdf cancels digits where the cdf is ≈ 1, hence the absolute floor.
    for (const [x, v] of d.chiSquareCdf3) assertClose(chiSquareSf(x, 3), 1 - v, `sf3(${x})`, 1e-9, 1e-15);
  });
  test('binomial cdf', () => {
    for (const [k, v] of d.binomialCdf250) assertClose(binomialCdf(k, 250, 0.01), v, `B250(${k})`);
    for (const [k, v] of d.binomialCdf1000) assertClose(binomialCdf(k, 1000, 0.05), v, `B1000(${k})`);
  });
});

describe('single series vs numpy/pandas', () => {
  const dax = samplePrices('eustock_DAX.csv');
  const r = risk.simpleReturns(dax.close);
  test('log returns', () => {
    const lr = risk.logReturns(dax.close);
    assertAllClose(lr.subarray(0, 5), refPy.dax.logReturnsHead, 'head');
    // A sum of 1859 terms: summation order differs from numpy's pairwise sum; still far inside 1e-9.
    assertClose(
      lr.reduce((a, b) => a + b, 0),
      refPy.dax.logReturnsSum,
      'sum',
    );
  });
  test('bias-corrected skew/kurtosis = pandas; population = scipy defaults', () => {
    const m = risk.moments(r);
    assertClose(risk.unbiasedSkewnessFromMoments(m), refPy.dax.skewPandas, 'skew G1');
    assertClose(risk.unbiasedExcessKurtosisFromMoments(m), refPy.dax.kurtPandas, 'kurt G2');
    assertClose(risk.skewnessFromMoments(m), refPy.dax.skewScipy, 'skew g1');
    assertClose(risk.excessKurtosisFromMoments(m), refPy.dax.kurtScipy, 'kurt g2');
  });
  test('rolling volatility = pandas rolling(20).std() × √252', () => {
    assertAllClose(risk.rollingVolatility(r, 20), refPy.dax.rollingVolatility20, 'vol20');
  });
  test('RiskMetrics EWMA with the arch backcast', () => {
    const e = refPy.dax.ewma;
    const v = risk.ewmaVarianceSeries(r);
    assertClose(ewmaStartVariance(r), e.start, 'start');
    assertAllClose(v.subarray(0, 5), e.head, 'head');
    assertClose(v[v.length - 1], e.last, 'last');
    assertClose(risk.ewmaVolatility(r), e.annualized, 'annualized');
    assertClose(risk.computeSeriesMetrics(dax).ewmaVolatility, e.annualized, 'summary');
    assertClose(risk.ewmaVarianceSeries(r, { lambda: 0.97 })[r.length], e.lambda97Last, 'lambda 0.97');
  });
});

describe('covariance and portfolio vs numpy/scipy/sklearn', () => {
  const P = refPy.portfolio;
  const columns = (P.assets as string[]).map((n) => risk.simpleReturns(samplePrices(`eustock_${n}.csv`).close));
  const w = Float64Array.from(P.weights as number[]);
  const S = risk.sampleCovariance(columns);
  const means = columns.map((c) => risk.mean(c));

  test('alignedReturns of the four files equals the plain returns (same dates)', () => {
    const al = risk.alignedReturns((P.assets as string[]).map((n) => samplePrices(`eustock_${n}.csv`)));
    assert.equal(al.columns.length, 4);
    assertAllClose(al.columns[2], Array.from(columns[2]), 'CAC');
  });
  test('sample covariance = numpy.cov (ddof 1)', () => assertAllClose(S.data, P.sampleCovariance, 'cov'));
  test('Ledoit-Wolf = sklearn.covariance.ledoit_wolf', () => {
    const lw = risk.ledoitWolfCovariance(columns);
    assertClose(lw.shrinkage, P.ledoitWolfShrinkage, 'shrinkage');
    assertAllClose(lw.data, P.ledoitWolfCovariance, 'lw');
  });
  test('EWMA covariance: diagonal = univariate EWMA, full matrix = numpy recursion', () => {
    const e = risk.ewmaCovariance(columns);
    assertAllClose(e.data, P.ewmaCovariance, 'ewma cov');
    const v = risk.ewmaVarianceSeries(columns[1]);
    assertClose(e.data[1 * e.size + 1], v[v.length - 1], 'diag');
  });
  test('portfolio volatility and diversification ratio', () => {
    assertClose(risk.portfolioVolatility(w, S), P.volatility, 'vol');
    assertClose(risk.diversificationRatio(w, S), P.diversificationRatio, 'DR');
  });
  const checkG = (g: risk.PortfolioVarResult, ref: any, label: string) => {
    assertClose(g.var, ref.var, `${label} var`);
    assertClose(g.es, ref.es, `${label} es`);
    assertAllClose(g.marginalVar, ref.marginalVar, `${label} marginal`);
    assertAllClose(g.componentVar, ref.componentVar, `${label} component`);
    assertAllClose(g.componentEs, ref.componentEs, `${label} componentEs`);
  };
  test('Gaussian portfolio VaR/ES with means, 95%', () => checkG(risk.gaussianPortfolioVar(w, S, { means }), P.gaussian95, 'g95'));
  test('Gaussian portfolio VaR/ES, 99%, 10-day horizon', () =>
    checkG(risk.gaussianPortfolioVar(w, S, { means, confidence: 0.99, horizon: 10 }), P.gaussian99h10, 'g99'));
  test('Gaussian portfolio VaR on the EWMA covariance (zero mean)', () =>
    checkG(risk.gaussianPortfolioVar(w, risk.ewmaCovariance(columns), { confidence: 0.99 }), P.gaussianEwma99, 'ewma'));
  test('historical portfolio VaR/ES = numpy.percentile (linear) and the scenario decomposition', () => {
    const h = risk.historicalPortfolioVar(columns, w, { confidence: 0.95 });
    assertClose(h.var, P.historical95.var, 'var');
    assertClose(h.es, P.historical95.es, 'es');
    assertAllClose(h.componentVar, P.historical95.componentVar, 'component');
    assertAllClose(h.componentEs, P.historical95.componentEs, 'componentEs');
  });
});

describe('EWMA VaR backtest vs numpy/scipy (xlogy, chi2.sf)', () => {
  for (const [key, file] of [
    ['ewmaBacktest', 'eustock_DAX.csv'],
    ['ewmaBacktestShortWindow', 'eustock_FTSE.csv'],
  ] as const) {
    test(key, () => {
      const ref = refPy[key];
      const r = risk.simpleReturns(samplePrices(file).close);
      const bt = risk.backtestVar(r, { window: ref.window, confidence: ref.confidence, method: 'ewma' });
      assertBacktestMatches(bt, ref);
    });
  }
});

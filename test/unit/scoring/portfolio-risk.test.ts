/**
 * The portfolio report behind `riskfn portfolio` and `POST /v1/risk/portfolio`: weights rules,
 * alignment, quantities, and the numbers against the risk engine's own functions on the
 * bundled sample indices.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  alignedReturns,
  gaussianPortfolioVar,
  historicalPortfolioVar,
  historicalVar,
  ledoitWolfCovariance,
  mean,
  sampleCovariance,
  simpleReturns,
} from '../../../lib/domain/risk/index.ts';
import {
  alignHoldings,
  COVARIANCE_METHODS,
  constantWeightSeries,
  NonPositivePortfolioValueError,
  portfolioRisk,
  resolveWeights,
  TooFewCommonDatesError,
  WeightSumError,
  weightsFromQuantities,
  ZeroMarketValueError,
} from '../../../lib/domain/scoring/portfolio-risk.ts';
import { RiskPortfolioRequestSchema } from '../../../lib/schemas/risk-portfolio-request.ts';
import { samplePrices } from '../api/fixtures.ts';

const holding = (name: 'DAX' | 'SMI' | 'CAC' | 'FTSE', n = 400) => ({ symbol: name, series: samplePrices(name, n) });
const series = (symbol: string, dates: string[], close: number[]) => ({ symbol, series: { symbol, dates, close: Float64Array.from(close) } });

describe('resolveWeights', () => {
  test('weights summing to 1 (within 1e-6) are kept as given', () => {
    assert.deepEqual(resolveWeights([0.1, 0.2, 0.7], false), [0.1, 0.2, 0.7]);
    assert.deepEqual(resolveWeights([0.5, 0.5 + 5e-7], false), [0.5, 0.5 + 5e-7]);
  });
  test('another sum is refused with the scaled fractions, unless normalising is asked for', () => {
    assert.throws(
      () => resolveWeights([40, 30, 30], false),
      (err: unknown) => err instanceof WeightSumError && err.sum === 100 && err.scaled?.join(',') === '0.4,0.3,0.3' && err.code === 'INVALID_PARAMETER',
    );
    assert.deepEqual(resolveWeights([40, 30, 30], true), [0.4, 0.3, 0.3]);
  });
  test('weights summing to 0 cannot be normalised', () => {
    assert.throws(
      () => resolveWeights([0.5, -0.5], true),
      (err: unknown) => err instanceof WeightSumError && err.scaled === null && /sum to 0/.test(err.message),
    );
  });
});

describe('alignHoldings and weightsFromQuantities', () => {
  test('inner join on dates; the last common close of each holding', () => {
    const a = series('A', ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'], [10, 11, 12, 13]);
    const b = series('B', ['2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'], [20, 22, 21, 25]);
    const al = alignHoldings([a, b]);
    assert.deepEqual(al.priceDates, ['2024-01-03', '2024-01-04', '2024-01-05']);
    assert.deepEqual(al.lastCloses, [13, 21]);
    assert.deepEqual(al.symbols, ['A', 'B']);
    assert.deepEqual(Array.from(al.columns[1]), [22 / 20 - 1, 21 / 22 - 1]);
    // 2 units of A (26) and 4 of B (84): 110 in all.
    assert.deepEqual(weightsFromQuantities(al, [2, 4]), [26 / 110, 84 / 110]);
  });
  test("holdings on the same dates: the risk engine's inner join, without joining", () => {
    const on = (name: 'DAX' | 'CAC' | 'SMI', n: number) => ({
      symbol: name,
      series: { ...samplePrices(name, n), dates: samplePrices('DAX', n).dates.slice() },
    });
    for (const n of [3, 40, 400]) {
      const holdings = [on('DAX', n), on('CAC', n), on('SMI', n)];
      const expected = alignedReturns(holdings.map((h) => h.series));
      const al = alignHoldings(holdings);
      assert.deepEqual(al.priceDates, expected.priceDates);
      assert.deepEqual(al.columns, expected.columns);
      assert.deepEqual(
        al.lastCloses,
        holdings.map((h) => h.series.close[n - 1]),
      );
    }
    // One holding a date short: joined as before.
    const short = { symbol: 'S', series: { ...samplePrices('SMI', 39), dates: samplePrices('DAX', 40).dates.slice(1) } };
    assert.equal(alignHoldings([on('DAX', 40), short]).priceDates.length, 39);
  });
  test('fewer than 3 common dates: an INSUFFICIENT_HISTORY error saying how many', () => {
    const a = series('A', ['2024-01-02', '2024-01-03', '2024-01-04'], [1, 2, 3]);
    const b = series('B', ['2024-01-04', '2024-01-05', '2024-01-08'], [1, 2, 3]);
    assert.throws(
      () => alignHoldings([a, b]),
      (err: unknown) => err instanceof TooFewCommonDatesError && err.available === 1 && err.code === 'INSUFFICIENT_HISTORY',
    );
    assert.throws(() => alignHoldings([a, b]), { message: 'the holdings have only 1 dates in common (need 3)' });
  });
  test('quantities worth 0 in total give no weights', () => {
    const a = series('A', ['2024-01-02', '2024-01-03', '2024-01-04'], [1, 2, 4]);
    const b = series('B', ['2024-01-02', '2024-01-03', '2024-01-04'], [1, 1, 2]);
    assert.throws(() => weightsFromQuantities(alignHoldings([a, b]), [1, -2]), ZeroMarketValueError);
  });
});

describe('portfolioRisk', () => {
  const holdings = [holding('DAX'), holding('SMI'), holding('CAC')];
  const aligned = alignHoldings(holdings);
  const w = [0.5, 0.3, 0.2];

  test("sample covariance: the risk engine's Gaussian and historical VaR/ES, components summing to the totals", () => {
    const r = portfolioRisk(aligned, w, { covariance: 'sample', confidence: 0.99, periodsPerYear: 252, horizon: 10 });
    const { columns } = alignedReturns(holdings.map((h) => h.series));
    const cov = sampleCovariance(columns);
    const g = gaussianPortfolioVar(w, cov, { confidence: 0.99, means: columns.map((c) => mean(c)), horizon: 10 });
    const h = historicalPortfolioVar(columns, w, { confidence: 0.99 });
    assert.equal(r.gaussianVar, g.var);
    assert.equal(r.gaussianEs, g.es);
    assert.equal(r.historicalVar, h.var);
    assert.equal(r.historicalEs, h.es);
    assert.equal(r.ledoitWolfShrinkage, null);
    assert.deepEqual(r.period, { startDate: holdings[0].series.dates[0], endDate: holdings[0].series.dates[399], commonDates: 400, returns: 399 });
    assert.deepEqual(r.parameters, { confidence: 0.99, periodsPerYear: 252, horizon: 10, covariance: 'sample', weightsSum: 1 });
    assert.equal(r.assets[1].annualizedVolatility, Math.sqrt(cov.data[4] * 252));
    const total = (k: 'gaussianComponentVar' | 'historicalComponentVar' | 'historicalComponentEs') => r.assets.reduce((s, a) => s + a[k], 0);
    assert.ok(Math.abs(total('gaussianComponentVar') - r.gaussianVar) < 1e-15);
    assert.ok(Math.abs(total('historicalComponentVar') - r.historicalVar) < 1e-15);
    assert.ok(Math.abs(total('historicalComponentEs') - r.historicalEs) < 1e-15);
    assert.deepEqual(
      r.assets.map((a) => [a.symbol, a.weight]),
      [
        ['DAX', 0.5],
        ['SMI', 0.3],
        ['CAC', 0.2],
      ],
    );
  });
  test('Ledoit–Wolf reports its shrinkage; EWMA is zero-mean', () => {
    const lw = portfolioRisk(aligned, w, { covariance: 'ledoit-wolf', confidence: 0.95, periodsPerYear: 252, horizon: 1 });
    assert.equal(lw.ledoitWolfShrinkage, ledoitWolfCovariance(aligned.columns).shrinkage);
    assert.ok(lw.ledoitWolfShrinkage! > 0 && lw.ledoitWolfShrinkage! < 1);
    const ewma = portfolioRisk(aligned, w, { covariance: 'ewma', confidence: 0.95, periodsPerYear: 252, horizon: 1 });
    // Zero means: Gaussian ES / VaR is exactly φ(z) / (α z) for any covariance.
    assert.ok(Math.abs(ewma.gaussianEs / ewma.gaussianVar - 1.2540403436) < 1e-9);
  });
});

describe('constantWeightSeries', () => {
  test('starts at 1 and compounds the portfolio returns: its historical VaR is the report’s', () => {
    const aligned = alignHoldings([holding('DAX'), holding('FTSE')]);
    const w = [0.6, 0.4];
    const v = constantWeightSeries(aligned, w, 'PORTFOLIO');
    assert.equal(v.symbol, 'PORTFOLIO');
    assert.equal(v.close[0], 1);
    assert.deepEqual(v.dates, aligned.priceDates);
    const r1 = w[0] * aligned.columns[0][0] + w[1] * aligned.columns[1][0];
    assert.equal(v.close[1], 1 + r1);
    const report = portfolioRisk(aligned, w, { covariance: 'sample', confidence: 0.95, periodsPerYear: 252, horizon: 1 });
    assert.ok(Math.abs(historicalVar(simpleReturns(v.close), 0.95) - report.historicalVar) < 1e-12);
  });
  test('a leveraged short book whose value reaches 0 has no history to score', () => {
    const a = series('A', ['2024-01-02', '2024-01-03', '2024-01-04'], [1, 3, 4]);
    const b = series('B', ['2024-01-02', '2024-01-03', '2024-01-04'], [1, 1, 1]);
    // -1 × (+200 %) + 2 × 0 = -200 %: the value goes below 0 on the second date.
    assert.throws(() => constantWeightSeries(alignHoldings([a, b]), [-1, 2]), NonPositivePortfolioValueError);
  });
});

test("the request schema's covariance methods are the scoring domain's", () => {
  const shape = RiskPortfolioRequestSchema.parse({ holdings: [{ symbol: 'X', weight: 1 }] });
  assert.equal(shape.covariance, 'sample');
  for (const m of COVARIANCE_METHODS)
    assert.equal(RiskPortfolioRequestSchema.safeParse({ holdings: [{ symbol: 'X', weight: 1 }], covariance: m }).success, true);
  assert.equal(RiskPortfolioRequestSchema.safeParse({ holdings: [{ symbol: 'X', weight: 1 }], covariance: 'shrunk' }).success, false);
});

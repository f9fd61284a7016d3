/**
 * Tiny inputs whose answers were worked out by hand (the arithmetic is in the comments).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../../lib/domain/errors.ts';
import { baselTrafficLight, christoffersenTest, kupiecTest } from '../../../lib/domain/risk/backtest.ts';
import { chiSquareSf } from '../../../lib/domain/risk/distributions.ts';
import * as risk from '../../../lib/domain/risk/index.ts';
import { perPeriodRate } from '../../../lib/domain/risk/returns.ts';
import { cornishFisherQuantile } from '../../../lib/domain/risk/var.ts';
import { assertClose } from './approx.ts';

const quantile = (x: number[], p: number) => risk.quantileSorted(risk.sortedCopy(x), p);
/** Maximum drawdown of compounded returns: the level path is their wealth path. */
const maxDrawdown = (r: number[]) => risk.maxDrawdownFromPrices(risk.wealthPath(r));
const episodes = (r: number[]) => risk.drawdownEpisodesOfWealth(risk.wealthPath(r));
const skewness = (x: number[]) => risk.skewnessFromMoments(risk.moments(x));
const excessKurtosis = (x: number[]) => risk.excessKurtosisFromMoments(risk.moments(x));

describe('returns and compounding', () => {
  test('simple and log returns of 100 → 110 → 99', () => {
    assert.deepEqual(
      Array.from(risk.simpleReturns([100, 110, 99]), (x) => +x.toFixed(15)),
      [0.1, -0.1],
    );
    assertClose(risk.logReturns([100, 110, 99])[1], Math.log(0.9), 'log');
    // wealth (1.1)(0.9) = 0.99; annualised over 2 periods with A = 4: 0.99² − 1 = −0.0199
    assertClose(risk.wealthPath([0.1, -0.1])[2], 0.99, 'wealth');
    assertClose(risk.annualizedReturn([0.1, -0.1], { periodsPerYear: 4 }), -0.0199, 'cagr');
  });
  test('annual rates convert geometrically: 1.21 over 2 periods → 10% per period', () => {
    assertClose(perPeriodRate(0.21, 2), 0.1, 'rf');
  });
  test('too-short input is a typed error, not NaN', () => {
    assert.throws(() => risk.simpleReturns([100]), risk.InsufficientDataError);
    assert.throws(() => risk.annualizedVolatility([0.01]), /needs at least 2 observations/);
    assert.throws(() => risk.historicalVar([0.01], 1.5), risk.InvalidParameterError);
  });
  test('risk errors are DomainErrors carrying the code the API and CLI match on', () => {
    const is = (code: string, name: string) => (e: unknown) =>
      e instanceof DomainError && e instanceof risk.RiskInputError && e.code === code && e.name === name;
    assert.throws(() => risk.simpleReturns([100]), is('INSUFFICIENT_HISTORY', 'InsufficientDataError'));
    assert.throws(() => risk.historicalVar([0.01], 1.5), is('INVALID_PARAMETER', 'InvalidParameterError'));
  });
});

describe('quantile type 7', () => {
  test('h = (n−1)p, linear between order statistics', () => {
    // x = 1..5: p = 0.1 → h = 0.4 → 1.4; p = 0.95 → h = 3.8 → 4.8; p = 0 / 1 → ends
    assertClose(quantile([5, 3, 1, 2, 4], 0.1), 1.4, 'q.1');
    assertClose(quantile([5, 3, 1, 2, 4], 0.95), 4.8, 'q.95');
    assert.equal(quantile([5, 3, 1, 2, 4], 0), 1);
    assert.equal(quantile([5, 3, 1, 2, 4], 1), 5);
  });
});

describe('VaR and ES', () => {
  const r = [-0.05, -0.02, 0, 0.01, 0.03];
  test('historical VaR/ES at 80%: q(0.2) = −0.05 + 0.8·0.03 = −0.026; ES = mean{r ≤ q} = 0.05', () => {
    assertClose(risk.historicalVar(r, 0.8), 0.026, 'var');
    assertClose(risk.historicalEs(r, 0.8), 0.05, 'es');
  });
  test('Gaussian VaR/ES of ±1%: mean 0, σ (ddof 0) = 1% → 1.6449% / φ(1.6449)/0.05 %', () => {
    const z = 1.6448536269514722;
    assertClose(risk.gaussianVar([-0.01, 0.01], 0.95), 0.01 * z, 'var');
    assertClose(risk.gaussianEs([-0.01, 0.01], 0.95), (0.01 * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI) / 0.05, 'es');
    // √-time: 4 periods → 2× the volatility term, 4× the (zero) mean
    assertClose(risk.gaussianVar([-0.01, 0.01], 0.95, { horizon: 4 }), 0.02 * z, 'var h4');
  });
  test('Cornish–Fisher with S = K = 0 is Gaussian; ±1% has S = 0, K = 1 − 3 = −2', () => {
    assert.equal(cornishFisherQuantile(-1.5, 0, 0), -1.5);
    const z = -1.6448536269514722;
    const h = z + ((z ** 3 - 3 * z) * -2) / 24;
    assertClose(risk.cornishFisherVar([-0.01, 0.01], 0.95), -h * 0.01, 'cf');
  });
});

describe('drawdown (wealth index 0 = before the first return)', () => {
  test('[+10%, −50%, +20%]: wealth 1, 1.1, 0.55, 0.66 → 50% from index 1 to 2, not recovered', () => {
    const d = maxDrawdown([0.1, -0.5, 0.2]);
    assert.deepEqual(
      { m: d.maxDrawdown, p: d.peakIndex, t: d.troughIndex, r: d.recoveryIndex, ptt: d.peakToTroughPeriods, dur: d.durationPeriods },
      { m: 0.5, p: 1, t: 2, r: null, ptt: 1, dur: null },
    );
  });
  test('a first-day loss is a drawdown from the start: [−10%, +20%] → 10%, peak 0, trough 1, recovery 2', () => {
    const d = maxDrawdown([-0.1, 0.2]);
    assertClose(d.maxDrawdown, 0.1, 'mdd');
    assert.deepEqual([d.peakIndex, d.troughIndex, d.recoveryIndex, d.durationPeriods], [0, 1, 2, 2]);
  });
  test('never falling: 0 and all indices 0', () => {
    const d = maxDrawdown([0.01, 0.02]);
    assert.deepEqual([d.maxDrawdown, d.peakIndex, d.troughIndex, d.recoveryIndex], [0, 0, 0, 0]);
    const never = { dates: ['2024-01-02', '2024-01-03', '2024-01-04'], close: Float64Array.from([100, 101, 103.02]) };
    assert.equal(risk.computeSeriesMetrics(never).calmarRatio, null);
  });
  test('from prices a return to exactly the peak price counts as recovered', () => {
    const d = risk.maxDrawdownFromPrices([100, 110, 99, 110]);
    assert.equal(d.recoveryIndex, 3);
    assertClose(d.maxDrawdown, 0.1, 'mdd');
  });
  test('episodes and the worst-N table', () => {
    // wealth: 1, 0.9, 1.0 (recovered at 2), 0.8, 0.88
    const e = episodes([-0.1, 1 / 0.9 - 1, -0.2, 0.1]);
    assert.equal(e.length, 2);
    assert.equal(e[0].recoveryIndex, 2);
    const worst = risk.worstDrawdowns(e, 1);
    assertClose(worst[0].depth, 0.2, 'worst');
    assert.equal(worst[0].peakIndex, 2);
  });
});

describe('dispersion and ratios (A given explicitly)', () => {
  const r = [0.02, -0.01, -0.03, 0.04];
  test('downside deviation √((0.01² + 0.03²)/4) = √0.00025 (full N)', () => {
    assertClose(risk.downsideDeviation(r, { periodsPerYear: 1 }), Math.sqrt(0.00025), 'dd');
    assertClose(risk.downsideDeviation(r, { periodsPerYear: 4 }), 2 * Math.sqrt(0.00025), 'dd A=4');
  });
  test('semideviation: mean 0.005, below-mean deviations 0.015 and 0.035 over N = 4', () => {
    assertClose(risk.semideviation(r, { periodsPerYear: 1 }), Math.sqrt((0.015 ** 2 + 0.035 ** 2) / 4), 'semi');
  });
  test('Sortino 0.005/√0.00025 = 0.316…, Omega 0.06/0.04 = 1.5', () => {
    assertClose(risk.sortinoRatio(r, { periodsPerYear: 1 }), 0.005 / Math.sqrt(0.00025), 'sortino');
    assertClose(risk.omegaRatio(r, { periodsPerYear: 1 }), 1.5, 'omega');
  });
  test('Sharpe of [1%, 3%] with A = 1: 0.02/√0.0002 = √2', () => {
    assertClose(risk.sharpeRatio([0.01, 0.03], { periodsPerYear: 1 }), Math.SQRT2, 'sharpe');
    assertClose(risk.annualizedVolatility([0.01, -0.01], { periodsPerYear: 4 }), 2 * Math.sqrt(0.0002), 'vol');
  });
  test('tail ratio |q95|/|q5| of 1..5 %: h = 3.8 → 4.8%, h = 0.2 → 1.2%, ratio 4', () => {
    assertClose(risk.tailRatio([0.01, 0.02, 0.03, 0.04, 0.05]), 4, 'tail');
  });
  test('moments of [1, 2, 3, 10]: m2 = 12.5, m3 = 45, m4 = 3.5·…', () => {
    // mean 4; deviations −3, −2, −1, 6: m2 = 50/4, m3 = (−27−8−1+216)/4 = 45, m4 = (81+16+1+1296)/4 = 348.5
    assertClose(skewness([1, 2, 3, 10]), 45 / 12.5 ** 1.5, 'skew');
    assertClose(excessKurtosis([1, 2, 3, 10]), 348.5 / 12.5 ** 2 - 3, 'kurt');
  });
});

describe('benchmark', () => {
  test('r = 2b: beta 2, correlation 1, tracking error = sd(b)·√A, alpha 0', () => {
    const b = [0.01, -0.02, 0.015, 0.003];
    const r = b.map((x) => 2 * x);
    const m = risk.benchmarkMetrics(r, b, { periodsPerYear: 1 });
    assertClose(risk.beta(r, b), 2, 'beta');
    assertClose(m.beta, 2, 'beta (all metrics)');
    assertClose(m.correlation, 1, 'corr');
    assertClose(m.trackingError, risk.annualizedVolatility(b, { periodsPerYear: 1 }), 'te');
    assertClose(m.alpha, 0, 'alpha', 1e-9, 1e-17);
  });
  test('constant benchmark: beta, alpha, correlation, Treynor are null', () => {
    const m = risk.benchmarkMetrics([0.01, 0.02, 0.0], [0.01, 0.01, 0.01]);
    assert.deepEqual([m.beta, m.alpha, m.correlation, m.rSquared, m.treynorRatio], [null, null, null, null, null]);
    assert.equal(risk.benchmarkMetrics([0.01, 0.02], [0.01, 0.02]).informationRatio, null); // zero tracking error
  });
  test('misaligned lengths are an error', () => {
    assert.throws(() => risk.beta([0.01, 0.02], [0.01]), /align/);
  });
});

describe('alignment', () => {
  const series = (dates: string[], close: number[]) => ({ dates, close: Float64Array.from(close) });
  test('inner join on dates, then returns over consecutive common dates (spanning the gap)', () => {
    const a = series(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'], [100, 110, 121, 99]);
    const b = series(['2024-01-02', '2024-01-04', '2024-01-05'], [10, 12, 9]);
    const al = risk.alignedReturns([a, b]);
    assert.deepEqual(al.priceDates, ['2024-01-02', '2024-01-04', '2024-01-05']);
    assert.deepEqual(al.dates, ['2024-01-04', '2024-01-05']);
    // a: 121/100 − 1 over the dropped 01-03, then 99/121 − 1; b: 12/10 − 1, 9/12 − 1
    assertClose(al.columns[0][0], 0.21, 'a0');
    assertClose(al.columns[0][1], 99 / 121 - 1, 'a1');
    assertClose(al.columns[1][0], 0.2, 'b0');
    assertClose(al.columns[1][1], -0.25, 'b1');
  });
  test('one common date gives no returns; the caller decides how many it needs', () => {
    const al = risk.alignedReturns([series(['2024-01-02', '2024-01-03'], [1, 2]), series(['2024-01-03', '2024-01-04'], [1, 2])]);
    assert.deepEqual(al.priceDates, ['2024-01-03']);
    assert.deepEqual(al.dates, []);
    assert.deepEqual(
      al.columns.map((c) => c.length),
      [0, 0],
    );
  });
});

describe('EWMA, ATR, covariance', () => {
  test('EWMA of [1%, 2%]: start = (1e-4 + 0.94·4e-4)/1.94, then two updates', () => {
    const s0 = (1e-4 + 0.94 * 4e-4) / 1.94;
    const s1 = 0.94 * s0 + 0.06 * 1e-4;
    const s2 = 0.94 * s1 + 0.06 * 4e-4;
    const v = risk.ewmaVarianceSeries([0.01, 0.02]);
    assertClose(v[0], s0, 's0');
    assertClose(v[1], s1, 's1');
    assertClose(v[2], s2, 's2');
    assertClose(risk.ewmaVolatility([0.01, 0.02], { periodsPerYear: 1 }), Math.sqrt(s2), 'vol');
  });
  test('ATR(2): TR uses the previous close; first ATR = mean(TR₁, TR₂) at index 2', () => {
    const hlc = { high: [10, 11, 12, 11], low: [9, 10, 10.5, 9], close: [9.5, 10.8, 11.5, 9.5] };
    // TR1 = max(11, 9.5) − min(10, 9.5) = 1.5; TR2 = 12 − 10.5 = 1.5; TR3 = 11.5 − 9 = 2.5
    const { trueRange, atr } = risk.averageTrueRange(hlc, 2);
    assert.ok(Number.isNaN(trueRange[0]) && Number.isNaN(atr[1]));
    assert.deepEqual(Array.from(trueRange.subarray(1)), [1.5, 1.5, 2.5]);
    assertClose(atr[2], 1.5, 'seed');
    // Wilder: ATR₃ = TR₃·½ + ATR₂·(1 − ½) = 1.25 + 0.75
    assertClose(atr[3], 2, 'wilder');
  });
  test('covariance of two tiny columns; Ledoit–Wolf of one asset does not shrink', () => {
    const c = risk.sampleCovariance([
      [1, 2, 3],
      [2, 4, 7],
    ]);
    // means 2 and 13/3; cov = ((−1)(−7/3) + 0 + (1)(8/3))/2 = 2.5; var2 = (49/9 + 1/9 + 64/9)/2 = 19/3
    assertClose(c.data[0 * c.size + 1], 2.5, 'cov');
    assertClose(c.data[1 * c.size + 1], 19 / 3, 'var');
    assert.equal(risk.ledoitWolfCovariance([[0.01, 0.02, -0.01]]).shrinkage, 0);
  });
  test('diversification ratio of one asset is 1; of two uncorrelated equal-vol assets √2', () => {
    const cov = { size: 2, data: Float64Array.from([0.04, 0, 0, 0.04]) };
    assertClose(risk.diversificationRatio([0.5, 0.5], cov), Math.SQRT2, 'dr');
    assertClose(risk.diversificationRatio([1, 0], cov), 1, 'dr1');
  });
});

describe('backtests: log-space likelihood ratios', () => {
  test('Kupiec, no exceptions in 250 at 99%: LR = −2·250·ln 0.99', () => {
    const k = kupiecTest(0, 250, 0.99);
    assertClose(k.statistic, -500 * Math.log(0.99), 'lr');
    assertClose(k.pValue, chiSquareSf(-500 * Math.log(0.99), 1), 'p');
    assert.equal(k.reject, true); // p ≈ 0.025 < 0.05: too few exceptions is also a failure of coverage
  });
  test('Kupiec does not underflow: T = 5000, p = 0.05, x = 300 → 9.92 (rugarch gives NaN)', () => {
    const k = kupiecTest(300, 5000, 0.95);
    assert.ok(Math.abs(k.statistic - 9.92) < 0.005, String(k.statistic));
  });
  test('Kupiec is 0 when the exception rate equals p exactly', () => {
    assertClose(kupiecTest(5, 100, 0.95).statistic, 0, 'lr0', 1e-9, 1e-12);
  });
  test('Christoffersen with zero exceptions, or one only in the last row: finite, LR_ind = 0', () => {
    const none = christoffersenTest(new Uint8Array(20), 0.99);
    assert.equal(none.independence.statistic, 0);
    assert.ok(Number.isFinite(none.conditionalCoverage.statistic));
    const lastOnly = new Uint8Array(10);
    lastOnly[9] = 1;
    const c = christoffersenTest(lastOnly, 0.95);
    assert.deepEqual(c.transitions, { n00: 8, n01: 1, n10: 0, n11: 0 });
    assertClose(c.independence.statistic, 0, 'ind', 1e-9, 1e-12);
    assert.equal(c.independence.pValue, 1);
  });
  test('Christoffersen on a clustered series [0,0,1,1,0,0,0,0]', () => {
    // n00 = 4, n01 = 1, n10 = 1, n11 = 1; π01 = 1/5, π11 = 1/2, π = 2/7
    const ll0 = 5 * Math.log(5 / 7) + 2 * Math.log(2 / 7);
    const ll1 = 4 * Math.log(4 / 5) + Math.log(1 / 5) + Math.log(1 / 2) + Math.log(1 / 2);
    const c = christoffersenTest([0, 0, 1, 1, 0, 0, 0, 0], 0.95);
    assertClose(c.independence.statistic, -2 * (ll0 - ll1), 'ind');
    assertClose(c.conditionalCoverage.statistic, c.independence.statistic + c.unconditionalCoverage.statistic, 'cc');
  });
  test('Basel zones and plus factors (250 days, 99%)', () => {
    const z = [0, 4, 5, 6, 7, 8, 9, 10, 15].map((k) => {
      const b = baselTrafficLight(k);
      return `${k}:${b.zone}:${b.plusFactor}`;
    });
    assert.deepEqual(z, ['0:green:0', '4:green:0', '5:yellow:0.4', '6:yellow:0.5', '7:yellow:0.65', '8:yellow:0.75', '9:yellow:0.85', '10:red:1', '15:red:1']);
    assert.equal(baselTrafficLight(3, 500, 0.99).plusFactor, null);
    assert.equal(baselTrafficLight(10, 250, 0.99).multiplier, 4);
  });
  test('backtestVar needs more than window + 1 returns', () => {
    assert.throws(() => risk.backtestVar(new Float64Array(251), { window: 250 }), risk.InvalidParameterError);
  });
});

describe('test helper', () => {
  test('assertClose fails outside the tolerance (so the reference tests can fail)', () => {
    assert.throws(() => assertClose(1 + 2e-9, 1, 'x'));
    assert.throws(() => assertClose(null, 1, 'x'));
    assertClose(1 + 5e-10, 1, 'x');
  });
});

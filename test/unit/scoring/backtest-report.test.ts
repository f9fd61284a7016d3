/**
 * The backtest report behind `riskfn backtest` and `POST /v1/risk/backtest`: the risk engine's
 * backtest without the per-period arrays, with the forecast and exception dates.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backtestVar, simpleReturns, VAR_METHODS } from '../../../lib/domain/risk/index.ts';
import { backtestReport, TooFewReturnsError } from '../../../lib/domain/scoring/backtest-report.ts';
import { RiskBacktestRequestSchema } from '../../../lib/schemas/risk-backtest-request.ts';
import { samplePrices } from '../api/fixtures.ts';

const DAX = samplePrices('DAX', 600);

describe('backtestReport', () => {
  test("the engine's tests, and the dates of the forecasts and of every exception", () => {
    const opts = { window: 250, confidence: 0.99, method: 'historical' as const, significance: 0.05 };
    const report = backtestReport(DAX, opts);
    const bt = backtestVar(simpleReturns(DAX.close), opts);
    assert.equal(report.symbol, 'DAX');
    assert.equal(report.observations, 599 - 250);
    assert.equal(report.exceptionCount, bt.exceptionCount);
    assert.deepEqual(report.kupiec, bt.kupiec);
    assert.deepEqual(report.christoffersen, bt.christoffersen);
    assert.deepEqual(report.basel, bt.basel);
    // Forecast k is for return window + k, which ends on date window + k + 1.
    assert.equal(report.firstForecastDate, DAX.dates[251]);
    assert.equal(report.lastForecastDate, DAX.dates[599]);
    const expected = [...bt.exceptions].flatMap((x, k) => (x ? [DAX.dates[251 + k]] : []));
    assert.deepEqual(report.exceptionDates, expected);
    assert.equal(report.exceptionDates.length, bt.exceptionCount);
    assert.ok(report.exceptionCount > 0, 'the sample period has exceptions, so the dates are checked');
    assert.equal('forecasts' in report, false);
    assert.equal('exceptions' in report, false);
    // The member order is the CLI's --json output.
    assert.deepEqual(Object.keys(report).slice(0, 4), ['symbol', 'firstForecastDate', 'lastForecastDate', 'method']);
    assert.equal(Object.keys(report).at(-1), 'exceptionDates');
  });
  test('fewer than window + 2 returns: an INSUFFICIENT_HISTORY error saying how many there are and are needed', () => {
    const short = samplePrices('DAX', 100);
    assert.throws(
      () => backtestReport(short, { window: 98, confidence: 0.99, method: 'gaussian', significance: 0.05 }),
      (err: unknown) => err instanceof TooFewReturnsError && err.available === 99 && err.needed === 100 && err.code === 'INSUFFICIENT_HISTORY',
    );
    assert.throws(() => backtestReport(short, { window: 98, confidence: 0.99, method: 'gaussian', significance: 0.05 }), {
      message: 'the history has 99 returns; a window of 98 needs at least 100',
    });
    assert.equal(backtestReport(short, { window: 97, confidence: 0.99, method: 'gaussian', significance: 0.05 }).observations, 2);
  });
});

test("the request schema's methods are the risk engine's VAR_METHODS", () => {
  for (const method of VAR_METHODS) assert.equal(RiskBacktestRequestSchema.parse({ symbol: 'X', method }).method, method);
  assert.equal(RiskBacktestRequestSchema.safeParse({ symbol: 'X', method: 'monte-carlo' }).success, false);
  assert.deepEqual(RiskBacktestRequestSchema.parse({ symbol: 'X' }), { symbol: 'X', method: 'historical', window: 250, confidence: 0.99, significance: 0.05 });
});

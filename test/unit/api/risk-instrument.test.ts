/**
 * What `POST /v1/risk/instrument` adds to the scoring answer: OHLC bars in the body (the risk
 * engine's range-based volatility estimators, as `riskfn metrics`), their validation, and
 * `asOf` (score the history up to a date). test/unit/api/handler.test.ts covers the rest.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { predictRiskLevel } from '../../../lib/domain/model/index.ts';
import { computeSeriesMetrics } from '../../../lib/domain/risk/index.ts';
import { scoringInputHash } from '../../../lib/domain/scoring/input-hash.ts';
import type { ProblemDetails } from '../../../lib/schemas/problem-details.ts';
import { type RiskInstrumentResponse, RiskInstrumentResponseSchema } from '../../../lib/schemas/risk-instrument-response.ts';
import { samplePrices as sampleFile } from '../risk/approx.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices, tinyModel } from './fixtures.ts';

const OHLC = sampleFile('xts_sample_ohlc.csv');
const bars = OHLC.dates.map((date, i) => ({ date, open: OHLC.open![i], high: OHLC.high![i], low: OHLC.low![i], close: OHLC.close[i] }));
const DAX = samplePrices('DAX', 400);

async function call(body: unknown, deps: Parameters<typeof memoryDependencies>[0] = {}) {
  const { deps: d, auditItems } = memoryDependencies(deps);
  const res = (await createApiHandler(d)(proxyEvent({ body }), lambdaContext())) as APIGatewayProxyResult;
  return { res, auditItems, json: JSON.parse(res.body) as unknown };
}

describe('POST /v1/risk/instrument with OHLC bars', () => {
  test("ohlcVolatility is the risk engine's full-history estimators, equal to riskfn metrics'; OHLC enters the input hash", async () => {
    const { res, json } = await call({ symbol: 'XTS', prices: bars });
    assert.equal(res.statusCode, 200, res.body);
    const body = RiskInstrumentResponseSchema.strict().parse(json) as RiskInstrumentResponse;
    const expected = computeSeriesMetrics({ ...OHLC, symbol: 'XTS' }).ohlcVolatility;
    assert.ok(expected);
    assert.deepEqual(body.metrics.ohlcVolatility, expected);
    assert.equal(body.metrics.ohlcVolatility?.rows, 180);
    const series = { symbol: 'XTS', dates: OHLC.dates, close: OHLC.close, open: OHLC.open, high: OHLC.high, low: OHLC.low };
    assert.equal(body.inputHash, scoringInputHash(series, 0.95));
    const closesOnly = await call({ symbol: 'XTS', prices: bars.map(({ date, close }) => ({ date, close })) });
    const plain = closesOnly.json as RiskInstrumentResponse;
    assert.equal(plain.metrics.ohlcVolatility, null);
    assert.notEqual(plain.inputHash, body.inputHash);
    assert.equal(plain.inputHash, scoringInputHash({ symbol: 'XTS', dates: OHLC.dates, close: OHLC.close }, 0.95));
    assert.equal(plain.metrics.annualizedVolatility, body.metrics.annualizedVolatility);
  });

  test('lake bars with open/high/low give the estimators too', async () => {
    const { res, json } = await call({ symbol: 'xts' }, { lake: [{ ...OHLC, symbol: 'XTS' }] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((json as RiskInstrumentResponse).metrics.ohlcVolatility, computeSeriesMetrics(OHLC).ohlcVolatility);
  });

  test('400: open/high/low partly given, on some points only, or inconsistent with the close', async () => {
    const errorsOf = async (prices: unknown[]) => {
      const { res, json, auditItems } = await call({ prices });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(auditItems.length, 1);
      return (json as ProblemDetails).errors;
    };
    const [a, b] = bars;
    assert.deepEqual(await errorsOf([{ ...a, low: undefined }, b]), [
      { path: '/prices/0/low', message: 'low is required when open/high is given (open/high/low: all three or none)' },
    ]);
    assert.deepEqual(await errorsOf([a, { date: b.date, close: b.close }]), [
      { path: '/prices/1/open', message: `open/high/low are given for ${a.date} but not for ${b.date}: give them for every price or for none` },
    ]);
    assert.deepEqual(await errorsOf([a, { ...b, high: b.close / 2, low: b.close / 3 }]), [
      { path: '/prices/1/high', message: `high ${b.close / 2} is below max(open, close) ${Math.max(b.open, b.close)}` },
    ]);
    assert.deepEqual(await errorsOf([{ ...a, low: a.close * 2, high: a.close * 3 }, b]), [
      { path: '/prices/0/low', message: `low ${a.close * 2} is above min(open, close) ${Math.min(a.open, a.close)}` },
    ]);
  });
});

describe('POST /v1/risk/instrument with asOf', () => {
  test('the history up to and including asOf is scored (a date between two prices keeps the earlier)', async () => {
    const asOf = DAX.dates[299];
    const { res, json } = await call({ symbol: 'DAX', asOf }, { lake: [DAX] });
    assert.equal(res.statusCode, 200, res.body);
    const body = json as RiskInstrumentResponse;
    const cut = { symbol: 'DAX', dates: DAX.dates.slice(0, 300), close: DAX.close.slice(0, 300) };
    assert.equal(body.asOf, asOf);
    assert.equal(body.observations, 300);
    assert.equal(body.inputHash, scoringInputHash(cut, 0.95));
    assert.deepEqual(body.model.probabilities, predictRiskLevel(tinyModel(), cut).probabilities);
    // A date without a price (the day after a price, when the next price is later still) keeps the prices before it.
    const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const i = DAX.dates.findIndex((d, k) => k >= 250 && DAX.dates[k + 1] > dayAfter(d));
    const gap = await call({ symbol: 'DAX', asOf: dayAfter(DAX.dates[i]) }, { lake: [DAX] });
    assert.equal(gap.res.statusCode, 200, gap.res.body);
    assert.equal((gap.json as RiskInstrumentResponse).asOf, DAX.dates[i]);
    assert.equal((gap.json as RiskInstrumentResponse).observations, i + 1);
  });

  test('422 naming /asOf when no price is on or before it; 400 when it is not a date', async () => {
    const { res, json, auditItems } = await call({ symbol: 'DAX', asOf: '1990-01-01' }, { lake: [DAX] });
    assert.equal(res.statusCode, 422, res.body);
    const p = json as ProblemDetails;
    assert.equal(p.type, 'tag:riskfn,2026:insufficient-history');
    assert.equal(p.detail, `no prices on or before asOf 1990-01-01 (the history starts on ${DAX.dates[0]})`);
    assert.deepEqual(p.errors, [{ path: '/asOf', message: 'no history on or before this date' }]);
    assert.equal(auditItems[0].modelVersion, 'v-test', 'refused after the champion was chosen: the item names it');
    const bad = await call({ symbol: 'DAX', asOf: '2024-02-30' }, { lake: [DAX] });
    assert.equal(bad.res.statusCode, 400);
    assert.deepEqual((bad.json as ProblemDetails).errors, [{ path: '/asOf', message: 'asOf must be a real calendar date, YYYY-MM-DD' }]);
  });
});

/**
 * `POST /v1/risk/portfolio` through the real middy chain with in-memory dependencies: the
 * numbers are the scoring domain's portfolio report (the function `riskfn portfolio` prints),
 * the model answers per holding and for the constant-weight portfolio, and every refusal the
 * issue lists (bad weights, unknown symbol, too few common dates), each audited.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { predictRiskLevel } from '../../../lib/domain/model/index.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { PORTFOLIO_CONVENTIONS } from '../../../lib/domain/scoring/conventions.ts';
import { historyAsOf } from '../../../lib/domain/scoring/history-as-of.ts';
import { portfolioInputHash } from '../../../lib/domain/scoring/input-hash.ts';
import { alignHoldings, constantWeightSeries, portfolioRisk, weightsFromQuantities } from '../../../lib/domain/scoring/portfolio-risk.ts';
import { type ProblemDetails, ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { MAX_HOLDINGS } from '../../../lib/schemas/risk-portfolio-request.ts';
import { type RiskPortfolioResponse, RiskPortfolioResponseSchema } from '../../../lib/schemas/risk-portfolio-response.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices, tinyModel } from './fixtures.ts';

const PATH = '/v1/risk/portfolio';
const DAX = samplePrices('DAX', 400);
const SMI = samplePrices('SMI', 400);
const CAC = samplePrices('CAC', 400);
const points = (s: PriceSeries) => s.dates.map((date, i) => ({ date, close: s.close[i] }));

async function call(body: unknown, deps: Parameters<typeof memoryDependencies>[0] = { lake: [DAX, SMI, CAC] }) {
  const { deps: d, auditItems } = memoryDependencies(deps);
  const event: APIGatewayProxyEvent = proxyEvent({ path: PATH, body });
  const res = (await createApiHandler(d)(event, lambdaContext())) as APIGatewayProxyResult;
  return { res, auditItems, event, json: JSON.parse(res.body) as unknown };
}

async function problem(body: unknown, status: number, deps?: Parameters<typeof memoryDependencies>[0]) {
  const out = await call(body, deps);
  assert.equal(out.res.statusCode, status, out.res.body);
  assert.equal(out.res.headers?.['Content-Type'], 'application/problem+json');
  const p = ProblemDetailsSchema.parse(out.json) as ProblemDetails;
  assert.equal(out.auditItems.length, 1, 'the refusal is audited');
  assert.equal(out.auditItems[0].status, status);
  return p;
}

describe('POST /v1/risk/portfolio: 200', () => {
  test("lake symbols with weights: the CLI's report, each holding's and the portfolio's risk level, audited", async () => {
    const body = {
      holdings: [
        { symbol: 'dax', weight: 0.5 },
        { symbol: 'SMI', weight: 0.3 },
        { symbol: 'CAC', weight: 0.2 },
      ],
      covariance: 'ledoit-wolf',
      confidence: 0.99,
      horizon: 10,
    };
    const { res, json, auditItems } = await call(body);
    assert.equal(res.statusCode, 200, res.body);
    const answer = RiskPortfolioResponseSchema.strict().parse(json) as RiskPortfolioResponse;

    const holdings = [DAX, SMI, CAC].map((s) => ({ symbol: s.symbol!, series: s }));
    const aligned = alignHoldings(holdings);
    const parameters = { covariance: 'ledoit-wolf' as const, confidence: 0.99, periodsPerYear: 252, horizon: 10 };
    const report = portfolioRisk(aligned, [0.5, 0.3, 0.2], parameters);
    // Every member of the CLI's report, with the same values.
    for (const [k, v] of Object.entries(report)) {
      if (k === 'assets') continue;
      assert.deepEqual(answer[k as keyof RiskPortfolioResponse], v, k);
    }
    assert.deepEqual(
      answer.assets.map(({ source: _s, model: _m, ...a }) => a),
      report.assets,
    );
    assert.deepEqual(answer.symbols, ['DAX', 'SMI', 'CAC']);
    assert.equal(answer.asOf, DAX.dates[399]);
    assert.deepEqual(answer.weighting, { basis: 'weight', normalized: false, givenSum: 1 });
    assert.deepEqual(answer.conventions, PORTFOLIO_CONVENTIONS);
    assert.equal(answer.inputHash, portfolioInputHash(holdings, [0.5, 0.3, 0.2], parameters));

    for (const [i, s] of [DAX, SMI, CAC].entries()) {
      const p = predictRiskLevel(tinyModel(), s);
      assert.deepEqual(answer.assets[i].model, { riskLevel: p.riskLevel, probabilities: p.probabilities, featuresAsOf: DAX.dates[399] });
      assert.equal(answer.assets[i].source, 'lake');
    }
    const portfolio = predictRiskLevel(tinyModel(), constantWeightSeries(aligned, [0.5, 0.3, 0.2]));
    assert.equal(answer.model.version, 'v-test');
    assert.equal(answer.model.riskLevel, portfolio.riskLevel);
    assert.deepEqual(answer.model.probabilities, portfolio.probabilities);
    assert.equal(answer.model.featuresAsOf, DAX.dates[399]);

    assert.equal(auditItems.length, 1);
    assert.equal(auditItems[0].status, 200);
    assert.equal(auditItems[0].modelVersion, 'v-test');
    assert.equal(auditItems[0].inputHash, answer.inputHash);
  });

  test('a holding scored up to the last common date, not past it; body histories labelled and mixed with lake ones', async () => {
    const longer = samplePrices('SMI', 450);
    const body = {
      holdings: [
        { symbol: 'DAX', weight: 0.6 },
        { prices: points(longer), weight: 0.4 },
      ],
    };
    const { res, json } = await call(body);
    assert.equal(res.statusCode, 200, res.body);
    const answer = json as RiskPortfolioResponse;
    assert.deepEqual(answer.symbols, ['DAX', 'holding-2']);
    assert.deepEqual(
      answer.assets.map((a) => a.source),
      ['lake', 'request'],
    );
    assert.equal(answer.period.commonDates, 400);
    const p = predictRiskLevel(tinyModel(), historyAsOf(longer, DAX.dates[399]));
    assert.deepEqual(answer.assets[1].model.probabilities, p.probabilities);
    assert.equal(answer.assets[1].model.featuresAsOf, DAX.dates[399]);
  });

  test('quantities become weights by the last common close', async () => {
    const body = {
      holdings: [
        { symbol: 'DAX', quantity: 10 },
        { symbol: 'CAC', quantity: -4 },
      ],
    };
    const { res, json } = await call(body);
    assert.equal(res.statusCode, 200, res.body);
    const answer = json as RiskPortfolioResponse;
    const aligned = alignHoldings([DAX, CAC].map((s) => ({ symbol: s.symbol!, series: s })));
    const weights = weightsFromQuantities(aligned, [10, -4]);
    assert.deepEqual(
      answer.assets.map((a) => a.weight),
      weights,
    );
    assert.equal(answer.weighting.basis, 'quantity');
    assert.equal(answer.weighting.givenSum, 10 * DAX.close[399] - 4 * CAC.close[399]);
    assert.equal(
      answer.annualizedVolatility,
      portfolioRisk(aligned, weights, { covariance: 'sample', confidence: 0.95, periodsPerYear: 252, horizon: 1 }).annualizedVolatility,
    );
  });

  test('normalize: true divides the weights by their sum and says so', async () => {
    const { res, json } = await call({
      holdings: [
        { symbol: 'DAX', weight: 40 },
        { symbol: 'SMI', weight: 60 },
      ],
      normalize: true,
    });
    assert.equal(res.statusCode, 200, res.body);
    const answer = json as RiskPortfolioResponse;
    assert.deepEqual(
      answer.assets.map((a) => a.weight),
      [0.4, 0.6],
    );
    assert.deepEqual(answer.weighting, { basis: 'weight', normalized: true, givenSum: 100 });
  });
});

describe('POST /v1/risk/portfolio: refusals', () => {
  test('400: weights not summing to 1 without normalize, as the CLI (with the fractions to use)', async () => {
    const p = await problem(
      {
        holdings: [
          { symbol: 'DAX', weight: 40 },
          { symbol: 'SMI', weight: 30 },
          { symbol: 'CAC', weight: 30 },
        ],
      },
      400,
    );
    assert.deepEqual(p.errors, [
      { path: '/holdings', message: 'weights sum to 100, not 1: give fractions of capital (0.4, 0.3, 0.3) or set "normalize": true' },
    ]);
  });
  test('400: weights summing to 0 cannot be normalised', async () => {
    const p = await problem(
      {
        holdings: [
          { symbol: 'DAX', weight: 0.5 },
          { symbol: 'SMI', weight: -0.5 },
        ],
        normalize: true,
      },
      400,
    );
    assert.match(p.errors?.[0].message ?? '', /sum to 0/);
  });
  test('400: weights mixed with quantities, a holding with neither, no holdings, too many holdings', async () => {
    const mixed = await problem(
      {
        holdings: [
          { symbol: 'DAX', weight: 0.5 },
          { symbol: 'SMI', quantity: 3 },
        ],
      },
      400,
    );
    assert.deepEqual(mixed.errors, [{ path: '/holdings/1', message: 'give weight for every holding or quantity for every holding, not a mix' }]);
    const neither = await problem({ holdings: [{ symbol: 'DAX' }] }, 400);
    assert.deepEqual(neither.errors, [{ path: '/holdings/0/weight', message: 'give either weight or quantity' }]);
    const none = await problem({ holdings: [] }, 400);
    assert.deepEqual(none.errors, [{ path: '/holdings', message: 'holdings needs at least 1 entry' }]);
    const many = Array.from({ length: MAX_HOLDINGS + 1 }, () => ({ symbol: 'DAX', weight: 1 / (MAX_HOLDINGS + 1) }));
    const tooMany = await problem({ holdings: many }, 400);
    assert.deepEqual(tooMany.errors, [{ path: '/holdings', message: `holdings accepts at most ${MAX_HOLDINGS} entries` }]);
  });
  test('404 naming the holding whose symbol the lake does not have', async () => {
    const p = await problem(
      {
        holdings: [
          { symbol: 'DAX', weight: 0.5 },
          { symbol: 'SMI', weight: 0.25 },
          { symbol: 'NOPE', weight: 0.25 },
        ],
      },
      404,
    );
    assert.equal(p.type, 'tag:riskfn,2026:unknown-symbol');
    assert.match(p.detail ?? '', /"NOPE"/);
    assert.deepEqual(p.errors, [{ path: '/holdings/2/symbol', message: 'unknown symbol' }]);
  });
  test('422 saying how many dates the holdings have in common, for the risk numbers and for the model', async () => {
    const late = { symbol: 'LATE', dates: DAX.dates.slice(398), close: DAX.close.slice(398) };
    const few = await problem(
      {
        holdings: [
          { symbol: 'DAX', weight: 0.5 },
          { symbol: 'LATE', weight: 0.5 },
        ],
      },
      422,
      { lake: [DAX, late] },
    );
    assert.equal(few.type, 'tag:riskfn,2026:insufficient-history');
    assert.equal(few.detail, 'the holdings have only 2 dates in common (need 3)');
    assert.deepEqual(few.errors, [{ path: '/holdings', message: 'only 2 common dates' }]);

    const recent = { symbol: 'RECENT', dates: DAX.dates.slice(300), close: DAX.close.slice(300) };
    const model = await problem(
      {
        holdings: [
          { symbol: 'DAX', weight: 0.5 },
          { symbol: 'RECENT', weight: 0.5 },
        ],
      },
      422,
      { lake: [DAX, recent] },
    );
    assert.match(model.detail ?? '', /^holding 1 \(RECENT\): /);
    assert.deepEqual(model.errors, [{ path: '/holdings/1', message: 'history too short' }]);
  });
  test('503 without a champion (the holdings are scored by the model too)', async () => {
    const p = await problem({ holdings: [{ symbol: 'DAX', weight: 1 }] }, 503, { lake: [DAX], champion: null });
    assert.equal(p.type, 'tag:riskfn,2026:no-champion-model');
  });
});

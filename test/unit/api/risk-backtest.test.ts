/**
 * `POST /v1/risk/backtest` through the real middy chain with in-memory dependencies: the
 * scoring domain's backtest report (the function `riskfn backtest` prints), no model needed,
 * and the refusals, each audited.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { backtestReport } from '../../../lib/domain/scoring/backtest-report.ts';
import { BACKTEST_CONVENTIONS } from '../../../lib/domain/scoring/conventions.ts';
import { backtestInputHash } from '../../../lib/domain/scoring/input-hash.ts';
import { seriesFromPoints } from '../../../lib/domain/scoring/series-from-points.ts';
import { type ProblemDetails, ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { type RiskBacktestResponse, RiskBacktestResponseSchema } from '../../../lib/schemas/risk-backtest-response.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices } from './fixtures.ts';

const DAX = samplePrices('DAX', 700);
const points = DAX.dates.map((date, i) => ({ date, close: DAX.close[i] }));

async function call(body: unknown, deps: Parameters<typeof memoryDependencies>[0] = { lake: [DAX] }) {
  const { deps: d, auditItems } = memoryDependencies(deps);
  const res = (await createApiHandler(d)(proxyEvent({ path: '/v1/risk/backtest', body }), lambdaContext())) as APIGatewayProxyResult;
  return { res, auditItems, json: JSON.parse(res.body) as unknown };
}

describe('POST /v1/risk/backtest', () => {
  test("a lake symbol: the CLI's report with the exception dates, model null, audited; no champion needed", async () => {
    const { res, json, auditItems } = await call({ symbol: 'dax', method: 'ewma', window: 100, confidence: 0.95 }, { lake: [DAX], champion: null });
    assert.equal(res.statusCode, 200, res.body);
    const body = RiskBacktestResponseSchema.strict().parse(json) as RiskBacktestResponse;
    const parameters = { method: 'ewma' as const, window: 100, confidence: 0.95, significance: 0.05 };
    const report = backtestReport(DAX, parameters);
    const { requestId: _r, source, inputHash, model, conventions, ...rest } = body;
    assert.deepEqual(rest, report);
    assert.ok(body.exceptionDates.length > 10);
    assert.equal(source, 'lake');
    assert.equal(model, null);
    assert.deepEqual(conventions, BACKTEST_CONVENTIONS);
    assert.equal(inputHash, backtestInputHash(DAX, parameters));
    assert.equal(auditItems.length, 1);
    assert.equal(auditItems[0].status, 200);
    assert.equal(auditItems[0].modelVersion ?? null, null);
    assert.equal(auditItems[0].inputHash, inputHash);
  });

  test('prices in the body hash like the same history from the lake; defaults are the CLI’s', async () => {
    const viaBody = await call({ symbol: 'DAX', prices: points });
    const viaLake = await call({ symbol: 'DAX' });
    assert.equal(viaBody.res.statusCode, 200, viaBody.res.body);
    const a = viaBody.json as RiskBacktestResponse;
    const b = viaLake.json as RiskBacktestResponse;
    assert.equal(a.source, 'request');
    assert.equal(a.inputHash, b.inputHash);
    assert.equal(a.kupiec.statistic, b.kupiec.statistic);
    assert.deepEqual([a.method, a.window, a.confidence], ['historical', 250, 0.99]);
    assert.deepEqual(
      a.basel,
      backtestReport(seriesFromPoints(points, 'DAX'), { method: 'historical', window: 250, confidence: 0.99, significance: 0.05 }).basel,
    );
  });

  test('422 saying how many returns there are and how many the window needs', async () => {
    const { res, json, auditItems } = await call({ prices: points.slice(0, 200), window: 250 });
    assert.equal(res.statusCode, 422, res.body);
    const p = ProblemDetailsSchema.parse(json) as ProblemDetails;
    assert.equal(p.type, 'tag:riskfn,2026:insufficient-history');
    assert.equal(p.detail, 'the history has 199 returns; a window of 250 needs at least 252');
    assert.deepEqual(p.errors, [{ path: '/prices', message: '199 returns, need 252' }]);
    assert.equal(auditItems[0].status, 422);
  });

  test('400 for a bad method, window or significance; 404 for an unknown symbol', async () => {
    const bad = await call({ symbol: 'DAX', method: 'monte-carlo', window: 1.5, significance: 1 });
    assert.equal(bad.res.statusCode, 400);
    assert.deepEqual(
      (bad.json as ProblemDetails).errors?.map((e) => e.path),
      ['/method', '/window', '/significance'],
    );
    const unknown = await call({ symbol: 'NOPE' });
    assert.equal(unknown.res.statusCode, 404);
    assert.deepEqual((unknown.json as ProblemDetails).errors, [{ path: '/symbol', message: 'unknown symbol' }]);
    assert.equal(unknown.auditItems.length, 1);
  });
});

/**
 * The API Lambda through its real middy chain (Powertools logger, request facts, error
 * mapping, router, JSON body parser, route): every status, the success shape, and the audit
 * item each answer leaves. The domain and the model are real; the lake, registry and audit
 * table are in-memory (the audit through the real writer code over an in-memory table).
 * test/integration/api.test.ts covers the same chain on the emulators.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { INTERNAL_ERROR_DETAIL } from '../../../functions/api/problem-details.ts';
import { codeVersion } from '../../../lib/adapters/code-version.ts';
import { predictRiskLevel } from '../../../lib/domain/model/index.ts';
import { annualizedVolatility, historicalEs, historicalVar, maxDrawdownFromPrices, simpleReturns } from '../../../lib/domain/risk/index.ts';
import { RISK_CONVENTIONS } from '../../../lib/domain/scoring/conventions.ts';
import { hashCanonical, scoringInputHash, sha256Hex } from '../../../lib/domain/scoring/input-hash.ts';
import { seriesHash } from '../../../lib/domain/scoring/series-document.ts';
import { seriesFromPoints } from '../../../lib/domain/scoring/series-from-points.ts';
import { type ProblemDetails, ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { type RiskInstrumentResponse, RiskInstrumentResponseSchema } from '../../../lib/schemas/risk-instrument-response.ts';
import { FIXED_NOW, lambdaContext, memoryDependencies, proxyEvent, samplePrices, silentLogger, tinyModel } from './fixtures.ts';

type Deps = Parameters<typeof memoryDependencies>[0];

async function call(event: APIGatewayProxyEvent, deps: Deps = {}) {
  const { deps: d, auditItems } = memoryDependencies(deps);
  const handler = createApiHandler(d);
  const res = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  return { res, auditItems, json: JSON.parse(res.body) as unknown };
}

/** Calls and checks the problem document (RFC 9457 members, media type, instance, request id). */
async function problem(event: APIGatewayProxyEvent, status: number, deps: Deps = {}) {
  const out = await call(event, deps);
  assert.equal(out.res.statusCode, status, out.res.body);
  assert.equal(out.res.headers?.['Content-Type'], 'application/problem+json');
  const body = ProblemDetailsSchema.strict().parse(out.json) as ProblemDetails;
  assert.equal(body.status, status);
  assert.equal(body.instance, event.path);
  assert.equal(body.requestId, event.requestContext.requestId);
  // Every refusal is audited too.
  assert.equal(out.auditItems.length, 1);
  assert.equal(out.auditItems[0].status, status);
  assert.equal(out.auditItems[0].requestId, event.requestContext.requestId);
  assert.deepEqual(JSON.parse(out.auditItems[0].result ?? ''), body);
  return { ...out, body };
}

const DAX = samplePrices('DAX', 300);
const points = (s: typeof DAX) => s.dates.map((date, i) => ({ date, close: s.close[i] }));

describe('POST /v1/risk/instrument: 200', () => {
  test("prices in the body: the numbers are the risk engine's and the model's, and the answer is audited", async () => {
    const prices = points(DAX).slice(0, 250);
    const event = proxyEvent({ body: { symbol: 'MYFUND', prices, confidence: 0.99 } });
    const raw = event.body ?? ''; // the route replaces event.body with the parsed value
    const { res, json, auditItems } = await call(event);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers?.['Content-Type'], 'application/json');
    const body = RiskInstrumentResponseSchema.strict().parse(json) as RiskInstrumentResponse;

    const series = seriesFromPoints(prices, 'MYFUND');
    const r = simpleReturns(series.close);
    const dd = maxDrawdownFromPrices(series.close);
    const prediction = predictRiskLevel(tinyModel(), series);
    assert.equal(body.requestId, event.requestContext.requestId);
    assert.equal(body.symbol, 'MYFUND');
    assert.equal(body.source, 'request');
    assert.equal(body.asOf, prices[249].date);
    assert.equal(body.firstDate, prices[0].date);
    assert.equal(body.observations, 250);
    assert.equal(body.metrics.annualizedVolatility, annualizedVolatility(r, { periodsPerYear: 252 }));
    assert.deepEqual(body.metrics.historicalVar, { value: historicalVar(r, 0.99), confidence: 0.99, horizonDays: 1 });
    assert.equal(body.metrics.historicalEs.value, historicalEs(r, 0.99));
    assert.ok(body.metrics.historicalEs.value >= body.metrics.historicalVar.value);
    assert.deepEqual(body.metrics.maxDrawdown, {
      value: dd.maxDrawdown,
      peakDate: series.dates[dd.peakIndex],
      troughDate: series.dates[dd.troughIndex],
      recoveryDate: dd.recoveryIndex === null ? null : series.dates[dd.recoveryIndex],
    });
    assert.ok(body.metrics.maxDrawdown.value > 0.05, 'the 1991-92 DAX sample has a real drawdown');
    assert.equal(body.metrics.totalReturn, prices[249].close / prices[0].close - 1);
    assert.deepEqual(body.conventions, RISK_CONVENTIONS);
    assert.equal(body.model.version, 'v-test');
    assert.equal(body.model.promotedAt, '2026-11-24T00:00:00.000Z');
    assert.equal(body.model.riskLevel, prediction.riskLevel);
    assert.deepEqual(body.model.probabilities, prediction.probabilities);
    assert.equal(body.model.featuresAsOf, prices[249].date);
    assert.deepEqual(body.model.explanation.contributions, prediction.contributions.slice(0, 5));
    assert.equal(body.model.explanation.baseRate, prediction.baseRate);
    assert.equal(body.inputHash, scoringInputHash(series, 0.99));

    assert.equal(body.model.trainedThrough, tinyModel().training.to);
    assert.deepEqual(auditItems, [
      {
        requestId: event.requestContext.requestId,
        timestamp: FIXED_NOW.toISOString(),
        route: 'POST /v1/risk/instrument',
        status: 200,
        requestHash: `sha256:${sha256Hex(raw)}`,
        requestBytes: Buffer.byteLength(raw),
        requestExcerpt: raw.slice(0, 2048),
        requestTruncated: true,
        inputHash: body.inputHash,
        modelVersion: 'v-test',
        symbol: 'MYFUND',
        caller: { principal: null, accountId: null, sourceIp: '127.0.0.1', userAgent: null },
        // What reproduces the answer: the long body's copy, the series it carried, the model, the code and the conventions.
        lineage: {
          requestKey: `audit/requests/${sha256Hex(raw)}.json`,
          inputs: [{ symbol: 'MYFUND', source: 'request', sha256: seriesHash(seriesFromPoints(prices, 'MYFUND')) }],
          model: { version: 'v-test', promotedAt: '2026-11-24T00:00:00.000Z' },
          code: codeVersion(),
          conventions: hashCanonical(RISK_CONVENTIONS),
        },
        result: res.body,
      },
    ]);
  });

  test('a symbol reads the lake (case-insensitively) and hashes like the same prices in a body', async () => {
    const event = proxyEvent({ body: { symbol: 'dax' } });
    const { res, json } = await call(event, { lake: [DAX] });
    assert.equal(res.statusCode, 200, res.body);
    const body = json as RiskInstrumentResponse;
    assert.equal(body.symbol, 'DAX');
    assert.equal(body.source, 'lake');
    assert.equal(body.observations, 300);
    assert.equal(body.metrics.historicalVar.confidence, 0.95);
    const viaBody = await call(proxyEvent({ body: { symbol: 'DAX', prices: points(DAX) } }));
    assert.equal((viaBody.json as RiskInstrumentResponse).inputHash, body.inputHash);
  });

  test('corrupt lake objects left out of the history are named in dataWarnings; the numbers are those of the readable bars', async () => {
    const skipped = [{ key: 'curated/prices/year=2024/DAX.parquet', reason: 'not a readable Parquet file: bad magic' }];
    const { res, json } = await call(proxyEvent({ body: { symbol: 'DAX' } }), { readSeries: async () => ({ series: DAX, skipped }) });
    assert.equal(res.statusCode, 200, res.body);
    const body = RiskInstrumentResponseSchema.strict().parse(json) as RiskInstrumentResponse;
    assert.deepEqual(body.dataWarnings, skipped);
    const clean = await call(proxyEvent({ body: { symbol: 'DAX' } }), { lake: [DAX] });
    const cleanBody = clean.json as RiskInstrumentResponse;
    assert.equal(cleanBody.dataWarnings, undefined, 'no member when nothing was skipped');
    assert.equal(body.inputHash, cleanBody.inputHash);
  });

  test('without an API Gateway request id the Lambda request id is used', async () => {
    const { deps, auditItems } = memoryDependencies({ lake: [DAX] });
    const context = lambdaContext();
    const res = (await createApiHandler(deps)(proxyEvent({ body: { symbol: 'DAX' }, requestId: null }), context)) as APIGatewayProxyResult;
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(res.body).requestId, context.awsRequestId);
    assert.equal(auditItems[0].requestId, context.awsRequestId);
  });

  test('the Content-Type header name is matched in any case', async () => {
    const { res } = await call(proxyEvent({ body: { symbol: 'DAX' }, headers: { 'CONTENT-TYPE': 'application/json; charset=utf-8' } }), { lake: [DAX] });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('the request id is the log correlation id during the request, and is cleared after it', async () => {
    const { deps } = memoryDependencies({ lake: [DAX] });
    const logger = silentLogger();
    const seen: unknown[] = [];
    const info = logger.info.bind(logger) as (...args: unknown[]) => void;
    logger.info = ((...args: unknown[]) => {
      seen.push(logger.getCorrelationId());
      info(...args);
    }) as typeof logger.info;
    const event = proxyEvent({ body: { symbol: 'NOPE' } });
    await createApiHandler({ ...deps, logger })(event, lambdaContext());
    assert.deepEqual(seen, [event.requestContext.requestId]);
    assert.equal(logger.getCorrelationId(), undefined);
  });

  test('a trailing slash on the path is the same route', async () => {
    const { res } = await call(proxyEvent({ path: '/v1/risk/instrument/', body: { symbol: 'DAX' } }), { lake: [DAX] });
    assert.equal(res.statusCode, 200);
  });
});

describe('POST /v1/risk/instrument: problems', () => {
  test('400 for a body that is not JSON', async () => {
    const { body, auditItems } = await problem(proxyEvent({ body: '{"symbol": "DAX"' }), 400);
    assert.equal(body.type, 'tag:riskfn,2026:invalid-request');
    assert.equal(body.errors?.length, 1);
    assert.equal(body.errors?.[0].path, '');
    assert.match(body.errors?.[0].message ?? '', /JSON/);
    assert.equal(auditItems[0].inputHash, `sha256:${sha256Hex('{"symbol": "DAX"')}`, 'the raw text is hashed');
    assert.equal(auditItems[0].modelVersion, undefined);
  });

  test('400 for no body at all', async () => {
    const { body, auditItems } = await problem(proxyEvent({}), 400);
    assert.deepEqual(
      body.errors?.map((e) => e.path),
      [''],
    );
    assert.equal(auditItems[0].inputHash, `sha256:${sha256Hex('')}`, 'the hash of zero bytes');
  });

  test('400 naming each bad field', async () => {
    const { body, auditItems } = await problem(
      proxyEvent({
        body: {
          prices: [
            { date: '2024-01-03', close: 1 },
            { date: '2024-01-02', close: 0 },
          ],
          confidence: 2,
          extra: 1,
        },
      }),
      400,
    );
    assert.deepEqual(body.errors?.map((e) => e.path).sort(), ['/confidence', '/extra', '/prices/1/close', '/prices/1/date']);
    assert.equal(body.title, 'Invalid request');
    assert.equal(auditItems[0].inputHash, auditItems[0].requestHash, 'a refusal records the hash of the body as received');
  });

  test('415 when the body is not declared as JSON', async () => {
    const { body } = await problem(proxyEvent({ body: 'symbol=DAX', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415);
    assert.equal(body.type, 'about:blank');
    assert.equal(body.title, 'Unsupported Media Type');
  });

  test('404 for an unknown route', async () => {
    const { body, auditItems } = await problem(proxyEvent({ method: 'GET', path: '/v1/nothing-here' }), 404);
    assert.equal(body.type, 'about:blank');
    assert.equal(body.title, 'Not Found');
    assert.equal(auditItems[0].route, 'GET /v1/nothing-here');
  });

  test('405 with Allow for a known route and the wrong method', async () => {
    const { res, body } = await problem(proxyEvent({ method: 'GET', path: '/v1/risk/instrument' }), 405);
    assert.equal(res.headers?.Allow, 'POST');
    assert.equal(body.title, 'Method Not Allowed');
  });

  test('404 for a symbol the lake does not have', async () => {
    const { body } = await problem(proxyEvent({ body: { symbol: 'NOPE' } }), 404, { lake: [DAX] });
    assert.equal(body.type, 'tag:riskfn,2026:unknown-symbol');
    assert.deepEqual(body.errors, [{ path: '/symbol', message: 'unknown symbol' }]);
    assert.match(body.detail ?? '', /NOPE/);
  });

  test('503 saying there is no champion model yet', async () => {
    const { body, auditItems } = await problem(proxyEvent({ body: { symbol: 'DAX' } }), 503, { lake: [DAX], champion: null });
    assert.equal(body.type, 'tag:riskfn,2026:no-champion-model');
    assert.match(body.detail ?? '', /no champion model/);
    assert.equal(auditItems[0].modelVersion, undefined);
  });

  test('503 naming the symbol and the objects when every lake object of the symbol is corrupt', async () => {
    const skipped = [{ key: 'staging/prices/symbol=DAX/shardId-000000000000-7-2024.parquet', reason: 'not the bar schema: has 3 columns, expected 14' }];
    const { body } = await problem(proxyEvent({ body: { symbol: 'dax' } }), 503, { readSeries: async () => ({ series: null, skipped }) });
    assert.equal(body.type, 'tag:riskfn,2026:lake-data-unavailable');
    assert.equal(body.title, 'Lake data unavailable');
    assert.match(body.detail ?? '', /"dax"/);
    assert.match(body.detail ?? '', /shardId-000000000000-7-2024\.parquet: not the bar schema/);
  });

  test('422 when the history is too short for the model', async () => {
    const { body, auditItems } = await problem(proxyEvent({ body: { prices: points(DAX).slice(0, 60) } }), 422);
    assert.equal(body.type, 'tag:riskfn,2026:insufficient-history');
    assert.deepEqual(
      body.errors?.map((e) => e.path),
      ['/prices'],
    );
    assert.match(body.detail ?? '', /60/);
    assert.equal(auditItems[0].modelVersion, 'v-test', 'the model that refused is recorded');
  });

  test('422 for a short lake history names the symbol field', async () => {
    const { body } = await problem(proxyEvent({ body: { symbol: 'DAX' } }), 422, { lake: [samplePrices('DAX', 40)] });
    assert.deepEqual(
      body.errors?.map((e) => e.path),
      ['/symbol'],
    );
  });

  test('500 names no internals', async () => {
    const { body } = await problem(proxyEvent({ body: { symbol: 'DAX' } }), 500, {
      readSeries: async () => {
        throw new Error('s3://secret-bucket/internal/key AccessDenied');
      },
    });
    assert.equal(body.detail, INTERNAL_ERROR_DETAIL);
    assert.equal(body.type, 'about:blank');
    assert.doesNotMatch(JSON.stringify(body), /secret|AccessDenied/);
  });

  test('a failed audit write turns a success into a 500 (no unaudited answers)', async () => {
    const { res } = await call(proxyEvent({ body: { symbol: 'DAX' } }), { lake: [DAX], auditFail: new Error('dynamodb down') });
    assert.equal(res.statusCode, 500);
    assert.doesNotMatch(res.body, /dynamodb/);
  });

  test('a failed audit write does not hide a 400', async () => {
    const { res } = await call(proxyEvent({ body: { symbol: 1 } }), { auditFail: new Error('dynamodb down') });
    assert.equal(res.statusCode, 400);
  });
});

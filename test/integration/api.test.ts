/**
 * The scoring API end to end on the emulators: bars seeded as compacted Parquet objects, a small
 * real model stored in S3 and promoted in the DynamoDB registry, the real Lambda entry point
 * (functions/api.ts) served by the local API Gateway stand-in, called with fetch. Checks the
 * answer's numbers against the domain functions and that each answer's audit item exists.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../lib/adapters/clients.ts';
import { promoteChampion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { putArtifactText } from '../../lib/adapters/s3/model-store.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import { curatedObjectKey, stagingObjectKey } from '../../lib/domain/lake/keys.ts';
import { encodeBars } from '../../lib/domain/lake/parquet-bars.ts';
import { buildTrainingSet, predictRiskLevel, serializeArtifact, trainRiskModel } from '../../lib/domain/model/index.ts';
import { annualizedVolatility, historicalVar, maxDrawdownFromPrices, simpleReturns } from '../../lib/domain/risk/index.ts';
import { scoringInputHash } from '../../lib/domain/scoring/input-hash.ts';
import { type ApiServer, startApiServer } from '../../lib/local/api-server.ts';
import { type ProblemDetails, ProblemDetailsSchema } from '../../lib/schemas/problem-details.ts';
import { REQUEST_LIMITS } from '../../lib/schemas/request-limits.ts';
import { type RiskInstrumentResponse, RiskInstrumentResponseSchema } from '../../lib/schemas/risk-instrument-response.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { TEST_SHARD } from '../helpers/lake-bar.ts';
import { barsOfSeries, putCompacted, putObject } from '../helpers/lake-seed.ts';
import { samplePrices } from '../unit/api/fixtures.ts';

const bucket = DATA_LAKE_BUCKET.localName;
const DAX = samplePrices('DAX', 400);
const VERSION = 'it-20261125-1';

async function post(body: unknown, init: RequestInit = {}) {
  const res = await fetch(`${server.url}/v1/risk/instrument`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return { res, json: (await res.json()) as unknown };
}

async function auditItem(requestId: string) {
  const out = await dynamoDocumentClient().send(new GetCommand({ TableName: AUDIT_TABLE.name, Key: { requestId }, ConsistentRead: true }));
  return out.Item;
}

let server: ApiServer;

describe('scoring API on the emulators', () => {
  useEmulators(); // starts them before this suite's hooks and points process.env at them

  before(async () => {
    // Quiet the handler's INFO logs in test output; the logger reads this when the module loads.
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    const { handler } = await import('../../functions/api.ts');
    server = await startApiServer({ handler, port: 0 });
    await putCompacted(bucket, barsOfSeries(DAX));
  });
  after(async () => {
    await server?.close();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  test('503 before any model is promoted, and the refusal is audited', async () => {
    const { res, json } = await post({ symbol: 'DAX' });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const body = ProblemDetailsSchema.parse(json) as ProblemDetails;
    assert.match(body.detail ?? '', /no champion model/);
    const item = await auditItem(body.requestId!);
    assert.equal(item?.status, 503);
    assert.equal(item?.modelVersion, undefined, 'no model involved: the item is not in the byModelVersion index');
  });

  test('200 for a lake symbol once a champion exists: numbers equal the domain functions, audit item written', async () => {
    const training = buildTrainingSet([samplePrices('DAX', 500), samplePrices('CAC', 500)]);
    const { artifact } = trainRiskModel(training, { trees: 5, permutationRepeats: 0 });
    const artifactKey = await putArtifactText(bucket, VERSION, serializeArtifact({ ...artifact, version: VERSION }));
    await promoteChampion({ version: VERSION, artifactKey, score: 0.5, promotedAt: '2026-11-25T08:00:00.000Z' }, null);

    const { res, json } = await post({ symbol: 'dax', confidence: 0.975 });
    assert.equal(res.status, 200, JSON.stringify(json));
    const body = RiskInstrumentResponseSchema.parse(json) as RiskInstrumentResponse;
    const r = simpleReturns(DAX.close);
    const dd = maxDrawdownFromPrices(DAX.close);
    const prediction = predictRiskLevel(artifact, DAX);
    assert.equal(body.symbol, 'DAX');
    assert.equal(body.source, 'lake');
    assert.equal(body.observations, 400);
    assert.equal(body.asOf, DAX.dates[399]);
    assert.equal(body.metrics.annualizedVolatility, annualizedVolatility(r, { periodsPerYear: 252 }));
    assert.equal(body.metrics.historicalVar.value, historicalVar(r, 0.975));
    assert.equal(body.metrics.maxDrawdown.value, dd.maxDrawdown);
    assert.equal(body.metrics.maxDrawdown.peakDate, DAX.dates[dd.peakIndex]);
    assert.equal(body.metrics.maxDrawdown.troughDate, DAX.dates[dd.troughIndex]);
    assert.equal(body.model.version, VERSION);
    assert.equal(body.model.riskLevel, prediction.riskLevel);
    assert.deepEqual(body.model.probabilities, prediction.probabilities);
    assert.equal(body.inputHash, scoringInputHash(DAX, 0.975));

    const item = await auditItem(body.requestId);
    assert.ok(item, 'audit item exists');
    assert.equal(item.status, 200);
    assert.equal(item.route, 'POST /v1/risk/instrument');
    assert.equal(item.modelVersion, VERSION);
    assert.equal(item.inputHash, body.inputHash);
    assert.match(item.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.deepEqual(JSON.parse(item.result), json);
  });

  test('a corrupt lake object is skipped, not a 500: 200 with dataWarnings, or 503 naming the symbol when nothing is readable', async () => {
    const CAC = samplePrices('CAC', 300);
    await putCompacted(bucket, barsOfSeries(CAC));
    const corrupt = stagingObjectKey({ symbol: 'CAC', shardId: TEST_SHARD, sequenceNumber: '99', year: Number(CAC.dates[0]!.slice(0, 4)) });
    await putObject(bucket, corrupt, 'not parquet at all');

    const { res, json } = await post({ symbol: 'CAC' });
    assert.equal(res.status, 200, JSON.stringify(json));
    const body = RiskInstrumentResponseSchema.parse(json) as RiskInstrumentResponse;
    assert.equal(body.observations, 300);
    assert.equal(body.inputHash, scoringInputHash(CAC, 0.95));
    assert.deepEqual(
      body.dataWarnings?.map((w) => w.key),
      [corrupt],
    );
    assert.match(body.dataWarnings![0]!.reason, /not a readable Parquet file/);
    assert.deepEqual(JSON.parse((await auditItem(body.requestId))?.result), json);

    const onlyCorrupt = curatedObjectKey({ symbol: 'SMI', year: 2024 });
    await putObject(bucket, onlyCorrupt, encodeBars(barsOfSeries(samplePrices('SMI', 3))).slice(0, 40));
    const refused = await post({ symbol: 'SMI' });
    assert.equal(refused.res.status, 503);
    const problem = ProblemDetailsSchema.parse(refused.json) as ProblemDetails;
    assert.equal(problem.type, 'tag:riskfn,2026:lake-data-unavailable');
    assert.match(problem.detail ?? '', /"SMI".*curated\/prices\/year=2024\/SMI\.parquet/);
  });

  test('prices in the body are scored without the lake, and equal the lake answer for the same history', async () => {
    const prices = DAX.dates.map((date, i) => ({ date, close: DAX.close[i] }));
    const fromBody = await post({ symbol: 'DAX', prices, confidence: 0.975 });
    const fromLake = await post({ symbol: 'DAX', confidence: 0.975 });
    assert.equal(fromBody.res.status, 200);
    const a = fromBody.json as RiskInstrumentResponse;
    const b = fromLake.json as RiskInstrumentResponse;
    assert.equal(a.source, 'request');
    assert.equal(a.inputHash, b.inputHash);
    assert.deepEqual(a.metrics, b.metrics);
    assert.deepEqual(a.model, b.model);
    assert.notEqual(a.requestId, b.requestId);
  });

  test('404 for an unknown symbol, 400 for a bad body, 404/405 for routes; each audited', async () => {
    const cases: Array<{ call: Promise<Response>; status: number; path?: string }> = [
      {
        call: fetch(`${server.url}/v1/risk/instrument`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"symbol":"NOPE"}' }),
        status: 404,
        path: '/symbol',
      },
      {
        call: fetch(`${server.url}/v1/risk/instrument`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"symbol":"DAX","confidence":1.5}',
        }),
        status: 400,
        path: '/confidence',
      },
      {
        call: fetch(`${server.url}/v1/risk/instrument`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"symbol":' }),
        status: 400,
        path: '',
      },
      { call: fetch(`${server.url}/v1/nowhere`), status: 404 },
      { call: fetch(`${server.url}/v1/risk/instrument`), status: 405 },
    ];
    for (const c of cases) {
      const res = await c.call;
      const body = (await res.json()) as ProblemDetails;
      assert.equal(res.status, c.status, JSON.stringify(body));
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      if (c.path !== undefined) assert.equal(body.errors?.[0].path, c.path);
      if (c.status === 405) assert.equal(res.headers.get('allow'), 'POST');
      const item = await auditItem(body.requestId!);
      assert.equal(item?.status, c.status);
    }
  });

  test('422 for a body history too short for the model', async () => {
    const prices = DAX.dates.slice(0, 30).map((date, i) => ({ date, close: DAX.close[i] }));
    const { res, json } = await post({ prices });
    assert.equal(res.status, 422);
    assert.equal((json as ProblemDetails).type, 'tag:riskfn,2026:insufficient-history');
    assert.equal((await auditItem((json as ProblemDetails).requestId!))?.modelVersion, VERSION);
  });

  test('413 for a body over the request limit, answered by the handler and audited', async () => {
    const { res, json } = await post(`{"symbol":"DAX","pad":"${'x'.repeat(REQUEST_LIMITS.bodyBytes)}"}`);
    assert.equal(res.status, 413);
    const problem = json as ProblemDetails;
    assert.equal(problem.limit?.name, 'bodyBytes');
    assert.equal((await auditItem(problem.requestId!))?.status, 413);
  });
});

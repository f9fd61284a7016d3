/**
 * The audit trail end to end on the emulators: the real API entry point (functions/api.ts)
 * behind the local API Gateway stand-in, the real audit writer code (in-process, as locally),
 * DynamoDB items with their indexes on dynalite and overflowing answers on s3rver. Proves one
 * item per answer for the hostile bodies, the overflow to S3, the caller, that the writer never
 * replaces an item, and that a repeated request id gets its first answer (or a 409), never a 500.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { auditLog, inProcessAuditWriter } from '../../functions/api/audit-log.ts';
import { AUDIT_REPLAY_HEADER } from '../../functions/api/audit-trail.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { awsApiDependencies } from '../../functions/api/dependencies.ts';
import { handler as auditWriterHandler } from '../../functions/audit-writer.ts';
import { dynamoDocumentClient } from '../../lib/adapters/clients.ts';
import { dynamoAuditTable } from '../../lib/adapters/dynamodb/audit-log.ts';
import { promoteChampion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { s3AuditResultStore } from '../../lib/adapters/s3/audit-store.ts';
import { putArtifactText } from '../../lib/adapters/s3/model-store.ts';
import { getText } from '../../lib/adapters/s3/objects.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import { serializeArtifact } from '../../lib/domain/model/index.ts';
import { sha256Hex } from '../../lib/domain/scoring/input-hash.ts';
import { type ApiServer, startApiServer } from '../../lib/local/api-server.ts';
import { type AuditRecord, AuditRecordSchema } from '../../lib/schemas/audit-record.ts';
import type { AuditItemResponse, AuditListResponse } from '../../lib/schemas/audit-responses.ts';
import type { ProblemDetails } from '../../lib/schemas/problem-details.ts';
import { REQUEST_LIMITS } from '../../lib/schemas/request-limits.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { barsOfSeries, putCompacted } from '../helpers/lake-seed.ts';
import { lambdaContext, proxyEvent, samplePrices, tinyModel } from '../unit/api/fixtures.ts';

const bucket = DATA_LAKE_BUCKET.localName;
const VERSION = 'it-audit-20261130-1';
const PRINCIPAL = 'arn:aws:iam::123456789012:user/compliance-test';
const table = dynamoAuditTable();

let server: ApiServer;
/** The same API with a 1 KiB inline limit, so an ordinary answer overflows to S3. */
let smallInlineServer: ApiServer;

async function send(base: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, { ...init, headers: { 'Content-Type': 'application/json', 'User-Agent': 'audit-it/1.0', ...init.headers } });
  const json = (await res.json()) as Record<string, unknown>;
  return { res, json, requestId: json.requestId as string };
}

/** Items in the whole table (a test-only Scan: the API itself only ever queries). */
async function countItems(): Promise<number> {
  const out = await dynamoDocumentClient().send(new ScanCommand({ TableName: AUDIT_TABLE.name, Select: 'COUNT', ConsistentRead: true }));
  return out.Count ?? 0;
}

async function itemOf(requestId: string): Promise<AuditRecord> {
  const item = await table.get(requestId);
  assert.ok(item, `audit item of ${requestId}`);
  return AuditRecordSchema.strict().parse(item);
}

describe('audit trail on the emulators', () => {
  useEmulators();
  /** Request ids answered so far, with their status. */
  const answered = new Map<string, number>();

  before(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'; // read when the handler module loads
    const { handler } = await import('../../functions/api.ts');
    server = await startApiServer({ handler, port: 0 });
    const store = s3AuditResultStore();
    const deps = { ...awsApiDependencies(), audit: auditLog({ table, store, writer: inProcessAuditWriter({ table, store, inlineResultBytes: 1024 }) }) };
    smallInlineServer = await startApiServer({ handler: createApiHandler(deps), port: 0 });
    await putCompacted(bucket, barsOfSeries(samplePrices('DAX', 300)));
  });
  after(async () => {
    await server?.close();
    await smallInlineServer?.close();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  test('500 (the champion artifact is missing): one item, the problem inline', async () => {
    await promoteChampion(
      { version: 'missing-artifact', artifactKey: 'models/missing/artifact.json', score: 0.1, promotedAt: '2026-11-30T08:00:00.000Z' },
      null,
    );
    const { res, json, requestId } = await send(server.url, '/v1/risk/instrument', { method: 'POST', body: '{"symbol":"DAX"}' });
    assert.equal(res.status, 500);
    answered.set(requestId, 500);
    const item = await itemOf(requestId);
    assert.equal(item.status, 500);
    assert.deepEqual(JSON.parse(item.result ?? ''), json);
    assert.equal(item.symbol, 'DAX');
  });

  test('200 with the caller filled by the local server (principal header, user agent, source IP)', async () => {
    const artifactKey = await putArtifactText(bucket, VERSION, serializeArtifact({ ...tinyModel(), version: VERSION }));
    await promoteChampion({ version: VERSION, artifactKey, score: 0.5, promotedAt: '2026-11-30T09:00:00.000Z' }, 'missing-artifact');
    const body = '{"symbol":"dax"}';
    const { res, json, requestId } = await send(server.url, '/v1/risk/instrument', { method: 'POST', body, headers: { 'X-Riskfn-Principal': PRINCIPAL } });
    assert.equal(res.status, 200, JSON.stringify(json));
    answered.set(requestId, 200);
    const item = await itemOf(requestId);
    assert.deepEqual(item.caller, { principal: PRINCIPAL, accountId: '123456789012', sourceIp: '127.0.0.1', userAgent: 'audit-it/1.0' });
    assert.equal(item.requestHash, `sha256:${sha256Hex(body)}`);
    assert.equal(item.requestExcerpt, body);
    assert.equal(item.inputHash, json.inputHash);
    assert.equal(item.modelVersion, VERSION);
    assert.equal(item.symbol, 'DAX');
    assert.deepEqual(JSON.parse(item.result ?? ''), json);
  });

  const hostile: Array<[string, string, number, string]> = [
    ['{"symbol":"DAX","confidence":1e999}', '{"symbol":"DAX","confidence":1e999}', 400, 'tag:riskfn,2026:invalid-request'],
    ['a body nested 4,000 deep', `${'['.repeat(4000)}${']'.repeat(4000)}`, 400, 'tag:riskfn,2026:limit-exceeded'],
    ['a body with one 300 KB key', `{"${'k'.repeat(300 * 1024)}":1}`, 400, 'tag:riskfn,2026:limit-exceeded'],
    ['a body over the size limit', `{"symbol":"DAX","pad":"${'x'.repeat(REQUEST_LIMITS.bodyBytes)}"}`, 413, 'tag:riskfn,2026:limit-exceeded'],
  ];
  for (const [what, body, status, type] of hostile) {
    test(`${status} for ${what}: one bounded item with the hash of the raw bytes`, async () => {
      const { res, json, requestId } = await send(server.url, '/v1/risk/instrument', { method: 'POST', body });
      assert.equal(res.status, status);
      assert.equal((json as ProblemDetails).type, type);
      answered.set(requestId, status);
      const item = await itemOf(requestId);
      assert.equal(item.status, status);
      assert.equal(item.requestHash, `sha256:${sha256Hex(body)}`);
      assert.equal(item.requestBytes, Buffer.byteLength(body));
      assert.equal(item.requestExcerpt, body.slice(0, 2048));
      assert.ok(JSON.stringify(item).length < 8 * 1024);
    });
  }

  test('404 for an unknown route: one item, in neither index', async () => {
    const { res, requestId } = await send(server.url, '/v1/nowhere');
    assert.equal(res.status, 404);
    answered.set(requestId, 404);
    const item = await itemOf(requestId);
    assert.equal(item.route, 'GET /v1/nowhere');
    assert.equal(item.symbol, undefined);
    assert.equal(item.modelVersion, undefined);
  });

  test('an answer too large for the item goes to S3 under audit/<yyyy>/<mm>/<dd>/<requestId>.json with its hash', async () => {
    const res = await fetch(`${smallInlineServer.url}/v1/risk/instrument`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"symbol":"DAX"}',
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const requestId = (JSON.parse(text) as { requestId: string }).requestId;
    answered.set(requestId, 200);
    const item = await itemOf(requestId);
    assert.equal(item.result, undefined);
    const day = item.timestamp.slice(0, 10).replaceAll('-', '/');
    assert.deepEqual(item.resultRef, { key: `audit/${day}/${requestId}.json`, sha256: `sha256:${sha256Hex(text)}`, bytes: Buffer.byteLength(text) });
    assert.equal(await getText(bucket, item.resultRef?.key ?? ''), text);
  });

  test('exactly one item per answer: the table holds as many items as answers so far', async () => {
    assert.equal(answered.size, 8, '500, 200, four hostile bodies, 404, overflowing 200');
    assert.equal(await countItems(), answered.size);
  });

  test('the writer never replaces an item: a second write of a request id is a conflict, item and S3 object unchanged', async () => {
    const [inlineId] = [...answered].find(([, s]) => s === 200) ?? [];
    const before = await itemOf(inlineId!);
    const { result: _r, resultRef: _ref, ...fields } = before;
    const forged = { record: { ...fields, status: 200 }, result: '{"riskLevel":"low"}' };
    assert.deepEqual(await auditWriterHandler(forged, lambdaContext()), { outcome: 'conflict' });
    assert.deepEqual(await itemOf(inlineId!), before);

    const overflowed = [...answered.keys()].at(-1)!;
    const item = await itemOf(overflowed);
    const stored = await getText(bucket, item.resultRef?.key ?? '');
    const { result: _r2, resultRef: _ref2, ...overflowFields } = item;
    const big = { record: overflowFields, result: JSON.stringify({ riskLevel: 'low', pad: 'x'.repeat(300 * 1024) }) };
    assert.deepEqual(await auditWriterHandler(big, lambdaContext()), { outcome: 'conflict' });
    assert.equal(await getText(bucket, item.resultRef?.key ?? ''), stored, 'If-None-Match: * kept the first object');
    assert.deepEqual(await itemOf(overflowed), item);
  });

  test('a repeated request id answers the first answer with the replay header; never a 500', async () => {
    const { handler } = await import('../../functions/api.ts');
    const event = proxyEvent({ body: { symbol: 'DAX' }, requestId: 'it-repeated-request-id' });
    const first = (await handler({ ...event }, lambdaContext())) as APIGatewayProxyResult;
    assert.equal(first.statusCode, 200, first.body);
    const again = (await handler({ ...event, body: '{"symbol":"NOPE"}' }, lambdaContext())) as APIGatewayProxyResult;
    assert.equal(again.statusCode, 200);
    assert.equal(again.body, first.body);
    assert.equal(again.headers?.[AUDIT_REPLAY_HEADER], 'it-repeated-request-id');
    assert.equal(JSON.parse((await itemOf('it-repeated-request-id')).result ?? '').requestId, 'it-repeated-request-id');
  });

  test('a repeated request id whose first answer cannot be read back: 409, never a 500', async () => {
    const { handler } = await import('../../functions/api.ts');
    const base = await itemOf([...answered].find(([, s]) => s === 404)![0]);
    const { result: _r, ...fields } = base;
    // An item whose answer body was lost from S3 (its object key does not exist).
    await table.putNew({
      ...fields,
      requestId: 'it-lost-answer',
      resultRef: { key: 'audit/2026/11/30/it-lost-answer.json', sha256: base.requestHash, bytes: 10 },
    });
    const res = (await handler(proxyEvent({ method: 'GET', path: '/health', requestId: 'it-lost-answer' }), lambdaContext())) as APIGatewayProxyResult;
    assert.equal(res.statusCode, 409, res.body);
    assert.equal((JSON.parse(res.body) as ProblemDetails).type, 'tag:riskfn,2026:request-id-conflict');
  });

  test('GET /v1/audit by symbol and by model version (Query on the indexes), GET /v1/audit/{requestId}', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const bySymbol = await send(server.url, `/v1/audit?symbol=dax&from=${today}&to=${today}&limit=100`);
    assert.equal(bySymbol.res.status, 200, JSON.stringify(bySymbol.json));
    const symbolIds = (bySymbol.json as unknown as AuditListResponse).items.map((i) => i.requestId);
    const daxAnswers = [...answered.keys()].filter((id) => symbolIds.includes(id));
    assert.ok(daxAnswers.length >= 4, `the 500, the 200s and the 1e999 refusal are about DAX: ${daxAnswers.length}`);
    const timestamps = (bySymbol.json as unknown as AuditListResponse).items.map((i) => i.timestamp);
    assert.deepEqual(timestamps, [...timestamps].sort().reverse(), 'newest first');

    const byModel = (await send(server.url, `/v1/audit?modelVersion=${VERSION}`)).json as unknown as AuditListResponse;
    assert.ok(byModel.items.length >= 3);
    assert.ok(byModel.items.every((i) => i.modelVersion === VERSION));

    const id = [...answered].find(([, s]) => s === 200)![0];
    const one = (await send(server.url, `/v1/audit/${id}`)).json as unknown as AuditItemResponse;
    assert.equal(one.requestId, id);
    assert.equal((one.result as { requestId: string }).requestId, id);
  });
});

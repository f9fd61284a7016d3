/**
 * GET /v1/audit/{requestId} and GET /v1/audit through the real middy chain over the in-memory
 * audit table: the item with its answer parsed, pages of one symbol or model version newest
 * first through index queries (the table double has no scan at all), and every refusal.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import type { AuditRecord } from '../../../lib/schemas/audit-record.ts';
import { type AuditItemResponse, AuditItemResponseSchema, type AuditListResponse, AuditListResponseSchema } from '../../../lib/schemas/audit-responses.ts';
import { ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { lambdaContext, memoryDependencies, proxyEvent } from './fixtures.ts';

const item = (n: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
  requestId: `req-${String(n).padStart(2, '0')}`,
  timestamp: `2026-11-${String(n).padStart(2, '0')}T12:00:00.000Z`,
  route: 'POST /v1/risk/instrument',
  status: 200,
  requestHash: `sha256:${'b'.repeat(64)}`,
  requestBytes: 16,
  requestExcerpt: '{"symbol":"DAX"}',
  requestTruncated: false,
  inputHash: `sha256:${'a'.repeat(64)}`,
  modelVersion: n % 2 === 0 ? 'v-even' : 'v-odd',
  symbol: 'DAX',
  caller: { principal: null, accountId: null, sourceIp: '127.0.0.1', userAgent: null },
  result: `{"n":${n}}`,
  ...over,
});

/** A handler over an audit table holding items 1..20 of November (DAX), one CAC item and one overflowed item. */
async function setup() {
  const mem = memoryDependencies({});
  for (let n = 1; n <= 20; n++) await mem.auditTable.putNew(item(n));
  await mem.auditTable.putNew(item(21, { symbol: 'CAC' }));
  await mem.auditTable.putNew(
    item(22, {
      symbol: undefined,
      modelVersion: undefined,
      result: undefined,
      resultRef: { key: 'audit/2026/11/22/req-22.json', sha256: `sha256:${'c'.repeat(64)}`, bytes: 300000 },
    }),
  );
  const handler = createApiHandler(mem.deps);
  const get = async (path: string, query: Record<string, string> | null = null) => {
    const event = proxyEvent({ method: 'GET', path });
    event.queryStringParameters = query;
    const res = (await handler(event, lambdaContext())) as APIGatewayProxyResult;
    return { res, json: JSON.parse(res.body) as unknown };
  };
  return { ...mem, get };
}

describe('GET /v1/audit/{requestId}', () => {
  test('the item, its inline answer parsed back into JSON', async () => {
    const { get } = await setup();
    const { res, json } = await get('/v1/audit/req-07');
    assert.equal(res.statusCode, 200, res.body);
    const body = AuditItemResponseSchema.strict().parse(json) as AuditItemResponse;
    assert.deepEqual(body, { ...item(7), result: { n: 7 } });
  });

  test('an overflowed answer is given by its reference', async () => {
    const { get } = await setup();
    const body = (await get('/v1/audit/req-22')).json as AuditItemResponse;
    assert.equal(body.result, undefined);
    assert.deepEqual(body.resultRef, { key: 'audit/2026/11/22/req-22.json', sha256: `sha256:${'c'.repeat(64)}`, bytes: 300000 });
  });

  test('404 naming an unknown request id; the lookup itself is audited without a symbol', async () => {
    const { get, auditItems } = await setup();
    const { res, json } = await get('/v1/audit/nope');
    assert.equal(res.statusCode, 404);
    const p = ProblemDetailsSchema.parse(json);
    assert.equal(p.type, 'tag:riskfn,2026:unknown-audit-record');
    assert.match(p.detail ?? '', /"nope"/);
    const own = auditItems.at(-1);
    assert.equal(own?.route, 'GET /v1/audit/nope');
    assert.equal(own?.status, 404);
    assert.equal(own?.symbol, undefined);
  });

  test('looking up a DAX item is not itself an answer about DAX', async () => {
    const { get, auditItems } = await setup();
    await get('/v1/audit/req-03');
    const own = auditItems.at(-1);
    assert.equal(own?.route, 'GET /v1/audit/req-03');
    assert.equal(own?.symbol, undefined);
    assert.equal(own?.modelVersion, undefined);
  });
});

describe('GET /v1/audit', () => {
  test('a symbol (any case) between two days, newest first, without answer bodies; pages follow the cursor', async () => {
    const { get, auditTable } = await setup();
    const first = await get('/v1/audit', { symbol: 'dax', from: '2026-11-05', to: '2026-11-14', limit: '4' });
    assert.equal(first.res.statusCode, 200, first.res.body);
    const page1 = AuditListResponseSchema.parse(first.json) as AuditListResponse;
    assert.deepEqual(
      page1.items.map((i) => i.requestId),
      ['req-14', 'req-13', 'req-12', 'req-11'],
    );
    assert.equal('result' in page1.items[0], false);
    const { result: _r, ...summary } = item(14);
    assert.deepEqual(page1.items[0], summary);
    const ids = page1.items.map((i) => i.requestId);
    let cursor = page1.nextCursor;
    while (cursor) {
      const page = (await get('/v1/audit', { symbol: 'DAX', from: '2026-11-05', to: '2026-11-14', limit: '4', cursor })).json as AuditListResponse;
      ids.push(...page.items.map((i) => i.requestId));
      cursor = page.nextCursor;
    }
    assert.deepEqual(ids, ['req-14', 'req-13', 'req-12', 'req-11', 'req-10', 'req-09', 'req-08', 'req-07', 'req-06', 'req-05']);
    assert.deepEqual(auditTable.queries[0], {
      by: 'symbol',
      value: 'DAX',
      fromTimestamp: '2026-11-05T00:00:00.000Z',
      toTimestamp: '2026-11-14T23:59:59.999Z',
      limit: 4,
      cursor: undefined,
    });
  });

  test('by model version, default page size 50, one bound', async () => {
    const { get, auditTable } = await setup();
    const body = (await get('/v1/audit', { modelVersion: 'v-even', from: '2026-11-15' })).json as AuditListResponse;
    assert.deepEqual(
      body.items.map((i) => i.requestId),
      ['req-20', 'req-18', 'req-16'],
    );
    assert.equal(body.nextCursor, null);
    assert.equal(auditTable.queries[0].limit, 50);
    assert.equal(auditTable.queries[0].by, 'modelVersion');
  });

  const refusals: Array<[string, Record<string, string> | null, string[]]> = [
    ['neither symbol nor modelVersion', null, ['/symbol']],
    ['both', { symbol: 'DAX', modelVersion: 'v1' }, ['/modelVersion']],
    ['a malformed date', { symbol: 'DAX', from: '2026-02-30' }, ['/from']],
    ['to before from', { symbol: 'DAX', from: '2026-11-10', to: '2026-11-01' }, ['/to']],
    ['limit out of range', { symbol: 'DAX', limit: '101' }, ['/limit']],
    ['an unknown parameter', { symbol: 'DAX', sort: 'asc' }, ['/sort']],
    ['a cursor the listing did not issue', { symbol: 'DAX', cursor: 'bm90LWEtY3Vyc29y' }, ['/cursor']],
  ];
  for (const [what, query, paths] of refusals) {
    test(`400 for ${what}, naming the parameter`, async () => {
      const { get } = await setup();
      const { res, json } = await get('/v1/audit', query);
      assert.equal(res.statusCode, 400, res.body);
      const p = ProblemDetailsSchema.parse(json);
      assert.deepEqual(
        p.errors?.map((e) => e.path),
        paths,
      );
    });
  }
});

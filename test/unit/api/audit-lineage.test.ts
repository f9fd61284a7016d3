/**
 * The lineage in the audit trail: what the API sends the writer (the input copies once per
 * container, the long request body), what the writer checks and stores before the item, and that
 * the lineage shares the item's room with an inline answer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { auditLog } from '../../../functions/api/audit-log.ts';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { AuditLineageMismatchError, writeAuditEntry } from '../../../lib/adapters/write-audit-entry.ts';
import { sha256Hex } from '../../../lib/domain/scoring/input-hash.ts';
import { seriesCopy } from '../../../lib/domain/scoring/series-document.ts';
import type { AuditWriteRequest } from '../../../lib/schemas/audit-record.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices } from './fixtures.ts';
import { memoryAuditTable, memoryResultStore } from './memory-audit.ts';

const DAX = samplePrices('DAX', 300);

/** The API over an in-memory lake, with every write request the audit writer receives kept in `sent`. */
function apiWithWriterSpy() {
  const table = memoryAuditTable();
  const store = memoryResultStore();
  const sent: AuditWriteRequest[] = [];
  const audit = auditLog({
    table,
    store,
    writer: (request) => {
      sent.push(request);
      return writeAuditEntry(request, { table, store });
    },
  });
  const { deps } = memoryDependencies({ lake: [DAX] });
  const handler = createApiHandler({ ...deps, audit });
  const call = async (body: unknown) => (await handler(proxyEvent({ body }), lambdaContext())) as APIGatewayProxyResult;
  return { table, store, sent, call, handler };
}

describe('the API sends the writer its lineage copies', () => {
  test('a lake series is sent (and stored, content-addressed) once per container; later answers only name it', async () => {
    const { table, store, sent, call } = apiWithWriterSpy();
    const copy = seriesCopy(DAX);
    const key = `audit/inputs/${copy.sha256.slice(7)}.json`;
    assert.equal((await call({ symbol: 'DAX' })).statusCode, 200);
    assert.equal((await call({ symbol: 'dax', confidence: 0.99 })).statusCode, 200);
    assert.deepEqual(
      sent.map((r) => r.inputs?.map((i) => i.sha256)),
      [[copy.sha256], undefined],
    );
    assert.equal(store.objects.get(key), copy.text());
    for (const item of table.items) {
      assert.deepEqual(item.lineage?.inputs, [{ symbol: 'DAX', source: 'lake', sha256: copy.sha256, copyKey: key, objects: [] }]);
    }
  });

  test('a body longer than the excerpt is sent whole and stored under its hash; a short one is not', async () => {
    const { store, sent, call } = apiWithWriterSpy();
    const prices = DAX.dates.map((date, i) => ({ date, close: DAX.close[i] }));
    await call({ symbol: 'MINE', prices });
    await call({ symbol: 'DAX' });
    const raw = JSON.stringify({ symbol: 'MINE', prices });
    assert.deepEqual(sent[0]?.request, { text: raw });
    assert.equal(sent[0]?.record.lineage?.requestKey, `audit/requests/${sha256Hex(raw)}.json`);
    assert.equal(store.objects.get(`audit/requests/${sha256Hex(raw)}.json`), raw);
    assert.equal(sent[1]?.request, undefined);
    assert.equal(sent[1]?.record.lineage?.requestKey, undefined);
  });

  test('a long copy travels compressed (the writer invocation is limited to 6 MB) and is stored as text', async () => {
    const { store, sent, call } = apiWithWriterSpy();
    const full = samplePrices('CAC', 1860);
    const prices = full.dates.map((date, i) => ({ date, close: full.close[i] }));
    assert.equal((await call({ symbol: 'LONG', prices })).statusCode, 200);
    const raw = JSON.stringify({ symbol: 'LONG', prices });
    assert.ok(Buffer.byteLength(raw) > 64 * 1024);
    const sentCopy = sent[0]?.request;
    assert.ok(sentCopy && 'gzip' in sentCopy);
    assert.equal(gunzipSync(Buffer.from(sentCopy.gzip, 'base64')).toString('utf8'), raw);
    assert.ok(sentCopy.gzip.length < raw.length / 2, `${sentCopy.gzip.length} base64 characters for ${raw.length} bytes`);
    assert.equal(store.objects.get(`audit/requests/${sha256Hex(raw)}.json`), raw);
  });

  test('GET /v1/audit/{requestId} shows the lineage; a page of GET /v1/audit leaves it out, as it leaves out the answer', async () => {
    const { handler, call } = apiWithWriterSpy();
    const id = (JSON.parse((await call({ symbol: 'DAX' })).body) as { requestId: string }).requestId;
    const get = async (path: string, query: Record<string, string> | null = null) =>
      JSON.parse(((await handler({ ...proxyEvent({ method: 'GET', path }), queryStringParameters: query }, lambdaContext())) as APIGatewayProxyResult).body);
    assert.equal((await get(`/v1/audit/${id}`)).lineage.inputs[0].symbol, 'DAX');
    const page = await get('/v1/audit', { symbol: 'DAX' });
    assert.equal(page.items[0].requestId, id);
    assert.equal('lineage' in page.items[0] || 'result' in page.items[0], false);
  });

  test('refusals carry no lineage', async () => {
    const { table, call } = apiWithWriterSpy();
    assert.equal((await call({ symbol: 'NOPE' })).statusCode, 404);
    assert.equal(table.items[0]?.lineage, undefined);
  });
});

describe('the writer checks the copies before it stores anything', () => {
  const text = '{"close":[1,2],"dates":["2024-01-02","2024-01-03"],"symbol":"A"}';
  const sha256 = `sha256:${sha256Hex(text)}`;
  const record: AuditWriteRequest['record'] = {
    requestId: 'r-1',
    timestamp: '2026-11-25T09:00:00.000Z',
    route: 'POST /v1/risk/backtest',
    status: 200,
    requestHash: `sha256:${sha256Hex('{"symbol":"A"}')}`,
    requestBytes: 14,
    requestExcerpt: '{"symbol":"A"}',
    requestTruncated: false,
    inputHash: `sha256:${'a'.repeat(64)}`,
    caller: { principal: null, accountId: null, sourceIp: null, userAgent: null },
    lineage: {
      inputs: [{ symbol: 'A', source: 'lake', sha256, copyKey: `audit/inputs/${sha256.slice(7)}.json`, objects: [] }],
      code: { package: '0.1.0', commit: null, dirty: false },
      conventions: `sha256:${'c'.repeat(64)}`,
    },
  };

  test('a copy whose text does not hash to its name is refused: no object, no item', async () => {
    const table = memoryAuditTable();
    const store = memoryResultStore();
    await assert.rejects(writeAuditEntry({ record, result: '{}', inputs: [{ sha256, text: `${text} ` }] }, { table, store }), AuditLineageMismatchError);
    await assert.rejects(
      writeAuditEntry({ record, result: '{}', request: { text: '{"symbol":"B"}' } }, { table, store }),
      /the request copy does not hash to requestHash/,
    );
    assert.equal(store.objects.size, 0);
    assert.equal(table.items.length, 0);
  });

  test('a stored copy is written once; the lineage counts against the inline limit', async () => {
    const table = memoryAuditTable();
    const store = memoryResultStore();
    const lineageBytes = JSON.stringify(record.lineage).length;
    const result = JSON.stringify({ pad: 'x'.repeat(100) });
    const limit = result.length + lineageBytes;
    assert.deepEqual(await writeAuditEntry({ record, result, inputs: [{ sha256, text }] }, { table, store, inlineResultBytes: limit }), { outcome: 'written' });
    const again = await writeAuditEntry(
      { record: { ...record, requestId: 'r-2' }, result, inputs: [{ sha256, text }] },
      { table, store, inlineResultBytes: limit - 1 },
    );
    assert.equal(again.outcome, 'written');
    assert.ok(again.outcome === 'written' && again.resultRef, 'one byte less room: the answer goes to S3');
    assert.deepEqual([...store.objects.keys()].sort(), [`audit/2026/11/25/r-2.json`, `audit/inputs/${sha256.slice(7)}.json`]);
  });
});

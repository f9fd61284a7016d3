/**
 * The audit trail through the real middy chain: exactly one item per answer (success, every kind
 * of refusal, a 500, bodies that cannot be parsed, canonicalised or stored), what the item holds
 * (raw-byte hash, bounded excerpt, caller, index keys), answers too large for the item, and a
 * repeated request id (the first answer again, or a 409; never a 500).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AUDIT_REPLAY_HEADER } from '../../../functions/api/audit-trail.ts';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { sha256Hex } from '../../../lib/domain/scoring/input-hash.ts';
import { AUDIT_LIMITS, AuditRecordSchema } from '../../../lib/schemas/audit-record.ts';
import { type ProblemDetails, ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { REQUEST_LIMITS } from '../../../lib/schemas/request-limits.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices } from './fixtures.ts';

const DAX = samplePrices('DAX', 300);
const CAC = samplePrices('CAC', 300);

type Deps = Parameters<typeof memoryDependencies>[0];

async function call(event: APIGatewayProxyEvent, opts: Deps = {}) {
  const mem = memoryDependencies({ lake: [DAX], ...opts });
  const res = (await createApiHandler(mem.deps)(event, lambdaContext())) as APIGatewayProxyResult;
  return { ...mem, res };
}

/** One answer, and its one audit item, checked against the answer. */
async function audited(event: APIGatewayProxyEvent, status: number, opts: Deps = {}) {
  const rawBody = event.body ?? ''; // the route replaces event.body with the parsed value
  const out = await call(event, opts);
  assert.equal(out.res.statusCode, status, out.res.body);
  assert.equal(out.auditItems.length, 1, 'exactly one audit item');
  const item = AuditRecordSchema.strict().parse(out.auditItems[0]);
  assert.equal(item.requestId, event.requestContext.requestId);
  assert.equal(item.status, status);
  const raw = Buffer.from(rawBody, 'utf8');
  assert.equal(item.requestHash, `sha256:${sha256Hex(rawBody)}`, 'the hash of the raw bytes');
  assert.equal(item.requestBytes, raw.length);
  assert.ok(Buffer.byteLength(item.requestExcerpt) <= AUDIT_LIMITS.excerptBytes);
  assert.equal(item.requestTruncated, raw.length > AUDIT_LIMITS.excerptBytes);
  assert.ok(raw.toString('utf8').startsWith(item.requestExcerpt));
  if (item.result !== undefined) assert.equal(item.result, out.res.body, 'the answer body as returned');
  return { ...out, item, json: JSON.parse(out.res.body) as unknown };
}

const problemOf = (json: unknown): ProblemDetails => ProblemDetailsSchema.strict().parse(json);

describe('audit trail: one item per answer', () => {
  test('200: the scored input hash, the model, the symbol upper-cased', async () => {
    const { item, json } = await audited(proxyEvent({ body: { symbol: 'dax' } }), 200);
    const body = json as { inputHash: string };
    assert.equal(item.inputHash, body.inputHash);
    assert.notEqual(item.inputHash, item.requestHash);
    assert.equal(item.modelVersion, 'v-test');
    assert.equal(item.symbol, 'DAX');
  });

  test('400 for {"symbol":"DAX","confidence":1e999}: audited although canonical JSON cannot hold Infinity', async () => {
    const { item, json } = await audited(proxyEvent({ body: '{"symbol":"DAX","confidence":1e999}' }), 400);
    assert.deepEqual(
      problemOf(json).errors?.map((e) => e.path),
      ['/confidence'],
    );
    assert.equal(item.inputHash, item.requestHash);
    assert.equal(item.symbol, 'DAX', 'the parsed request named it');
    assert.equal(item.modelVersion, undefined);
  });

  test('400 for a body nested 4,000 deep: refused by the depth limit before parsing, audited', async () => {
    const body = `${'['.repeat(4000)}${']'.repeat(4000)}`;
    const { item, json } = await audited(proxyEvent({ body }), 400);
    const p = problemOf(json);
    assert.equal(p.type, 'tag:riskfn,2026:limit-exceeded');
    assert.deepEqual(p.limit, { name: 'depth', max: REQUEST_LIMITS.depth, actual: 4000 });
    assert.equal(item.requestBytes, 8000);
    assert.equal(item.requestExcerpt, '['.repeat(AUDIT_LIMITS.excerptBytes));
    assert.equal(item.requestTruncated, true);
  });

  test('400 for a body with one 300 KB key: refused by the key limit, the item stays small', async () => {
    const key = 'k'.repeat(300 * 1024);
    const { item, json } = await audited(proxyEvent({ body: `{"${key}":1}` }), 400);
    assert.deepEqual(problemOf(json).limit, { name: 'keyLength', max: REQUEST_LIMITS.keyLength, actual: 300 * 1024 });
    assert.doesNotMatch(item.result ?? '', /kkkk/, 'the answer does not echo the key');
    assert.ok(JSON.stringify(item).length < 8 * 1024, `item is ${JSON.stringify(item).length} bytes`);
  });

  test('413 for a body over the size limit, audited with its hash', async () => {
    const body = JSON.stringify({ symbol: 'DAX', pad: 'x'.repeat(REQUEST_LIMITS.bodyBytes) });
    const { json } = await audited(proxyEvent({ body }), 413);
    assert.deepEqual(problemOf(json).limit, { name: 'bodyBytes', max: REQUEST_LIMITS.bodyBytes, actual: Buffer.byteLength(body) });
  });

  test('an answer too large for the item goes to the overflow store, referenced by key, hash and size', async () => {
    const event = proxyEvent({ body: { symbol: 'DAX' } });
    const { item, res, auditStore } = await audited(event, 200, { auditInlineResultBytes: 100 });
    assert.equal(item.result, undefined);
    assert.deepEqual(item.resultRef, {
      key: `audit/2026/11/25/${event.requestContext.requestId}.json`,
      sha256: `sha256:${sha256Hex(res.body)}`,
      bytes: Buffer.byteLength(res.body),
    });
    assert.equal(auditStore.objects.get(item.resultRef?.key ?? ''), res.body);
  });

  test('a portfolio answer is one item: its symbols upper-cased, the model, no single symbol', async () => {
    const body = {
      holdings: [
        { symbol: 'dax', weight: 0.6 },
        { symbol: 'CAC', weight: 0.4 },
      ],
    };
    const { item } = await audited(proxyEvent({ path: '/v1/risk/portfolio', body }), 200, { lake: [DAX, CAC] });
    assert.deepEqual(item.symbols, ['DAX', 'CAC']);
    assert.equal(item.symbol, undefined);
    assert.equal(item.modelVersion, 'v-test');
  });

  test('a backtest answer (no model involved) is under its symbol only', async () => {
    const { item } = await audited(proxyEvent({ path: '/v1/risk/backtest', body: { symbol: 'DAX', window: 100 } }), 200);
    assert.equal(item.symbol, 'DAX');
    assert.equal('modelVersion' in item, false);
  });

  test('404 for an unknown route: no symbol or model attribute (the item is in neither index)', async () => {
    const { item } = await audited(proxyEvent({ method: 'GET', path: '/v1/nowhere' }), 404);
    assert.equal(item.route, 'GET /v1/nowhere');
    assert.equal('symbol' in item, false);
    assert.equal('modelVersion' in item, false);
  });

  test('500 for an unexpected failure', async () => {
    const { item } = await audited(proxyEvent({ body: { symbol: 'DAX' } }), 500, {
      readSeries: async () => {
        throw new Error('boom');
      },
    });
    assert.equal(item.symbol, 'DAX');
  });

  test('the caller: principal ARN, account, source IP and user agent from the identity; the header when the identity has no agent', async () => {
    const event = proxyEvent({ method: 'GET', path: '/health', headers: { 'User-Agent': 'curl/8.5' } });
    event.requestContext.identity = {
      ...event.requestContext.identity,
      userArn: 'arn:aws:iam::123456789012:user/alice',
      caller: 'AIDAEXAMPLE',
      accountId: '123456789012',
      sourceIp: '203.0.113.9',
    };
    const { auditItems } = await call(event);
    assert.deepEqual(auditItems[0].caller, {
      principal: 'arn:aws:iam::123456789012:user/alice',
      accountId: '123456789012',
      sourceIp: '203.0.113.9',
      userAgent: 'curl/8.5',
    });
    const noArn = proxyEvent({ method: 'GET', path: '/health' });
    noArn.requestContext.identity = { ...noArn.requestContext.identity, caller: 'AIDAEXAMPLE', userAgent: 'x'.repeat(5000) };
    const second = await call(noArn);
    assert.equal(second.auditItems[0].caller.principal, 'AIDAEXAMPLE');
    assert.equal(second.auditItems[0].caller.userAgent?.length, AUDIT_LIMITS.fieldChars, 'caller fields are bounded');
  });
});

describe('audit trail: a repeated request id', () => {
  test('answers the first answer again, with the replay header, and writes nothing', async () => {
    const mem = memoryDependencies({ lake: [DAX] });
    const handler = createApiHandler(mem.deps);
    const event = proxyEvent({ body: { symbol: 'DAX' } });
    const first = (await handler({ ...event }, lambdaContext())) as APIGatewayProxyResult;
    assert.equal(first.statusCode, 200, first.body);
    // The same request id again, now with another body: the first answer stands.
    const again = (await handler({ ...event, body: '{"symbol":"NOPE"}' }, lambdaContext())) as APIGatewayProxyResult;
    assert.equal(again.statusCode, 200);
    assert.equal(again.body, first.body);
    assert.equal(again.headers?.[AUDIT_REPLAY_HEADER], event.requestContext.requestId);
    assert.equal(mem.auditItems.length, 1);
    assert.equal(mem.auditItems[0].result, first.body, 'the stored item is unchanged');
  });

  test('a first answer stored in the overflow store is read back from it', async () => {
    const mem = memoryDependencies({ lake: [DAX], champion: null, auditInlineResultBytes: 100 });
    const handler = createApiHandler(mem.deps);
    const event = proxyEvent({ body: { symbol: 'DAX' } });
    const first = (await handler({ ...event }, lambdaContext())) as APIGatewayProxyResult;
    assert.equal(first.statusCode, 503);
    assert.ok(mem.auditItems[0].resultRef);
    const again = (await handler({ ...event }, lambdaContext())) as APIGatewayProxyResult;
    assert.equal(again.statusCode, 503);
    assert.equal(again.headers?.['Content-Type'], 'application/problem+json');
    assert.equal(again.body, first.body);
  });

  test('409 when the first answer cannot be read back; never a 500', async () => {
    const mem = memoryDependencies({ lake: [DAX], auditInlineResultBytes: 1000 });
    const handler = createApiHandler(mem.deps);
    const event = proxyEvent({ body: { symbol: 'DAX' } });
    assert.equal(((await handler({ ...event }, lambdaContext())) as APIGatewayProxyResult).statusCode, 200);
    assert.ok(mem.auditItems[0].resultRef);
    // S3 fails from now on: the first answer (a 200 too large for the item) cannot be read back,
    // and the second answer cannot be stored either; its 500 problem (small, inline) then conflicts.
    const down = async (key: string): Promise<never> => {
      throw new Error(`s3 unavailable: ${key}`);
    };
    mem.auditStore.get = down;
    mem.auditStore.putNew = down;
    const again = (await handler({ ...event }, lambdaContext())) as APIGatewayProxyResult;
    assert.equal(again.statusCode, 409);
    const p = problemOf(JSON.parse(again.body));
    assert.equal(p.type, 'tag:riskfn,2026:request-id-conflict');
    assert.equal(p.requestId, event.requestContext.requestId);
    assert.equal(mem.auditItems.length, 1);
  });
});

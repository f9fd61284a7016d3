/**
 * Idempotent POSTs through the real middy chain with an in-memory Powertools store: a retry
 * with the same key and body gets the stored answer without a second score or audit item; the
 * same key with another body is a 422; refusals are stored, 5xx answers are not; keys are
 * scoped to caller, method and path. test/integration/api-idempotency.test.ts runs the same on
 * DynamoDB (dynalite).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import type { ChampionModel } from '../../../functions/api/dependencies.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices, tinyModel } from './fixtures.ts';
import { MemoryIdempotencyStore } from './memory-idempotency-store.ts';

const DAX = samplePrices('DAX', 300);
const BODY = JSON.stringify({ symbol: 'DAX' });

/** One handler, store and audit shared by every call, counting the lake reads (one per scoring). */
function api(opts: { champion?: () => ChampionModel | null; readDelayMs?: number } = {}) {
  let reads = 0;
  const store = new MemoryIdempotencyStore();
  const { deps, auditItems } = memoryDependencies({
    idempotencyStore: store,
    readSeries: async () => {
      reads++;
      if (opts.readDelayMs) await new Promise((r) => setTimeout(r, opts.readDelayMs));
      return { series: DAX, skipped: [] };
    },
  });
  if (opts.champion) deps.loadChampion = async () => opts.champion!();
  const handler = createApiHandler(deps);
  const call = async (event: APIGatewayProxyEvent) => (await handler(event, lambdaContext())) as APIGatewayProxyResult;
  return { call, auditItems, store, reads: () => reads };
}

const post = (body: string, headers: Record<string, string> = {}, extra: { principal?: string } = {}) => {
  const event = proxyEvent({ body, headers: { 'Content-Type': 'application/json', ...headers } });
  if (extra.principal) (event.requestContext.identity as { userArn: string | null }).userArn = extra.principal;
  return event;
};

describe('Idempotency-Key on POST', () => {
  test('same key and body: the stored answer, marked as a replay, with no second score and no second audit item', async () => {
    const { call, auditItems, reads } = api();
    const first = await call(post(BODY, { 'Idempotency-Key': 'k-1' }));
    assert.equal(first.statusCode, 200, first.body);
    const retry = await call(post(BODY, { 'Idempotency-Key': 'k-1' }));
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.body, first.body); // the first request's id included
    assert.equal(retry.headers?.['Riskfn-Idempotent-Replay'], 'true');
    assert.equal(first.headers?.['Riskfn-Idempotent-Replay'], undefined);
    assert.equal(reads(), 1);
    assert.equal(auditItems.length, 1);
  });

  test('the header name is case-insensitive', async () => {
    const { call, reads } = api();
    await call(post(BODY, { 'Idempotency-Key': 'k-case' }));
    const retry = await call(post(BODY, { 'idempotency-key': 'k-case' }));
    assert.equal(retry.headers?.['Riskfn-Idempotent-Replay'], 'true');
    assert.equal(reads(), 1);
  });

  test('same key, another body: 422 idempotency-key-reused, audited, and the stored answer is kept', async () => {
    const { call, auditItems, reads } = api();
    const first = await call(post(BODY, { 'Idempotency-Key': 'k-2' }));
    const other = await call(post(JSON.stringify({ symbol: 'DAX', confidence: 0.99 }), { 'Idempotency-Key': 'k-2' }));
    assert.equal(other.statusCode, 422, other.body);
    assert.equal(other.headers?.['Content-Type'], 'application/problem+json');
    const problem = JSON.parse(other.body);
    assert.equal(problem.type, 'tag:riskfn,2026:idempotency-key-reused');
    assert.equal(reads(), 1);
    assert.deepEqual(
      auditItems.map((i) => i.status),
      [200, 422],
    );
    // The refusal did not delete the first answer: a true retry still gets it.
    const retry = await call(post(BODY, { 'Idempotency-Key': 'k-2' }));
    assert.equal(retry.body, first.body);
    assert.equal(reads(), 1);
  });

  test('without the header every request runs and is audited', async () => {
    const { call, auditItems, reads, store } = api();
    const a = await call(post(BODY));
    const b = await call(post(BODY));
    assert.notEqual(JSON.parse(a.body).requestId, JSON.parse(b.body).requestId);
    assert.equal(reads(), 2);
    assert.equal(auditItems.length, 2);
    assert.equal(store.records.size, 0);
  });

  test('keys are per caller: another principal with the same key and body gets its own answer', async () => {
    const { call, reads, auditItems } = api();
    await call(post(BODY, { 'Idempotency-Key': 'shared' }, { principal: 'arn:aws:iam::111111111111:user/alice' }));
    const bob = await call(post(BODY, { 'Idempotency-Key': 'shared' }, { principal: 'arn:aws:iam::111111111111:user/bob' }));
    assert.equal(bob.headers?.['Riskfn-Idempotent-Replay'], undefined);
    assert.equal(reads(), 2);
    assert.equal(auditItems.length, 2);
  });

  test('a refusal (4xx) is stored and replayed; a 5xx is not, so the retry runs again', async () => {
    let champion: ChampionModel | null = null;
    const { call, auditItems } = api({ champion: () => champion });
    const bad = JSON.stringify({ symbol: 'DAX', confidance: 0.9 });
    const refused = await call(post(bad, { 'Idempotency-Key': 'k-400' }));
    assert.equal(refused.statusCode, 400);
    const refusedAgain = await call(post(bad, { 'Idempotency-Key': 'k-400' }));
    assert.equal(refusedAgain.body, refused.body);
    assert.equal(refusedAgain.headers?.['Riskfn-Idempotent-Replay'], 'true');

    const unavailable = await call(post(BODY, { 'Idempotency-Key': 'k-503' }));
    assert.equal(unavailable.statusCode, 503);
    champion = { version: 'v-test', artifact: tinyModel(), promotedAt: '2026-11-24T00:00:00.000Z' };
    const retried = await call(post(BODY, { 'Idempotency-Key': 'k-503' }));
    assert.equal(retried.statusCode, 200, retried.body);
    assert.equal(retried.headers?.['Riskfn-Idempotent-Replay'], undefined);
    assert.deepEqual(
      auditItems.map((i) => i.status),
      [400, 503, 200],
    );
  });

  test('a retry while the first request runs is a 409 with Retry-After', async () => {
    const { call, reads } = api({ readDelayMs: 50 });
    const [a, b] = await Promise.all([call(post(BODY, { 'Idempotency-Key': 'k-race' })), call(post(BODY, { 'Idempotency-Key': 'k-race' }))]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409]);
    const conflict = a.statusCode === 409 ? a : b;
    assert.equal(JSON.parse(conflict.body).type, 'tag:riskfn,2026:idempotency-request-in-progress');
    assert.equal(conflict.headers?.['Retry-After'], '1');
    assert.equal(reads(), 1);
  });

  test('an empty key is a 400; GET requests ignore the header', async () => {
    const { call } = api();
    const empty = await call(post(BODY, { 'Idempotency-Key': '' }));
    assert.equal(empty.statusCode, 400);
    assert.equal(JSON.parse(empty.body).type, 'tag:riskfn,2026:invalid-idempotency-key');
    const { call: call2, store } = api();
    const health = await call2(proxyEvent({ method: 'GET', path: '/health', headers: { 'Idempotency-Key': 'k-get' } }));
    assert.equal(health.statusCode, 200);
    assert.equal(store.records.size, 0);
  });
});

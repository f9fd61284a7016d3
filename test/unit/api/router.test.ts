/** The router built from the route table: every route is reachable, and 404 vs 405 (with Allow) for path templates too. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { ROUTE_FACTORIES } from '../../../functions/api/routes/index.ts';
import { API_ROUTES } from '../../../lib/schemas/api-routes.ts';
import { lambdaContext, memoryDependencies, proxyEvent } from './fixtures.ts';

async function call(method: string, path: string) {
  const { deps } = memoryDependencies({});
  const res = (await createApiHandler(deps)(
    proxyEvent({ method, path, headers: {}, body: method === 'POST' ? '{}' : undefined }),
    lambdaContext(),
  )) as APIGatewayProxyResult;
  return res;
}

test('every operationId of the table has a factory and nothing else does', () => {
  assert.deepEqual(Object.keys(ROUTE_FACTORIES).sort(), API_ROUTES.map((r) => r.operationId).sort());
  assert.equal(new Set(API_ROUTES.map((r) => `${r.method} ${r.path}`)).size, API_ROUTES.length, 'no route twice');
});

test('a path matching a template of another method is 405 with Allow', async () => {
  const res = await call('POST', '/v1/models/rf-20261124T060000Z-3f2a9c');
  assert.equal(res.statusCode, 405);
  assert.equal(res.headers?.Allow, 'GET');
  const trailing = await call('DELETE', '/health/');
  assert.equal(trailing.statusCode, 405);
  assert.equal(trailing.headers?.Allow, 'GET');
});

test('a path no template matches is 404 (a template parameter is one segment, not several)', async () => {
  assert.equal((await call('GET', '/v1/models/a/b')).statusCode, 404);
  assert.equal((await call('GET', '/v2/health')).statusCode, 404);
});

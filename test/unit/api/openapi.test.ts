import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { API_ROUTES, pathParameterNames } from '../../../lib/schemas/api-routes.ts';
import { OPENAPI_PATH, openApiText } from '../../../scripts/generate-openapi.ts';
import { lambdaContext, memoryDependencies, proxyEvent } from './fixtures.ts';

test('docs/openapi.json equals what scripts/generate-openapi.ts generates now', () => {
  assert.equal(readFileSync(OPENAPI_PATH, 'utf8'), openApiText(), 'stale: run npx tsx scripts/generate-openapi.ts');
});

test('the OpenAPI document describes the route, its statuses and the schemas', () => {
  const doc = JSON.parse(openApiText());
  const op = doc.paths['/v1/risk/instrument'].post;
  assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '404', '405', '409', '413', '415', '422', '500', '503']);
  assert.deepEqual(op.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/RiskInstrumentRequest' });
  assert.deepEqual(op.responses['422'].content['application/problem+json'].schema, { $ref: '#/components/schemas/ProblemDetails' });
  const req = doc.components.schemas.RiskInstrumentRequest;
  assert.equal(req.additionalProperties, false);
  assert.equal(req.properties.confidence.default, 0.95);
  assert.equal(req.properties.prices.minItems, 2);
});

test('every route of the table is in the document with its operationId, path parameters and problem statuses', () => {
  const doc = JSON.parse(openApiText());
  for (const route of API_ROUTES) {
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];
    assert.ok(op, `${route.method} ${route.path} missing`);
    assert.equal(op.operationId, route.operationId);
    const idempotency = route.method === 'POST' ? ['409', '422'] : [];
    assert.deepEqual(Object.keys(op.responses).sort(), [...new Set(['200', ...route.problems.map(String), ...idempotency])].sort());
    const headers = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
    assert.deepEqual(headers, route.method === 'POST' ? ['Idempotency-Key'] : []);
    const params = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
    assert.deepEqual(params, pathParameterNames(route.path));
    assert.equal(op.requestBody !== undefined, route.method === 'POST');
  }
  assert.deepEqual(pathParameterNames('/v1/audit/{requestId}'), ['requestId']);
  assert.equal(doc.info.version, JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
});

test('GET /v1/openapi.json serves the same document, audited like every answer', async () => {
  const { deps, auditItems } = memoryDependencies({});
  const res = (await createApiHandler(deps)(proxyEvent({ method: 'GET', path: '/v1/openapi.json', headers: {} }), lambdaContext())) as APIGatewayProxyResult;
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers?.['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(res.body), JSON.parse(openApiText()));
  assert.equal(auditItems.length, 1);
  assert.equal(auditItems[0].status, 200);
});

test('POST /v1/openapi.json is 405 naming GET', async () => {
  const { deps } = memoryDependencies({});
  const res = (await createApiHandler(deps)(proxyEvent({ method: 'POST', path: '/v1/openapi.json', body: {} }), lambdaContext())) as APIGatewayProxyResult;
  assert.equal(res.statusCode, 405);
  assert.equal(res.headers?.Allow, 'GET');
});

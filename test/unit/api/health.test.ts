/** `GET /health` through the real middy chain: the champion as loaded, null without one, the package version. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { HealthResponseSchema } from '../../../lib/schemas/health-response.ts';
import { lambdaContext, memoryDependencies, proxyEvent, tinyModel } from './fixtures.ts';

const PACKAGE_VERSION = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string;

async function health(champion: Parameters<typeof memoryDependencies>[0]['champion']) {
  const { deps, auditItems } = memoryDependencies({ champion });
  const res = (await createApiHandler(deps)(proxyEvent({ method: 'GET', path: '/health', headers: {} }), lambdaContext())) as APIGatewayProxyResult;
  return { res, body: HealthResponseSchema.strict().parse(JSON.parse(res.body)), auditItems };
}

test('GET /health names the loaded champion and the package version, and is audited', async () => {
  const { res, body, auditItems } = await health({ version: 'v-42', artifact: tinyModel(), promotedAt: '2026-11-20T08:00:00.000Z' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(body, { status: 'ok', champion: { version: 'v-42', promotedAt: '2026-11-20T08:00:00.000Z' }, version: PACKAGE_VERSION });
  assert.equal(auditItems.length, 1);
  assert.equal(auditItems[0].status, 200);
});

test('GET /health is 200 with champion null before any promotion', async () => {
  const { res, body } = await health(null);
  assert.equal(res.statusCode, 200);
  assert.equal(body.champion, null);
  assert.equal(body.status, 'ok');
});

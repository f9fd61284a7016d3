/**
 * `GET /v1/models/{version}/card` through the real middy chain with an in-memory registry and
 * stored cards: the HTML page and the JSON card with the registry's approval status now, the
 * 404s (unknown version; a version without a card), the 400s, one audit item per answer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { buildTrainingSet, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { gateVerdict } from '../../../lib/domain/training/gate.ts';
import { buildModelCard } from '../../../lib/domain/training/model-card.ts';
import { ModelCardSchema } from '../../../lib/schemas/model-card.ts';
import { ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { memoryRegistry } from '../functions/memory-registry.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices } from './fixtures.ts';

const CHAMP = 'rf-20261108T090000Z-bbbbbb';
const OLD = 'rf-20261101T090000Z-aaaaaa';

const { artifact, evaluation } = trainRiskModel(buildTrainingSet([samplePrices('DAX', 450), samplePrices('CAC', 450)]), {
  trees: 4,
  folds: 2,
  maxDepth: 3,
  permutationRepeats: 0,
});
/** The card as Evaluate wrote it: a candidate of a run that waits for approval. */
const stored = buildModelCard({
  artifact: { ...artifact, version: CHAMP },
  report: evaluation,
  decision: gateVerdict(evaluation).decision,
  owner: 'riskfn training workflow',
  approval: { status: 'candidate', source: 'training', approver: null, approvedAt: null, promotedAt: null, requireApproval: true },
});

async function seededDeps() {
  const registry = memoryRegistry();
  await registry.promoteChampion({ version: CHAMP, artifactKey: `models/${CHAMP}/model.json`, score: 0.6, promotedAt: '2026-11-08T10:00:00.000Z' }, null);
  registry.versions.set(CHAMP, {
    version: CHAMP,
    artifactKey: `models/${CHAMP}/model.json`,
    status: 'champion',
    createdAt: '2026-11-08T09:00:00.000Z',
    promotedAt: '2026-11-08T10:00:00.000Z',
    approval: { approver: 'alice', at: '2026-11-08T09:30:00.000Z' },
  });
  registry.versions.set(OLD, { version: OLD, artifactKey: `models/${OLD}/model.json`, status: 'retired', createdAt: '2026-11-01T09:00:00.000Z' });
  return memoryDependencies({ registry, modelCards: new Map([[CHAMP, JSON.stringify(stored)]]) });
}

async function get(path: string, query: Record<string, string> | null = null) {
  const { deps, auditItems } = await seededDeps();
  const event = { ...proxyEvent({ method: 'GET', path, headers: {} }), queryStringParameters: query };
  const res = (await createApiHandler(deps)(event, lambdaContext())) as APIGatewayProxyResult;
  assert.equal(auditItems.length, 1, `one audit item for ${path}`);
  assert.equal(auditItems[0].status, res.statusCode);
  return res;
}

describe('GET /v1/models/{version}/card', () => {
  test('?format=json: the stored card with the registry’s approval now (approved by alice, champion)', async () => {
    const res = await get(`/v1/models/${CHAMP}/card`, { format: 'json' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers?.['Content-Type'], 'application/json');
    const card = ModelCardSchema.parse(JSON.parse(res.body));
    assert.deepEqual(card.approval, {
      status: 'champion',
      source: 'registry',
      approver: 'alice',
      approvedAt: '2026-11-08T09:30:00.000Z',
      promotedAt: '2026-11-08T10:00:00.000Z',
      requireApproval: true,
    });
    assert.deepEqual({ ...card, approval: stored.approval }, stored, 'everything else as stored');
  });

  test('default: the HTML page of the same card, with the same numbers', async () => {
    const res = await get(`/v1/models/${CHAMP}/card`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers?.['Content-Type'], 'text/html; charset=utf-8');
    assert.match(res.body, /^<!doctype html>/);
    assert.match(res.body, new RegExp(`<title>Model card: ${CHAMP}</title>`));
    assert.match(res.body, /data-key="approval.status" data-value="&quot;champion&quot;">champion \(serving\)</);
    assert.match(res.body, new RegExp(`data-key="evaluation.pooled.model.logLoss" data-value="${stored.evaluation.pooled.model.logLoss}"`));
    assert.match(res.body, /<td>Approved by<\/td><td>alice<\/td>/);
  });

  test('the audit item of a page answer reads back as the page’s text', async () => {
    const { deps } = await seededDeps();
    const handler = createApiHandler(deps);
    const page = (await handler(
      proxyEvent({ method: 'GET', path: `/v1/models/${CHAMP}/card`, headers: {}, requestId: 'card-1' }),
      lambdaContext(),
    )) as APIGatewayProxyResult;
    const item = (await handler(proxyEvent({ method: 'GET', path: '/v1/audit/card-1', headers: {} }), lambdaContext())) as APIGatewayProxyResult;
    assert.equal(item.statusCode, 200);
    assert.equal((JSON.parse(item.body) as { result: unknown }).result, page.body);
  });

  test('a repeated request id of a page answer gets the page again, as text/html', async () => {
    const { deps } = await seededDeps();
    const handler = createApiHandler(deps);
    const event = () => proxyEvent({ method: 'GET', path: `/v1/models/${CHAMP}/card`, headers: {}, requestId: 'card-2' });
    const first = (await handler(event(), lambdaContext())) as APIGatewayProxyResult;
    const again = (await handler(event(), lambdaContext())) as APIGatewayProxyResult;
    assert.equal(again.statusCode, 200);
    assert.equal(again.body, first.body);
    assert.equal(again.headers?.['Content-Type'], 'text/html; charset=utf-8');
  });

  test('a version trained before model cards: 404 saying so', async () => {
    const res = await get(`/v1/models/${OLD}/card`);
    assert.equal(res.statusCode, 404);
    const problem = ProblemDetailsSchema.parse(JSON.parse(res.body));
    assert.equal(problem.type, 'tag:riskfn,2026:no-model-card');
    assert.match(problem.detail!, new RegExp(`model version "${OLD}" has no model card: it was trained before model cards existed`));
  });

  test('an unknown version: 404 naming it; a malformed version or format: 400', async () => {
    const unknown = await get('/v1/models/rf-nope/card');
    assert.equal(unknown.statusCode, 404);
    assert.equal(ProblemDetailsSchema.parse(JSON.parse(unknown.body)).type, 'tag:riskfn,2026:unknown-model-version');
    const format = await get(`/v1/models/${CHAMP}/card`, { format: 'pdf' });
    assert.equal(format.statusCode, 400);
    assert.deepEqual(
      ProblemDetailsSchema.parse(JSON.parse(format.body)).errors?.map((e) => e.path),
      ['/format'],
    );
    const bad = await get('/v1/models/-bad/card');
    assert.equal(bad.statusCode, 400);
  });
});

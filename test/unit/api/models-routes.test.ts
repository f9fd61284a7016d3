/**
 * `GET /v1/models`, `/v1/models/champion` and `/v1/models/{version}` through the real middy
 * chain with an in-memory registry: paging newest first, status filter, query refusals, the
 * champion and a version in full (artifact facts, evaluation, promotions), the 404s, and one
 * audit item per answer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import type { ModelVersionRecord } from '../../../lib/adapters/dynamodb/model-registry.ts';
import { ModelListResponseSchema, ModelRegistryEntrySchema } from '../../../lib/schemas/model-registry-entry.ts';
import { ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { type MemoryRegistry, memoryRegistry } from '../functions/memory-registry.ts';
import { lambdaContext, memoryDependencies, proxyEvent, tinyModel } from './fixtures.ts';

const V1 = 'rf-20261101T090000Z-aaaaaa';
const V2 = 'rf-20261108T090000Z-bbbbbb';
const V3 = 'rf-20261115T090000Z-cccccc';

const record = (version: string, status: ModelVersionRecord['status'], extra: Partial<ModelVersionRecord> = {}): ModelVersionRecord => ({
  version,
  artifactKey: `models/${version}/model.json`,
  status,
  createdAt: `${version.slice(3, 7)}-${version.slice(7, 9)}-${version.slice(9, 11)}T09:00:00.000Z`,
  ...extra,
});

/** V1 was champion, replaced by V2 (champion now); V3 lost the gate. */
async function seededRegistry(): Promise<MemoryRegistry> {
  const registry = memoryRegistry();
  await registry.promoteChampion({ version: V1, artifactKey: `models/${V1}/model.json`, score: 0.5, promotedAt: '2026-11-01T10:00:00.000Z' }, null);
  await registry.promoteChampion(
    { version: V2, artifactKey: `models/${V2}/model.json`, score: 0.61, promotedAt: '2026-11-08T10:00:00.000Z', executionId: 'run-2' },
    V1,
  );
  registry.versions.set(V1, record(V1, 'retired', { promotedAt: '2026-11-01T10:00:00.000Z', retiredAt: '2026-11-08T10:00:00.000Z', replacedBy: V2 }));
  registry.versions.set(
    V2,
    record(V2, 'champion', {
      promotedAt: '2026-11-08T10:00:00.000Z',
      approval: { approver: 'alice', at: '2026-11-08T09:30:00.000Z' },
      evaluation: { balancedAccuracy: 0.61, baselines: { persistence: { balancedAccuracy: 0.55 } }, gate: { promote: true } },
    }),
  );
  registry.versions.set(V3, record(V3, 'rejected', { reason: 'challenger 0.52 does not beat champion 0.61' }));
  return registry;
}

async function get(
  path: string,
  opts: { registry?: MemoryRegistry; query?: Record<string, string>; artifacts?: Map<string, ReturnType<typeof tinyModel>> } = {},
) {
  const { deps, auditItems } = memoryDependencies({ registry: opts.registry ?? (await seededRegistry()), artifacts: opts.artifacts });
  const event = { ...proxyEvent({ method: 'GET', path, headers: {} }), queryStringParameters: opts.query ?? null };
  const res = (await createApiHandler(deps)(event, lambdaContext())) as APIGatewayProxyResult;
  assert.equal(auditItems.length, 1, `one audit item for ${path}`);
  assert.equal(auditItems[0].status, res.statusCode);
  return { res, json: JSON.parse(res.body) as unknown };
}

describe('GET /v1/models', () => {
  test('lists versions newest first, a page at a time, with the cursor of the last one', async () => {
    const registry = await seededRegistry();
    const first = await get('/v1/models', { registry, query: { limit: '2' } });
    assert.equal(first.res.statusCode, 200);
    const page1 = ModelListResponseSchema.strict().parse(first.json);
    assert.deepEqual(
      page1.items.map((i) => [i.version, i.status]),
      [
        [V3, 'rejected'],
        [V2, 'champion'],
      ],
    );
    assert.equal(page1.items[0].reason, 'challenger 0.52 does not beat champion 0.61');
    assert.deepEqual(page1.items[1].approval, { approver: 'alice', at: '2026-11-08T09:30:00.000Z' });
    assert.ok(page1.nextCursor);

    const page2 = ModelListResponseSchema.parse((await get('/v1/models', { registry, query: { limit: '2', cursor: page1.nextCursor } })).json);
    assert.deepEqual(
      page2.items.map((i) => [i.version, i.replacedBy, i.retiredAt]),
      [[V1, V2, '2026-11-08T10:00:00.000Z']],
    );
    assert.equal(page2.nextCursor, null);
  });

  test('filters by status and pages 20 at a time by default', async () => {
    const { json } = await get('/v1/models', { query: { status: 'retired' } });
    assert.deepEqual(
      ModelListResponseSchema.parse(json).items.map((i) => i.version),
      [V1],
    );
    const registry = memoryRegistry();
    for (let d = 1; d <= 25; d++)
      registry.versions.set(`rf-202611${String(d).padStart(2, '0')}`, record(`rf-202611${String(d).padStart(2, '0')}`, 'candidate'));
    const all = ModelListResponseSchema.parse((await get('/v1/models', { registry })).json);
    assert.equal(all.items.length, 20);
    assert.equal(all.items[0].version, 'rf-20261125');
  });

  for (const [query, path] of [
    [{ limit: '0' }, '/limit'],
    [{ limit: '101' }, '/limit'],
    [{ limit: 'ten' }, '/limit'],
    [{ status: 'shiny' }, '/status'],
    [{ cursor: 'bm90IG91cnM' }, '/cursor'],
    [{ stauts: 'champion' }, '/stauts'],
  ] as const) {
    test(`refuses ?${Object.entries(query)[0].join('=')} with a 400 naming ${path}`, async () => {
      const { res, json } = await get('/v1/models', { query });
      assert.equal(res.statusCode, 400);
      assert.equal(res.headers?.['Content-Type'], 'application/problem+json');
      const problem = ProblemDetailsSchema.parse(json);
      assert.equal(problem.type, 'tag:riskfn,2026:invalid-request');
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        [path],
      );
    });
  }
});

describe('GET /v1/models/champion and /v1/models/{version}', () => {
  test('the champion in full: registry facts, evaluation as recorded, artifact facts, promotions', async () => {
    const { res, json } = await get('/v1/models/champion');
    assert.equal(res.statusCode, 200);
    const entry = ModelRegistryEntrySchema.strict().parse(json);
    const model = tinyModel();
    assert.equal(entry.version, V2);
    assert.equal(entry.champion, true);
    assert.equal(entry.status, 'champion');
    assert.equal(entry.artifactKey, `models/${V2}/model.json`);
    assert.deepEqual(entry.evaluation, { balancedAccuracy: 0.61, baselines: { persistence: { balancedAccuracy: 0.55 } }, gate: { promote: true } });
    assert.deepEqual(entry.model?.features, model.featureNames);
    assert.equal(entry.model?.training.fingerprint, model.training.fingerprint);
    assert.equal(entry.model?.training.from, model.training.from);
    assert.deepEqual(entry.model?.labelRule, model.labelRule);
    assert.deepEqual(entry.model?.evaluation.pooled, model.evaluation.pooled);
    assert.equal(entry.model?.evaluation.byDate, undefined, 'per-date scores are left out');
    assert.equal(entry.model?.testFrom, model.evaluation.testFrom);
    assert.equal(entry.model?.calibration.method, model.calibration.method);
    assert.equal(entry.model?.calibration.harWeight, model.calibration.harWeight);
    assert.equal(entry.modelError, null);
    assert.deepEqual(entry.promotions, [{ version: V2, previousVersion: V1, promotedAt: '2026-11-08T10:00:00.000Z', score: 0.61, executionId: 'run-2' }]);
  });

  test('a retired version: not champion, both promotions that concern it', async () => {
    const { res, json } = await get(`/v1/models/${V1}`);
    assert.equal(res.statusCode, 200);
    const entry = ModelRegistryEntrySchema.parse(json);
    assert.equal(entry.champion, false);
    assert.equal(entry.status, 'retired');
    assert.deepEqual(
      entry.promotions.map((p) => [p.version, p.previousVersion]),
      [
        [V2, V1],
        [V1, null],
      ],
    );
    assert.equal(entry.evaluation, null);
  });

  test('a version whose artifact is missing still answers, saying so', async () => {
    const { res, json } = await get(`/v1/models/${V3}`, { artifacts: new Map() });
    assert.equal(res.statusCode, 200);
    const entry = ModelRegistryEntrySchema.parse(json);
    assert.equal(entry.model, null);
    assert.equal(entry.modelError, `the artifact models/${V3}/model.json does not exist`);
  });

  test('a champion promoted by hand (no version item) is described from its pointer', async () => {
    const registry = memoryRegistry({ version: 'hand-1', artifactKey: 'models/hand-1/model.json', score: 0.6, promotedAt: '2026-11-20T00:00:00.000Z' });
    for (const path of ['/v1/models/champion', '/v1/models/hand-1']) {
      const entry = ModelRegistryEntrySchema.parse((await get(path, { registry })).json);
      assert.equal(entry.version, 'hand-1');
      assert.equal(entry.champion, true);
      assert.equal(entry.createdAt, '2026-11-20T00:00:00.000Z');
    }
  });

  test('404 before the first promotion, and for an unknown version (named)', async () => {
    const none = await get('/v1/models/champion', { registry: memoryRegistry() });
    assert.equal(none.res.statusCode, 404);
    assert.equal(ProblemDetailsSchema.parse(none.json).type, 'tag:riskfn,2026:no-champion-model');

    const unknown = await get('/v1/models/rf-nope');
    assert.equal(unknown.res.statusCode, 404);
    const problem = ProblemDetailsSchema.parse(unknown.json);
    assert.equal(problem.type, 'tag:riskfn,2026:unknown-model-version');
    assert.match(problem.detail ?? '', /"rf-nope"/);
  });

  test('400 for a version that is not well formed', async () => {
    const { res, json } = await get('/v1/models/..%2F..%2Fetc');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(
      ProblemDetailsSchema.parse(json).errors?.map((e) => e.path),
      ['/version'],
    );
  });
});

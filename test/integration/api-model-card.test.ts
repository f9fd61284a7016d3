/**
 * `GET /v1/models/{version}/card` on the emulators: a card stored in S3 where the training
 * workflow puts it (models/<version>/model-card.json), registry items written with the registry
 * adapter, the real Lambda entry point (functions/api.ts) behind the local API Gateway stand-in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { markChampionVersion, promoteChampion, recordModelVersion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { putModelCard } from '../../lib/adapters/s3/model-store.ts';
import { getText } from '../../lib/adapters/s3/objects.ts';
import { DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import { buildTrainingSet, trainRiskModel } from '../../lib/domain/model/index.ts';
import { gateVerdict } from '../../lib/domain/training/gate.ts';
import { buildModelCard } from '../../lib/domain/training/model-card.ts';
import { type ApiServer, startApiServer } from '../../lib/local/api-server.ts';
import { ModelCardSchema } from '../../lib/schemas/model-card.ts';
import { ProblemDetailsSchema } from '../../lib/schemas/problem-details.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { samplePrices } from '../unit/api/fixtures.ts';

const bucket = DATA_LAKE_BUCKET.localName;
const CHAMP = 'rf-20261108T090000Z-0e0e0e';
const BEFORE_CARDS = 'rf-20261101T090000Z-0f0f0f';

describe('model cards over HTTP on the emulators', () => {
  useEmulators();
  let server: ApiServer;

  before(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    const { handler } = await import('../../functions/api.ts');
    server = await startApiServer({ handler, port: 0 });
  });
  after(async () => {
    await server?.close();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  test('the stored card as JSON and as a page with the registry’s status; 404 for a version trained before cards', async () => {
    const { artifact, evaluation } = trainRiskModel(buildTrainingSet([samplePrices('DAX', 450), samplePrices('CAC', 450)]), {
      trees: 4,
      folds: 2,
      maxDepth: 3,
      permutationRepeats: 0,
    });
    const card = buildModelCard({
      artifact: { ...artifact, version: CHAMP },
      report: evaluation,
      decision: gateVerdict(evaluation).decision,
      owner: 'riskfn training workflow',
      approval: { status: 'candidate', source: 'training', approver: null, approvedAt: null, promotedAt: null, requireApproval: false },
    });
    const keys = await putModelCard(bucket, CHAMP, JSON.stringify(card), '<!doctype html><title>as written</title>');
    assert.deepEqual(keys, { key: `models/${CHAMP}/model-card.json`, pageKey: `models/${CHAMP}/model-card.html` });
    assert.equal(await getText(bucket, keys.pageKey), '<!doctype html><title>as written</title>');
    for (const v of [CHAMP, BEFORE_CARDS]) {
      await recordModelVersion({ version: v, artifactKey: `models/${v}/model.json`, status: 'candidate', createdAt: '2026-11-08T09:00:00.000Z' });
    }
    await promoteChampion({ version: CHAMP, artifactKey: `models/${CHAMP}/model.json`, score: 0.6, promotedAt: '2026-11-08T10:00:00.000Z' }, null);
    await markChampionVersion(CHAMP, { artifactKey: `models/${CHAMP}/model.json`, promotedAt: '2026-11-08T10:00:00.000Z' });

    const json = await fetch(`${server.url}/v1/models/${CHAMP}/card?format=json`);
    assert.equal(json.status, 200);
    assert.equal(json.headers.get('content-type'), 'application/json');
    const served = ModelCardSchema.parse(await json.json());
    assert.deepEqual(served.approval, {
      status: 'champion',
      source: 'registry',
      approver: null,
      approvedAt: null,
      promotedAt: '2026-11-08T10:00:00.000Z',
      requireApproval: false,
    });
    assert.deepEqual(served.evaluation, card.evaluation);

    const page = await fetch(`${server.url}/v1/models/${CHAMP}/card`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await page.text();
    assert.match(html, new RegExp(`<title>Model card: ${CHAMP}</title>`));
    assert.match(html, /data-key="approval.status" data-value="&quot;champion&quot;"/);
    assert.match(html, new RegExp(`data-key="evaluation.pooled.model.brier" data-value="${card.evaluation.pooled.model.brier}"`));

    const missing = await fetch(`${server.url}/v1/models/${BEFORE_CARDS}/card`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/problem+json');
    const problem = ProblemDetailsSchema.parse(await missing.json());
    assert.equal(problem.type, 'tag:riskfn,2026:no-model-card');
    assert.match(problem.detail!, /trained before model cards existed/);
  });
});

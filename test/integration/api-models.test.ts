/**
 * The model registry over HTTP and in the CLI, on the emulators: versions written with the
 * registry adapter as the training workflow writes them, a real artifact in S3, the real Lambda
 * entry point (functions/api.ts) behind the local API Gateway stand-in, and `riskfn models`
 * in a child process found through the endpoints file `npm start` writes. Every API answer,
 * refusals included, leaves exactly one audit item.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describeLocalStack, writeLocalEndpoints } from '../../bin/cli/local-endpoints.ts';
import { dynamoDocumentClient } from '../../lib/adapters/clients.ts';
import {
  getModelVersion,
  markChampionVersion,
  promoteChampion,
  recordApprovalRequest,
  recordModelVersion,
  retireModelVersion,
} from '../../lib/adapters/dynamodb/model-registry.ts';
import { putArtifactText } from '../../lib/adapters/s3/model-store.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import { serializeArtifact } from '../../lib/domain/model/index.ts';
import { type ApiServer, startApiServer } from '../../lib/local/api-server.ts';
import { ModelListResponseSchema, ModelRegistryEntrySchema } from '../../lib/schemas/model-registry-entry.ts';
import { ProblemDetailsSchema } from '../../lib/schemas/problem-details.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { riskfnAsync } from '../helpers/riskfn-async.ts';
import { tinyModel } from '../unit/api/fixtures.ts';
import { ensureFreshBundle } from '../unit/cli/run-cli.ts';

const bucket = DATA_LAKE_BUCKET.localName;
const OLD = 'rf-20261101T090000Z-0a0a0a';
const CHAMP = 'rf-20261108T090000Z-0b0b0b';
const LOST = 'rf-20261115T090000Z-0c0c0c';
const WAITING = 'rf-20261122T090000Z-0d0d0d';

let server: ApiServer;
let dir: string | undefined;

async function get(path: string) {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as unknown };
}

async function auditCount(): Promise<number> {
  const out = await dynamoDocumentClient().send(new ScanCommand({ TableName: AUDIT_TABLE.name, Select: 'COUNT', ConsistentRead: true }));
  return out.Count ?? 0;
}

describe('model registry routes and riskfn models on the emulators', () => {
  const emu = useEmulators();
  const riskfn = (args: string[]) => riskfnAsync(args, { cwd: dir!, env: { POWERTOOLS_LOG_LEVEL: 'WARN' } });

  before(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    const { handler } = await import('../../functions/api.ts');
    server = await startApiServer({ handler, port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'riskfn-models-cli-'));
    writeLocalEndpoints(dir, describeLocalStack(emu(), server.url));
    await ensureFreshBundle();
  });
  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  test('before any promotion: the champion is a 404 problem, the listing empty, each answer audited once', async () => {
    const before = await auditCount();
    const champion = await get('/v1/models/champion');
    assert.equal(champion.status, 404);
    assert.equal(champion.type, 'application/problem+json');
    assert.equal(ProblemDetailsSchema.parse(champion.json).type, 'tag:riskfn,2026:no-champion-model');
    const list = await get('/v1/models');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json, { items: [], nextCursor: null });
    assert.equal(await auditCount(), before + 2);

    const cli = await riskfn(['models', 'show', 'champion']);
    assert.equal(cli.status, 1);
    assert.equal(cli.stderr.trim(), 'riskfn models: no model has been promoted to champion yet');
  });

  test('after two promotions: listing, champion, a retired version, 404 and 400, each audited once', async () => {
    const model = tinyModel();
    for (const v of [OLD, CHAMP, LOST]) await putArtifactText(bucket, v, serializeArtifact({ ...model, version: v }));
    const artifactKey = (v: string) => `models/${v}/model.json`;
    await recordModelVersion({ version: OLD, artifactKey: artifactKey(OLD), status: 'candidate', createdAt: '2026-11-01T09:00:00.000Z' });
    await promoteChampion({ version: OLD, artifactKey: artifactKey(OLD), score: 0.5, promotedAt: '2026-11-01T10:00:00.000Z' }, null);
    await markChampionVersion(OLD, { artifactKey: artifactKey(OLD), promotedAt: '2026-11-01T10:00:00.000Z' });
    await recordModelVersion({
      version: CHAMP,
      artifactKey: artifactKey(CHAMP),
      status: 'candidate',
      createdAt: '2026-11-08T09:00:00.000Z',
      evaluation: { balancedAccuracy: 0.61, baselines: { persistence: { balancedAccuracy: 0.55 } } },
    });
    await promoteChampion({ version: CHAMP, artifactKey: artifactKey(CHAMP), score: 0.61, promotedAt: '2026-11-08T10:00:00.000Z', executionId: 'run-b' }, OLD);
    await markChampionVersion(CHAMP, { artifactKey: artifactKey(CHAMP), promotedAt: '2026-11-08T10:00:00.000Z' });
    await retireModelVersion(OLD, CHAMP, '2026-11-08T10:00:00.000Z');
    await recordModelVersion({
      version: LOST,
      artifactKey: artifactKey(LOST),
      status: 'rejected',
      createdAt: '2026-11-15T09:00:00.000Z',
      reason: 'lost the gate',
    });

    const before = await auditCount();
    const page1 = await get('/v1/models?limit=2');
    assert.equal(page1.status, 200);
    const list1 = ModelListResponseSchema.parse(page1.json);
    assert.deepEqual(
      list1.items.map((i) => [i.version, i.status]),
      [
        [LOST, 'rejected'],
        [CHAMP, 'champion'],
      ],
    );
    const page2 = ModelListResponseSchema.parse((await get(`/v1/models?limit=2&cursor=${list1.nextCursor}`)).json);
    assert.deepEqual(
      page2.items.map((i) => [i.version, i.status, i.replacedBy]),
      [[OLD, 'retired', CHAMP]],
    );
    assert.equal(page2.nextCursor, null);

    const champion = await get('/v1/models/champion');
    assert.equal(champion.status, 200);
    const entry = ModelRegistryEntrySchema.parse(champion.json);
    assert.equal(entry.version, CHAMP);
    assert.equal(entry.champion, true);
    assert.equal(entry.createdAt, '2026-11-08T09:00:00.000Z', 'promotion keeps the training time');
    assert.deepEqual(entry.evaluation, { balancedAccuracy: 0.61, baselines: { persistence: { balancedAccuracy: 0.55 } } });
    assert.deepEqual(entry.model?.features, model.featureNames);
    assert.equal(entry.model?.training.fingerprint, model.training.fingerprint);
    assert.deepEqual(entry.promotions, [{ version: CHAMP, previousVersion: OLD, promotedAt: '2026-11-08T10:00:00.000Z', score: 0.61, executionId: 'run-b' }]);

    const old = ModelRegistryEntrySchema.parse((await get(`/v1/models/${OLD}`)).json);
    assert.deepEqual(
      old.promotions.map((p) => p.version),
      [CHAMP, OLD],
    );
    assert.equal(old.champion, false);

    const unknown = await get('/v1/models/rf-unknown');
    assert.equal(unknown.status, 404);
    assert.match(ProblemDetailsSchema.parse(unknown.json).detail ?? '', /"rf-unknown"/);
    const bad = await get('/v1/models?status=shiny');
    assert.equal(bad.status, 400);
    assert.equal(await auditCount(), before + 6, 'one audit item per answer');
  });

  test('riskfn models list and show print the same registry', async () => {
    const list = await riskfn(['models', 'list']);
    assert.equal(list.status, 0, list.stderr);
    const lines = list.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^VERSION\s+STATUS\s+TRAINED\s+PROMOTED\s+NOTE$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 2)),
      [
        [LOST, 'rejected'],
        [CHAMP, 'champion'],
        [OLD, 'retired'],
      ],
    );
    assert.match(lines[3], /replaced by rf-20261108T090000Z-0b0b0b$/);
    assert.equal(list.stderr, `3 shown; champion: ${CHAMP}\n`);

    const json = await riskfn(['models', 'show', 'champion', '--json']);
    assert.equal(json.status, 0, json.stderr);
    const api = await get('/v1/models/champion');
    assert.deepEqual(JSON.parse(json.stdout), api.json, 'the CLI prints what the API answers');

    const text = await riskfn(['models', 'show', OLD]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /status\s+retired\n/);
    assert.match(text.stdout, new RegExp(`${CHAMP} replaced ${OLD} \\(score 0.61, run run-b\\)`));
  });

  test('riskfn models approve records the approval once and refuses what cannot be approved', async () => {
    await recordModelVersion({ version: WAITING, artifactKey: `models/${WAITING}/model.json`, status: 'candidate', createdAt: '2026-11-22T09:00:00.000Z' });
    // A token the local runner issued: approve records the approval and sends nothing.
    await recordApprovalRequest(WAITING, 'riskfn-local-task-token:run-w');
    const ok = await riskfn(['models', 'approve', WAITING, '--approver', 'compliance-officer']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(
      ok.stdout,
      new RegExp(`^${WAITING} approved by compliance-officer at \\d{4}-\\d\\d-\\d\\dT[^;]+; the local workflow run waiting for it resumes by itself\\n$`),
    );
    const record = await getModelVersion(WAITING);
    assert.equal(record?.status, 'approved');
    assert.equal(record?.approval?.approver, 'compliance-officer');

    const twice = await riskfn(['models', 'approve', WAITING]);
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /is approved; only a candidate or awaiting-approval version can be approved/);
    const rejected = await riskfn(['models', 'approve', LOST]);
    assert.equal(rejected.status, 1);
    assert.match(rejected.stderr, /is rejected;/);
    const missing = await riskfn(['models', 'approve', 'rf-none']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /has no version 'rf-none'/);
  });
});

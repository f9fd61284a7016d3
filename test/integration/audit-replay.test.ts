/**
 * Replay of audited answers on the emulators: a session of answers through the real API entry
 * point (instrument from the lake and from the body, with asOf, portfolio, backtest), each
 * replayed from its audit record alone and found identical, canonical JSON byte for byte; still
 * identical after newer bars landed in the lake and a newer champion was promoted; and after a
 * stored piece is tampered with, the replay names that piece.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ReplayReport, replayAnswer } from '../../functions/api/replay-answer.ts';
import { auditEvidence } from '../../lib/adapters/audit-evidence.ts';
import { answerLineageReport } from '../../lib/adapters/audit-lineage.ts';
import { promoteChampion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { putArtifactText } from '../../lib/adapters/s3/model-store.ts';
import { deleteObject, getText, putText } from '../../lib/adapters/s3/objects.ts';
import { DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import { serializeArtifact } from '../../lib/domain/model/index.ts';
import { type ApiServer, startApiServer } from '../../lib/local/api-server.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { lakeBar } from '../helpers/lake-bar.ts';
import { barsOfSeries, putCompacted, putStaging } from '../helpers/lake-seed.ts';
import { samplePrices, tinyModel } from '../unit/api/fixtures.ts';

const bucket = DATA_LAKE_BUCKET.localName;
const V1 = 'rf-20261130T080000Z-aaaaaa';
const V2 = 'rf-20261130T120000Z-bbbbbb';

let server: ApiServer;
/** Request id → what was asked, for the session's answers. */
const session = new Map<string, string>();

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(json));
  session.set(json.requestId as string, `${path} ${JSON.stringify(body).slice(0, 60)}`);
  return { status: res.status, json };
}

const evidence = () => auditEvidence(bucket);

async function replayAll(): Promise<ReplayReport[]> {
  const reports: ReplayReport[] = [];
  for (const id of session.keys()) reports.push(await replayAnswer(id, evidence()));
  return reports;
}

describe('audit replay on the emulators', () => {
  useEmulators();

  before(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const { handler } = await import('../../functions/api.ts');
    server = await startApiServer({ handler, port: 0 });
    await putCompacted(bucket, barsOfSeries(samplePrices('DAX', 400)));
    await putCompacted(bucket, barsOfSeries(samplePrices('CAC', 400)));
    const key = await putArtifactText(bucket, V1, serializeArtifact({ ...tinyModel(), version: V1 }));
    await promoteChampion({ version: V1, artifactKey: key, score: 0.5, promotedAt: '2026-11-30T08:00:00.000Z', executionId: '20261130T080000Z-aaaaaa' }, null);
  });
  after(async () => {
    await server?.close();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  const prices = samplePrices('SMI', 300);
  const body = prices.dates.map((date, i) => ({ date, close: prices.close[i] }));

  test('a session: instrument (lake, body, asOf), portfolio (lake and body holdings), backtest; every item has its lineage', async () => {
    await post('/v1/risk/instrument', { symbol: 'DAX' });
    await post('/v1/risk/instrument', { symbol: 'dax', asOf: '1992-06-30', confidence: 0.99 });
    await post('/v1/risk/instrument', { symbol: 'MYFUND', prices: body });
    await post('/v1/risk/portfolio', {
      holdings: [
        { symbol: 'DAX', weight: 0.6 },
        { symbol: 'CAC', weight: 0.4 },
      ],
      covariance: 'ledoit-wolf',
    });
    await post('/v1/risk/portfolio', {
      holdings: [
        { symbol: 'DAX', quantity: 2 },
        { prices: body, quantity: 5 },
      ],
    });
    await post('/v1/risk/backtest', { symbol: 'CAC', window: 100 });
    assert.equal(session.size, 6);
    const record = await evidence().record([...session.keys()][0]!);
    const lineage = record?.lineage;
    assert.ok(lineage, 'lineage on a scoring answer');
    assert.equal(lineage.model?.version, V1);
    assert.match(lineage.model?.artifactSha256 ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(lineage.inputs[0]?.source, 'lake');
    assert.deepEqual(
      lineage.inputs[0]?.objects?.map((o) => o.key),
      ['1991', '1992', '1993'].map((y) => `curated/prices/year=${y}/DAX.parquet`),
    );
    assert.match(lineage.code.package, /^\d+\.\d+\.\d+/);
    assert.match(lineage.code.commit ?? '', /^[0-9a-f]{40}$/, 'the local stack reads the commit from git');
    const copy = await getText(bucket, lineage.inputs[0]!.copyKey!);
    assert.equal(JSON.parse(copy).close.length, 400);
    // The 300-price body is longer than the item's excerpt: its copy is stored.
    const withBody = await evidence().record([...session.keys()][2]!);
    assert.equal(withBody?.requestTruncated, true);
    assert.equal(withBody?.lineage?.requestKey, `audit/requests/${withBody?.requestHash.slice(7)}.json`);
    assert.equal(withBody?.lineage?.inputs[0]?.source, 'request');
  });

  test('every answer of the session replays identically', async () => {
    for (const r of await replayAll()) {
      assert.equal(r.verdict.outcome, 'identical', `${session.get(r.requestId)}: ${r.verdict.summary}`);
      assert.ok(r.comparison?.identical && r.comparison.recordedBytes > 500);
      assert.ok(r.checks.every((c) => c.status === 'match'));
      assert.ok(r.checks.some((c) => c.piece === 'request'));
    }
  });

  test('after newer data landed and a newer champion was promoted: still identical, though a new answer differs', async () => {
    // A later DAX bar as a staging object, a corrected 1991 close compacted in (a new ETag), and champion V2.
    await putStaging(bucket, '9000', [lakeBar({ symbol: 'DAX', date: '1993-03-01', close: 1700, sequenceNumber: '9000', arrivalTime: Date.UTC(2026, 5, 1) })]);
    const dax = barsOfSeries(samplePrices('DAX', 400));
    await putCompacted(
      bucket,
      dax.map((b, i) => (i === 3 ? { ...b, close: b.close + 1 } : b)),
    );
    const key = await putArtifactText(bucket, V2, serializeArtifact({ ...tinyModel(), version: V2 }));
    await promoteChampion({ version: V2, artifactKey: key, score: 0.6, promotedAt: '2026-11-30T12:00:00.000Z' }, V1);

    const fresh = await fetch(`${server.url}/v1/risk/instrument`, {
      method: 'POST',
      body: '{"symbol":"DAX"}',
      headers: { 'Content-Type': 'application/json' },
    });
    const now = (await fresh.json()) as { observations: number; model: { version: string } };
    assert.equal(now.observations, 401);
    assert.equal(now.model.version, V2);

    const reports = await replayAll();
    for (const r of reports) assert.equal(r.verdict.outcome, 'identical', `${session.get(r.requestId)}: ${r.verdict.summary}`);
    const first = reports[0]!;
    assert.deepEqual(first.lakeNow, [{ symbol: 'DAX', objects: 3, unchanged: 2, changed: 1, gone: 0 }], 'the 1991 object changed since');
    // The lineage of the first answer shows its model was replaced since.
    const lineage = await answerLineageReport((await evidence().record(first.requestId))!, evidence());
    assert.deepEqual(
      lineage.model?.promotions.map((p) => [p.version, p.previousVersion]),
      [
        [V2, V1],
        [V1, null],
      ],
    );
    assert.equal(lineage.model?.artifact, 'match');
  });

  test('a tampered input series, model artifact or request copy: the replay names the piece', async () => {
    const [instrument, , withBody] = [...session.keys()];
    const record = (await evidence().record(instrument!))!;
    const input = record.lineage!.inputs[0]!;
    const original = await getText(bucket, input.copyKey!);
    const doc = JSON.parse(original) as { close: number[] };
    doc.close[10] = doc.close[10]! * 1.01;
    await putText(bucket, input.copyKey!, JSON.stringify(doc));
    let r = await replayAnswer(instrument!, evidence());
    assert.equal(r.verdict.outcome, 'not-replayable');
    assert.deepEqual(
      r.verdict.failed.map((c) => [c.piece, c.status]),
      [['input series DAX', 'mismatch']],
    );
    assert.match(r.verdict.summary, /input series DAX \(mismatch: audit\/inputs\/[0-9a-f]{64}\.json\)/);
    await putText(bucket, input.copyKey!, original);

    const artifactKey = record.lineage!.model!.artifactKey!;
    const artifact = await getText(bucket, artifactKey);
    await putText(bucket, artifactKey, artifact.replace('"seed":', '"seed": '));
    r = await replayAnswer(instrument!, evidence());
    assert.deepEqual(
      r.verdict.failed.map((c) => [c.piece, c.status]),
      [[`model artifact ${V1}`, 'mismatch']],
    );
    await putText(bucket, artifactKey, artifact);

    const requestKey = (await evidence().record(withBody!))!.lineage!.requestKey!;
    await deleteObject(bucket, requestKey);
    r = await replayAnswer(withBody!, evidence());
    assert.deepEqual(
      r.verdict.failed.map((c) => [c.piece, c.status]),
      [['request', 'missing']],
    );
    assert.equal((await replayAnswer(instrument!, evidence())).verdict.outcome, 'identical', 'restored pieces replay again');
  });
});

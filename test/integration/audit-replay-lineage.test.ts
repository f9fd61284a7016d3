/**
 * `riskfn audit lineage` and `riskfn audit replay` on the emulators: an answer whose model comes
 * from a training run with its stored training set, whose lake history was ingested as monthly
 * records (with their raw backups) and compacted (with a watermark), plus a bar still in staging.
 * The run's BuildDataset step (the real handler, on the emulator lake) recorded the lake objects
 * it read and its execution. The lineage links every step and checks what it can (artifact hash,
 * dataset fingerprint, the run's lake objects against today's, the answer's lake objects
 * reassembled into the stored series, raw records present); the real CLI prints the chain and
 * replays the answer, and says which piece no longer matches after tampering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { formatLineage } from '../../bin/cli/commands/audit.ts';
import { describeLocalStack, writeLocalEndpoints } from '../../bin/cli/local-endpoints.ts';
import { replayAnswer } from '../../functions/api/replay-answer.ts';
import { runProvenance } from '../../functions/training/workflow-state.ts';
import { auditEvidence } from '../../lib/adapters/audit-evidence.ts';
import { answerLineageReport } from '../../lib/adapters/audit-lineage.ts';
import { promoteChampion, recordModelVersion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { datasetKeyFor, legacyDatasetKeyFor, putArtifactText, putDataset } from '../../lib/adapters/s3/model-store.ts';
import { deleteObject, getBytes, getText, putBytes, putText } from '../../lib/adapters/s3/objects.ts';
import { DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import type { LakeBar } from '../../lib/domain/lake/bar-schema.ts';
import { rawObjectKey } from '../../lib/domain/lake/keys.ts';
import { buildTrainingSet, serializeArtifact } from '../../lib/domain/model/index.ts';
import { encodeTrainingSet, parseTrainingSet, serializeTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { lakeBar, TEST_SHARD } from '../helpers/lake-bar.ts';
import { putCompacted, putObject, putStaging } from '../helpers/lake-seed.ts';
import { riskfnAsync } from '../helpers/riskfn-async.ts';
import { lambdaContext, proxyEvent, samplePrices, tinyModel } from '../unit/api/fixtures.ts';
import { ensureFreshBundle } from '../unit/cli/run-cli.ts';

const bucket = DATA_LAKE_BUCKET.localName;
const RUN = '20261130T070000Z-c0ffee';
const VERSION = `rf-${RUN}`;
const EXECUTION = `arn:aws:states:eu-central-1:123456789012:execution:riskfn-training:${RUN}`;
const STAGED = [
  'curated/prices/year=1991/DAX.parquet',
  'curated/prices/year=1992/DAX.parquet',
  'staging/prices/symbol=DAX/shardId-000000000000-8000-1992.parquet',
];
const emu = useEmulators();

/** DAX's first 300 closes as one record per calendar month (sequence numbers 7000 + month), bar index within the month. */
function monthlyBars(): { bars: LakeBar[]; records: string[] } {
  const dax = samplePrices('DAX', 300);
  const months = [...new Set(dax.dates.map((d) => d.slice(0, 7)))];
  const seen = new Map<string, number>();
  const bars = dax.dates.map((date, i) => {
    const m = months.indexOf(date.slice(0, 7));
    const index = seen.get(date.slice(0, 7)) ?? 0;
    seen.set(date.slice(0, 7), index + 1);
    return lakeBar({ date, close: dax.close[i]!, sequenceNumber: String(7000 + m), barIndex: index, arrivalTime: Date.UTC(2026, 0, 1) + m });
  });
  return { bars, records: months.map((_, m) => String(7000 + m)) };
}

let requestId = '';
let dir = '';

describe('audit lineage and the riskfn audit commands', () => {
  before(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const built = ensureFreshBundle();
    const { bars, records } = monthlyBars();
    await putCompacted(bucket, bars, ['staging/prices/symbol=DAX/shardId-000000000000-7000-7011-1991.parquet']);
    // The raw backups of all but the last month's record.
    for (const seq of records.slice(0, -1)) await putObject(bucket, rawObjectKey({ shardId: TEST_SHARD, sequenceNumber: seq }), gzipSync('{}'));
    // One later bar ingested but not compacted yet.
    await putStaging(bucket, '8000', [lakeBar({ date: '1992-09-01', close: 1600, sequenceNumber: '8000', arrivalTime: Date.UTC(2026, 1, 1) })]);

    // The run that made the model. Its BuildDataset step reads the lake and records the objects it
    // read, as the state machine invokes it; the training set it stored is then replaced by the
    // tiny model's rows (the model the answer used), and the registry's record keeps what Merge keeps.
    // Imported here, after the log level is set: the handler's logger reads it when the module loads.
    const { handler: buildDataset } = await import('../../functions/training/build-dataset.ts');
    const run = await buildDataset({ state: { runId: RUN }, execution: { Id: EXECUTION, StartTime: '2026-11-30T07:00:00.000Z' } }, lambdaContext());
    await putDataset(bucket, RUN, serializeTrainingSet(buildTrainingSet([samplePrices('DAX', 500), samplePrices('CAC', 500)])));
    const artifactKey = await putArtifactText(bucket, VERSION, serializeArtifact({ ...tinyModel(), version: VERSION }));
    await recordModelVersion({
      version: VERSION,
      artifactKey,
      status: 'champion',
      createdAt: '2026-11-30T07:05:00.000Z',
      promotedAt: '2026-11-30T07:06:00.000Z',
      ...runProvenance(run),
    });
    await promoteChampion({ version: VERSION, artifactKey, score: 0.41, promotedAt: '2026-11-30T07:06:00.000Z', executionId: RUN }, null);

    const { handler } = await import('../../functions/api.ts');
    const res = (await handler(proxyEvent({ body: { symbol: 'DAX' } }), lambdaContext())) as APIGatewayProxyResult;
    assert.equal(res.statusCode, 200, res.body);
    requestId = (JSON.parse(res.body) as { requestId: string }).requestId;

    dir = mkdtempSync(join(tmpdir(), 'riskfn-audit-cli-'));
    writeLocalEndpoints(dir, describeLocalStack(emu(), 'http://127.0.0.1:1'));
    await built;
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  test('the chain: answer → model → training run → dataset fingerprint → lake partitions → raw records, each link checked', async () => {
    const record = (await auditEvidence(bucket).record(requestId))!;
    const r = await answerLineageReport(record, auditEvidence(bucket));
    assert.equal(r.request.check, 'match');
    assert.equal(r.model?.version, VERSION);
    assert.equal(r.model?.artifact, 'match');
    assert.equal(r.model?.status, 'champion');
    assert.deepEqual(
      r.model?.promotions.map((p) => p.executionId),
      [RUN],
    );
    assert.equal(r.training?.runId, RUN);
    assert.equal(r.training?.executionArn, EXECUTION);
    assert.equal(r.training?.lakeObjectsKey, `datasets/${RUN}/lake-objects.json`);
    assert.equal(r.training?.lakeObjectsRecord, 'read');
    assert.deepEqual(
      r.training?.lakeObjects.map((o) => [o.key, o.folded, o.now]),
      [
        [STAGED[0], 1, 'unchanged'],
        [STAGED[1], 1, 'unchanged'],
        [STAGED[2], undefined, 'unchanged'],
      ],
    );
    // The run read the same objects the answer read later: the same ETags.
    assert.deepEqual(
      r.training?.lakeObjects.map((o) => o.etag),
      r.inputs[0]?.objects.map((o) => o.etag),
    );
    assert.equal(r.training?.datasetKey, `datasets/${RUN}/training-set.bin`);
    assert.equal(r.training?.dataset, 'match', 'the stored training set fingerprints to the artifact’s fingerprint');
    assert.deepEqual(r.training?.symbols, ['CAC', 'DAX']);
    assert.deepEqual(r.training?.partitions, [], 'today’s partitions only stand in for a run that recorded none');
    const [input] = r.inputs;
    assert.equal(input?.copy, 'match');
    assert.deepEqual(
      input?.objects.map((o) => [o.key, o.folded, o.now]),
      [
        ['curated/prices/year=1991/DAX.parquet', 1, 'unchanged'],
        ['curated/prices/year=1992/DAX.parquet', 1, 'unchanged'],
        ['staging/prices/symbol=DAX/shardId-000000000000-8000-1992.parquet', undefined, 'unchanged'],
      ],
    );
    assert.equal(input?.reassembled, 'match', 'the objects as read reassemble into the stored series');
    const { records } = monthlyBars();
    assert.deepEqual(input?.rawRecords, {
      records: records.length + 1,
      present: records.length - 1,
      first: rawObjectKey({ shardId: TEST_SHARD, sequenceNumber: '7000' }),
      last: rawObjectKey({ shardId: TEST_SHARD, sequenceNumber: '8000' }),
    });
    assert.match(r.code?.commit ?? '', /^[0-9a-f]{40}$/);
  });

  test('a run from before the binary training set: its one JSON text is read under its old name; a damaged one is a mismatch', async () => {
    const record = (await auditEvidence(bucket).record(requestId))!;
    const stored = await getBytes(bucket, datasetKeyFor(RUN));
    const { table, meta } = encodeTrainingSet(parseTrainingSet(stored));
    try {
      await deleteObject(bucket, datasetKeyFor(RUN));
      await putText(bucket, legacyDatasetKeyFor(RUN), JSON.stringify({ ...JSON.parse(meta), table }));
      const r = await answerLineageReport(record, auditEvidence(bucket));
      assert.equal(r.training?.datasetKey, `datasets/${RUN}/training-set.json`);
      assert.equal(r.training?.dataset, 'match');
      await putText(bucket, legacyDatasetKeyFor(RUN), JSON.stringify({ ...JSON.parse(meta), table: table.slice(0, 200) }));
      assert.equal((await answerLineageReport(record, auditEvidence(bucket))).training?.dataset, 'mismatch');
    } finally {
      await deleteObject(bucket, legacyDatasetKeyFor(RUN));
      await putBytes(bucket, datasetKeyFor(RUN), stored);
    }
  });

  test('a tampered copy of the input: the replay names it and recomputes from the lake objects as read, which still give the same answer', async () => {
    const record = (await auditEvidence(bucket).record(requestId))!;
    const copyKey = record.lineage!.inputs[0]!.copyKey!;
    const original = await getText(bucket, copyKey);
    await putText(bucket, copyKey, original.replace('"close":[', '"close":[1,'));
    const r = await replayAnswer(requestId, auditEvidence(bucket));
    await putText(bucket, copyKey, original);
    assert.deepEqual(
      r.checks.map((c) => [c.piece, c.status]),
      [
        ['request', 'match'],
        ['input series DAX', 'mismatch'],
        ['lake objects DAX', 'match'],
        [`model artifact ${VERSION}`, 'match'],
        ['conventions', 'match'],
      ],
    );
    assert.equal(r.verdict.outcome, 'different');
    assert.equal(r.comparison?.identical, true);
    assert.match(
      r.verdict.summary,
      /^no longer matching the record: input series DAX \(mismatch: audit\/inputs\/[0-9a-f]{64}\.json\); the recomputed answer is identical$/,
    );
  });

  test('riskfn audit lineage prints the chain; riskfn audit replay says identical (exit 0)', async () => {
    const lineage = await riskfnAsync(['audit', 'lineage', requestId], { cwd: dir });
    assert.equal(lineage.status, 0, lineage.stderr);
    assert.match(lineage.stdout, new RegExp(`^model {7}${VERSION} {2}status champion`, 'm'));
    assert.match(lineage.stdout, new RegExp(`^training {4}run ${RUN}, execution ${EXECUTION} {2}training set datasets/${RUN}/training-set\\.bin$`, 'm'));
    assert.match(lineage.stdout, /^dataset {5}fingerprint sha256:[0-9a-f]{64}: match/m);
    assert.match(
      lineage.stdout,
      new RegExp(
        `^partitions {2}3 lake objects of the training symbols as the run read them \\(datasets/${RUN}/lake-objects\\.json\\): 3 unchanged, 0 changed, 0 gone since$`,
        'm',
      ),
    );
    assert.match(
      lineage.stdout,
      /^ {2}lake {6}curated\/prices\/year=1991\/DAX\.parquet {2}etag "[0-9a-f]{32}" {2}watermark 1 staging object folded {2}unchanged$/m,
    );
    assert.match(lineage.stdout, /reassembled from the objects as read: match/);
    const months = monthlyBars().records.length;
    assert.match(lineage.stdout, new RegExp(`^ {2}raw {7}${months + 1} records behind the bars, ${months - 1} in the raw backup`, 'm'));

    const replay = await riskfnAsync(['audit', 'replay', requestId], { cwd: dir });
    assert.equal(replay.status, 0, replay.stderr);
    assert.match(replay.stdout, new RegExp(`^${requestId}  POST /v1/risk/instrument  identical: \\d+ bytes of canonical JSON, byte for byte$`, 'm'));
    assert.match(replay.stderr, /^1 answer replayed: 1 identical, 0 different, 0 not replayable$/m);
  });

  test('after the lake changed the replay stays identical; a tampered artifact is named and exits 1', async () => {
    const { bars } = monthlyBars();
    // A restated bar in 1991 and a new bar compacted into 1992's object.
    await putCompacted(bucket, [
      ...bars.map((b) => (b.date === '1991-07-02' ? { ...b, close: b.close + 5 } : b)),
      lakeBar({ date: '1992-09-02', close: 1601, sequenceNumber: '8001', arrivalTime: Date.UTC(2026, 1, 2) }),
    ]);
    const record = (await auditEvidence(bucket).record(requestId))!;
    const r = await answerLineageReport(record, auditEvidence(bucket));
    assert.deepEqual(
      r.inputs[0]?.objects.map((o) => o.now),
      ['changed', 'changed', 'unchanged'],
    );
    assert.equal(r.inputs[0]?.reassembled, 'unreadable', 's3rver keeps no versions of the overwritten objects');
    // The run's objects as recorded at training time, against today's.
    assert.deepEqual(
      r.training?.lakeObjects.map((o) => [o.key, o.now]),
      [
        [STAGED[0], 'changed'],
        [STAGED[1], 'changed'],
        [STAGED[2], 'unchanged'],
      ],
    );
    assert.equal(r.training?.dataset, 'match', 'the stored training set still pins what the model was trained on');
    assert.match(formatLineage(r), /^partitions {2}3 lake objects of the training symbols as the run read them \(.+\): 1 unchanged, 2 changed, 0 gone since$/m);

    const still = await riskfnAsync(['audit', 'replay', '--symbol', 'dax'], { cwd: dir });
    assert.equal(still.status, 0, still.stdout + still.stderr);
    assert.match(still.stdout, /lake today: DAX: 3 objects read, 1 unchanged, 2 changed, 0 gone since/);

    const artifactKey = record.lineage!.model!.artifactKey!;
    const artifact = await getText(bucket, artifactKey);
    await putText(bucket, artifactKey, `${artifact.trimEnd()} `);
    const tampered = await riskfnAsync(['audit', 'replay', requestId], { cwd: dir });
    assert.equal(tampered.status, 1);
    assert.match(
      tampered.stdout,
      new RegExp(`not-replayable: cannot recompute without the model artifact; no longer matching: model artifact ${VERSION} \\(mismatch: ${artifactKey}\\)`),
    );
    assert.match(tampered.stderr, /1 answer did not replay identically/);
  });
});

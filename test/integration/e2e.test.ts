/**
 * End to end, on the emulators, exactly as `npm start` runs it (lib/local/local-stack.ts):
 * sample bars and bad records through Kinesis -> local event-source mapping -> ingest
 * handler -> S3; the state machine synthesised from the CDK stack trains and promotes a
 * champion; a better challenger replaces it and a worse one is refused (an equal one: see
 * training-workflow.test.ts); the API answers through the local HTTP server
 * with numbers equal to the domain functions' and leaves an audit item in DynamoDB.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient, s3Client } from '../../lib/adapters/clients.ts';
import { getChampion, getModelVersion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { putRecords } from '../../lib/adapters/kinesis/put-records.ts';
import { readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, MARKET_DATA_STREAM } from '../../lib/config/resources.ts';
import { parseCuratedKey, parseQuarantineKey } from '../../lib/domain/lake/keys.ts';
import { parsePriceCsv } from '../../lib/domain/prices/parse-price-csv.ts';
import { annualizedVolatility, historicalVar, maxDrawdownFromPrices, simpleReturns } from '../../lib/domain/risk/index.ts';
import { type Emulators, startEmulators } from '../../lib/local/emulators.ts';
import { type LocalStack, SAMPLE_DATA_DIR, startLocalStack } from '../../lib/local/local-stack.ts';

/** A small forest (20 trees, depth tuned): passes the gate on this sample, but by less than the default 100-tree forest. */
const WEAK = { trees: 20 };
/** One depth-1 tree: worse than persistence on this sample. */
const STUMP = { trees: 1, maxDepth: 1 };

let emu: Emulators;
let stack: LocalStack;
let bucket: string;

async function listKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) keys.push(o.Key!);
  }
  return keys.sort();
}

async function getJson(key: string): Promise<Record<string, unknown>> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await out.Body!.transformToString()) as Record<string, unknown>;
}

const post = (path: string, body: string) => fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

before(async () => {
  emu = await startEmulators();
  emu.applyEnv();
  bucket = emu.env.DATA_BUCKET!;
  // The first champion is deliberately weak, so that the runs below meet a better challenger,
  // an equal one and a worse one: all real models, trained and scored on the same data.
  stack = await startLocalStack({ port: 0, trainingInput: { options: WEAK } });
});

after(async () => {
  await stack?.stop();
  await emu?.stop();
});

describe('ingest', () => {
  test('every sample bar lands in the curated lake, compacted to one object per symbol and year', async () => {
    assert.equal(stack.replay.files.length, 4);
    assert.equal(stack.replay.bars, 4 * 1860);
    assert.equal(stack.failedBatches.length, 0);
    const keys = await listKeys(DATA_LAKE_BUCKET.curatedPrefix);
    const partitions = keys.map((k) => {
      const p = parseCuratedKey(k);
      assert.ok(p, `curated key has the documented layout: ${k}`);
      return `${p.symbol}/${p.year}`;
    });
    const expected = new Set<string>();
    for (const f of stack.replay.files) {
      for (const d of parsePriceCsv(readFileSync(join(SAMPLE_DATA_DIR, f.file), 'utf8')).dates) expected.add(`${f.symbol}/${d.slice(0, 4)}`);
    }
    assert.deepEqual(partitions.sort(), [...expected].sort());

    const csv = parsePriceCsv(readFileSync(join(SAMPLE_DATA_DIR, 'eustock_DAX.csv'), 'utf8'), { symbol: 'DAX' });
    const lake = (await readSeries(bucket, 'DAX')).series;
    assert.ok(lake);
    assert.deepEqual(lake.dates, csv.dates);
    assert.deepEqual(Array.from(lake.close), Array.from(csv.close));
  });

  test('bad records are quarantined with a distinct reason each, and the good bar beside them is kept', async () => {
    // Past dates: ingest refuses bars dated after tomorrow (UTC).
    const bar = { symbol: 'QTEST', date: '2020-01-02', close: 10, source: 'e2e' };
    const bad: [string, unknown][] = [
      ['NOT_JSON', '{"symbol": "QTEST", '],
      ['SCHEMA_MISSING_FIELD', { symbol: 'QTEST', date: '2020-01-03', source: 'e2e' }],
      ['NON_POSITIVE_PRICE', { ...bar, date: '2020-01-04', close: -1 }],
      ['HIGH_BELOW_LOW', { ...bar, date: '2020-01-05', open: 10, high: 9, low: 11, close: 10 }],
      ['INVALID_DATE', { ...bar, date: '2020-02-30' }],
    ];
    const entries = [
      ...bad.map(([, v]) => ({ partitionKey: 'QTEST', data: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)) })),
      { partitionKey: 'QTEST', data: Buffer.from(JSON.stringify({ bars: [bar, { ...bar, date: '2020-01-03', close: 'abc' }] })) },
    ];
    await putRecords(MARKET_DATA_STREAM.name, entries);
    await stack.poller.drain();

    const reasons = (await listKeys(DATA_LAKE_BUCKET.quarantinePrefix)).map((k) => parseQuarantineKey(k)?.reason).sort();
    assert.deepEqual(reasons, [...bad.map(([r]) => r), 'SCHEMA_INVALID_FIELD'].sort());
    const notJson = (await listKeys(`${DATA_LAKE_BUCKET.quarantinePrefix}reason=NOT_JSON/`))[0]!;
    const q = await getJson(notJson);
    assert.equal(Buffer.from(String(q.payloadBase64), 'base64').toString(), '{"symbol": "QTEST", ');

    const kept = (await readSeries(bucket, 'QTEST')).series;
    assert.deepEqual(kept?.dates, ['2020-01-02']);
  });
});

/** The states every run enters up to the gate; the Map states' item states (one per fold or shard) left out. */
const TRAINED = ['BuildDataset', 'WalkForward', 'Summarize', 'Train', 'Merge', 'Drift', 'Evaluate'];
/** The gate's decision as the Evaluate step records it (lib/schemas/training-state.ts). */
interface GateOutput {
  promote: boolean;
  reason: string;
  championVersion: string;
  challengerScore: number;
  championScore: number;
  comparisons: { against: string; beaten: boolean; logLoss: number; brier: number }[];
}

const topLevel = (path: string[]) => path.filter((s) => s !== 'RunFold' && s !== 'TrainShard');

describe('training workflow (definition synthesised from the CDK stack)', () => {
  test('the first run promotes a champion', async () => {
    const run = stack.firstTraining;
    assert.equal(run.status, 'SUCCEEDED');
    assert.deepEqual(topLevel(run.path), [...TRAINED, 'IsChallengerBetter', 'IsApprovalRequired', 'Promote', 'Promoted']);
    const champion = await getChampion();
    const challenger = run.output!.challenger as { version: string; artifactKey: string };
    assert.equal(champion?.version, challenger.version);
    assert.ok((await listKeys(challenger.artifactKey)).length === 1, 'artifact stored in S3');
    const card = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: challenger.artifactKey.replace(/model\.json$/, 'model-summary.txt') }));
    assert.match(await card.Body!.transformToString(), /persistence/, 'the model card compares with the baselines');
    assert.equal((await getModelVersion(challenger.version))?.status, 'champion');
  });

  test('a better challenger (the default tuned forest) replaces the champion', async () => {
    const before = await getChampion();
    const run = await stack.workflow.run({});
    assert.equal(run.status, 'SUCCEEDED', JSON.stringify(run.taskErrors));
    assert.equal(run.path.at(-1), 'Promoted', JSON.stringify(run.output?.evaluation));
    const gate = run.output!.evaluation as GateOutput;
    assert.equal(gate.championVersion, before!.version);
    // Judged against the champion on the proper scoring rules: better log loss and Brier.
    const vsChampion = gate.comparisons.find((c) => c.against === `champion ${before!.version}`)!;
    assert.ok(vsChampion.beaten && vsChampion.logLoss > 0 && vsChampion.brier > 0, JSON.stringify(vsChampion));
    const after = await getChampion();
    assert.equal(after!.version, (run.output!.challenger as { version: string }).version);
    assert.equal(after!.score, gate.challengerScore);
    const retired = await getModelVersion(before!.version);
    assert.equal(retired?.status, 'retired');
    assert.equal(retired?.replacedBy, after!.version);
  });

  test('a worse challenger is refused and the champion stays', async () => {
    const before = await getChampion();
    const run = await stack.workflow.run({ options: STUMP });
    assert.equal(run.status, 'SUCCEEDED', JSON.stringify(run.taskErrors));
    assert.deepEqual(topLevel(run.path), [...TRAINED, 'IsChallengerBetter', 'Reject'], JSON.stringify(run.output?.evaluation));
    const gate = run.output!.evaluation as GateOutput;
    assert.equal(gate.promote, false);
    assert.equal(gate.championVersion, before!.version);
    const vsChampion = gate.comparisons.find((c) => c.against === `champion ${before!.version}`)!;
    assert.ok(!vsChampion.beaten && vsChampion.logLoss < 0, JSON.stringify(vsChampion));
    assert.match(gate.reason, /^the challenger does not beat .*champion /);
    assert.deepEqual(await getChampion(), before);
    const rejected = (run.output!.challenger as { version: string }).version;
    assert.equal((await getModelVersion(rejected))?.status, 'rejected');
  });
});

describe('scoring API through the local HTTP server', () => {
  test('scores a symbol from the lake with the domain functions, and audits the answer', async () => {
    const res = await post('/v1/risk/instrument', JSON.stringify({ symbol: 'DAX' }));
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      requestId: string;
      observations: number;
      metrics: { annualizedVolatility: number; maxDrawdown: { value: number }; historicalVar: { value: number } };
      model: { version: string; riskLevel: string; probabilities: Record<string, number> };
    };
    const series = (await readSeries(bucket, 'DAX')).series!;
    const r = simpleReturns(series.close);
    assert.equal(body.observations, series.dates.length);
    assert.equal(body.metrics.annualizedVolatility, annualizedVolatility(r));
    assert.equal(body.metrics.maxDrawdown.value, maxDrawdownFromPrices(series.close).maxDrawdown);
    assert.equal(body.metrics.historicalVar.value, historicalVar(r, 0.95));
    assert.equal(body.model.version, (await getChampion())!.version);
    assert.ok(['low', 'medium', 'high'].includes(body.model.riskLevel));
    const total = Object.values(body.model.probabilities).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);

    const audit = await dynamoDocumentClient().send(new GetCommand({ TableName: AUDIT_TABLE.name, Key: { requestId: body.requestId } }));
    assert.equal(audit.Item?.modelVersion, body.model.version);
    assert.equal(audit.Item?.status, 200);
    assert.match(String(audit.Item?.inputHash), /^sha256:[0-9a-f]{64}$/);
  });

  test('an unknown symbol is 404 and a malformed body is 400 naming the field, both as problem+json', async () => {
    const missing = await post('/v1/risk/instrument', JSON.stringify({ symbol: 'NOPE' }));
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /application\/problem\+json/);
    const bad = await post('/v1/risk/instrument', JSON.stringify({ symbol: 'DAX', confidence: 2 }));
    assert.equal(bad.status, 400);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    assert.ok(problem.errors.some((e) => e.path.includes('confidence')));
    const route = await post('/v1/nothing-here', '{}');
    assert.equal(route.status, 404);
  });
});

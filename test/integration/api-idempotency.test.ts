/**
 * Idempotent retries on the emulators: the real Lambda entry point (functions/api.ts) behind the
 * local server, Powertools Idempotency persisting to the idempotency table on dynalite. A retry
 * with the same key and body gets the stored answer and leaves no second audit item; another
 * body with that key is a 422 (audited); an expired record (dynalite has no TTL) is ignored, as
 * Powertools checks the expiry itself.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../lib/adapters/clients.ts';
import { promoteChampion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { putArtifactText } from '../../lib/adapters/s3/model-store.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, IDEMPOTENCY_TABLE } from '../../lib/config/resources.ts';
import { type ApiServer, startApiServer } from '../../lib/local/api-server.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { samplePrices, tinyModel } from '../unit/api/fixtures.ts';

const VERSION = 'it-idem-1';
const DAX = samplePrices('DAX', 300);
const BODY = JSON.stringify({ symbol: 'MYFUND', prices: DAX.dates.map((date, i) => ({ date, close: DAX.close[i] })) });

let server: ApiServer;
/** Request id of the first answer stored under `it-key-1`. */
let firstRequestId = '';

async function post(body: string, key?: string) {
  const res = await fetch(`${server.url}/v1/risk/instrument`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body,
  });
  return { res, text: await res.text() };
}

/** Every item of a table (test-only; the API itself never scans). */
async function scan(table: string): Promise<Record<string, any>[]> {
  const out = await dynamoDocumentClient().send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return out.Items ?? [];
}

describe('Idempotency-Key on the emulators', () => {
  useEmulators();

  before(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    const { handler } = await import('../../functions/api.ts');
    server = await startApiServer({ handler, port: 0 });
    const artifactKey = await putArtifactText(DATA_LAKE_BUCKET.localName, VERSION, JSON.stringify({ ...tinyModel(), version: VERSION }));
    await promoteChampion({ version: VERSION, artifactKey, score: 0.5, promotedAt: '2026-11-25T08:00:00.000Z' }, null);
  });
  after(async () => {
    await server?.close();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  test('same key and body: the stored answer, one record, one audit item', async () => {
    const first = await post(BODY, 'it-key-1');
    assert.equal(first.res.status, 200, first.text);
    firstRequestId = JSON.parse(first.text).requestId;
    const auditedBefore = (await scan(AUDIT_TABLE.name)).length;

    const retry = await post(BODY, 'it-key-1');
    assert.equal(retry.res.status, 200);
    assert.equal(retry.text, first.text); // the first answer, its request id included
    assert.equal(retry.res.headers.get('riskfn-idempotent-replay'), 'true');
    assert.equal((await scan(AUDIT_TABLE.name)).length, auditedBefore, 'the retry wrote no audit item');

    const records = await scan(IDEMPOTENCY_TABLE.name);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.status, 'COMPLETED');
    const ttl = records[0]!.expiration as number;
    const inADay = Date.now() / 1000 + 24 * 3600;
    assert.ok(Math.abs(ttl - inADay) < 120, `expiration ${ttl} is about 24 h from now`);
  });

  test('same key, another body: 422 idempotency-key-reused, audited', async () => {
    const auditedBefore = (await scan(AUDIT_TABLE.name)).length;
    const other = await post(BODY.replace('MYFUND', 'OTHER'), 'it-key-1');
    assert.equal(other.res.status, 422, other.text);
    assert.equal(other.res.headers.get('content-type'), 'application/problem+json');
    const problem = JSON.parse(other.text);
    assert.equal(problem.type, 'tag:riskfn,2026:idempotency-key-reused');
    const audit = await scan(AUDIT_TABLE.name);
    assert.equal(audit.length, auditedBefore + 1);
    assert.equal(audit.find((i) => i.requestId === problem.requestId)?.status, 422);
  });

  test('an expired record is ignored (no TTL on dynalite: Powertools checks the expiry) and the request runs again', async () => {
    const [record] = await scan(IDEMPOTENCY_TABLE.name);
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: IDEMPOTENCY_TABLE.name,
        Key: { id: record!.id },
        UpdateExpression: 'SET expiration = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 },
      }),
    );
    const again = await post(BODY, 'it-key-1');
    assert.equal(again.res.status, 200, again.text);
    assert.equal(again.res.headers.get('riskfn-idempotent-replay'), null);
    assert.notEqual(JSON.parse(again.text).requestId, firstRequestId);
    // The new answer replaced the expired record: a retry now replays it.
    const retry = await post(BODY, 'it-key-1');
    assert.equal(retry.text, again.text);
  });
});

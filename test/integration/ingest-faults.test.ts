/**
 * Fault injection on the emulators: S3 failing for one partition in the middle of a batch, the
 * handler crashing after some of its writes, and a batch delivered twice. After recovery (and a
 * redrive where the records were given up on) the lake is reconciled against the raw backup, before
 * and after compaction: raw parts = stored bars (distinct provenance) + quarantined parts, 0 lost,
 * 0 duplicated.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KinesisStreamEvent } from 'aws-lambda';
import { redriveStoredFailures } from '../../lib/adapters/kinesis/redrive.ts';
import { readSequenceRange, toKinesisStreamEvent } from '../../lib/adapters/kinesis/shard-reader.ts';
import { compactPartitions } from '../../lib/adapters/s3/lake-compactor.ts';
import { readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { writeLakeObjects } from '../../lib/adapters/s3/lake-writer.ts';
import { getBytes, getText } from '../../lib/adapters/s3/objects.ts';
import type { LakeObject } from '../../lib/domain/ingest/plan-record.ts';
import { parseFailedKey, parseStagingKey } from '../../lib/domain/lake/keys.ts';
import { createKinesisPoller, type KinesisHandler } from '../../lib/local/kinesis-poller.ts';
import { createLambdaContext } from '../../lib/local/lambda-context.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { bar, bucket, failureRecord, keysUnder, put, reconcile, stream, testHandler } from '../helpers/ingest-harness.ts';

useEmulators();

const context = () => createLambdaContext({ functionName: 'riskfn-ingest-test', timeoutMs: 60_000 });
/** Compacts every staged partition of the symbols. */
const compactSymbols = async (symbols: string[]) => {
  for (const symbol of symbols) await compactPartitions(bucket, { symbol });
};
const closes = async (symbol: string) => [...((await readSeries(bucket, symbol)).series?.close ?? [])];

/** A poller positioned at the stream's tip, so each test sees only its own records. */
async function pollerAtTip(handler: KinesisHandler, extra: { maxRetryAttempts?: number } = {}) {
  const poller = createKinesisPoller({ streamName: stream, handler, startingPosition: 'LATEST', retryDelayMs: 1, failedBucket: bucket, ...extra });
  await poller.drain();
  return poller;
}

describe('S3 failing for one partition in the middle of a batch', () => {
  test('the batch is given up on into failed/, nothing is lost; after recovery redrive completes it and removes the failure record', async () => {
    let broken = true;
    const writer = async (objects: readonly LakeObject[]) => {
      if (broken && objects.some((o) => o.key.includes('symbol=BROKEN/'))) throw new Error('injected: partition BROKEN unwritable');
      return writeLakeObjects(bucket, objects);
    };
    const handler = testHandler({ writeObjects: writer });
    const poller = await pollerAtTip(handler, { maxRetryAttempts: 2 });
    const seqs = [
      await put(JSON.stringify(bar('FINE', '2024-03-01', 10))),
      await put(JSON.stringify({ bars: [bar('FINE', '2024-03-04', 10.1), bar('BROKEN', '2024-03-04', 5)] })),
      await put(JSON.stringify(bar('FINE', '2024-03-05', 10.2))),
      await put(JSON.stringify(bar('BROKEN', '2024-03-05', 5.1))),
      await put(JSON.stringify(bar('FINE', '2024-03-06', 10.3))),
    ];
    const stats = await poller.drain();
    // The first invocation stores every raw backup and FINE's staging object (records 0-4); BROKEN's
    // object (its first record is 1) fails after 6 S3 attempts inside the handler, so records 1-4
    // are reported, and 2 retries later they are given up on.
    assert.deepEqual(stats, { invocations: 3, recordsDelivered: 5 + 4 + 4, failedInvocations: 3, discardedBatches: 1 });
    const failed = await keysUnder('failed/');
    assert.deepEqual(
      failed.map((k) => parseFailedKey(k)),
      [{ shardId: 'shardId-000000000000', firstSequenceNumber: seqs[1], lastSequenceNumber: seqs[4] }],
    );
    const record = JSON.parse(await getText(bucket, failed[0]!));
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 3);
    assert.deepEqual(record.KinesisBatchInfo.batchSize, 4);
    assert.match(record.KinesisBatchInfo.streamArn, /:stream\/riskfn-market-data$/);
    // Every raw backup and every FINE bar is stored (FINE's objects of the first invocation and of
    // the retries overlap: the same rows under two keys); the two BROKEN bars are missing.
    const before = await reconcile(new Set(seqs));
    assert.deepEqual(before, {
      rawRecords: 5,
      rawParts: 6,
      storedBars: 4,
      quarantinedParts: 0,
      lost: [`shardId-000000000000/${seqs[1]}/1`, `shardId-000000000000/${seqs[3]}/0`].sort(),
      duplicated: [],
    });
    assert.deepEqual(
      (await keysUnder('staging/prices/symbol=FINE/')).map((k) => {
        const p = parseStagingKey(k)!;
        return `${p.sequenceNumber}-${p.lastSequenceNumber}`;
      }),
      [`${seqs[0]}-${seqs[4]}`, `${seqs[1]}-${seqs[4]}`],
    );
    assert.deepEqual(await closes('FINE'), [10, 10.1, 10.2, 10.3]);

    broken = false; // recovery
    const outcomes = await redriveStoredFailures(bucket, (event) => handler(event, context()));
    assert.deepEqual(outcomes, [{ key: failed[0], ok: true, records: 4, ingested: 4, removed: true }]);
    assert.deepEqual(await keysUnder('failed/'), []);
    const after = await reconcile(new Set(seqs));
    assert.deepEqual(after, { rawRecords: 5, rawParts: 6, storedBars: 6, quarantinedParts: 0, lost: [], duplicated: [] });
    assert.deepEqual(await closes('FINE'), [10, 10.1, 10.2, 10.3]);
    assert.deepEqual(await closes('BROKEN'), [5, 5.1]);
    // Compaction folds the overlapping staging objects into one row per provenance.
    await compactSymbols(['FINE', 'BROKEN']);
    assert.deepEqual(await reconcile(new Set(seqs)), after);
    assert.deepEqual(await closes('FINE'), [10, 10.1, 10.2, 10.3]);
    // A second redrive finds nothing to do.
    assert.deepEqual(await redriveStoredFailures(bucket, (event) => handler(event, context())), []);
    await poller.stop();
  });

  test('a failure record whose records are gone from the stream stays, with the reason', async () => {
    const seq = await put(JSON.stringify(bar('GONE', '2024-03-01', 1)));
    const later = await put(JSON.stringify(bar('GONE', '2024-03-04', 1)));
    // A range that starts before anything on the stream: the first record is no longer readable.
    const { putFailureRecord } = await import('../../lib/adapters/s3/failure-records.ts');
    const missingFirst = (BigInt(seq) - 1n).toString();
    const key = await putFailureRecord(bucket, failureRecord(missingFirst, later, 2));
    const [outcome] = await redriveStoredFailures(bucket, (event) => testHandler()(event, context()));
    assert.equal(outcome?.ok, false);
    assert.equal(outcome?.removed, false);
    assert.match(outcome!.problem!, /no longer on shardId-000000000000|cannot read/);
    assert.deepEqual(await keysUnder('failed/'), [key]);
    const { deleteFailureRecord } = await import('../../lib/adapters/s3/failure-records.ts');
    await deleteFailureRecord(bucket, key);
  });
});

describe('the handler crashing after some writes', () => {
  test('the invocation dies mid-batch; the retried batch completes it: 0 lost, 0 duplicated', async () => {
    let writes = 0;
    let crashAt = 4; // the 4th PUT of the first invocation (the first after the 3 raw backups) never happens, and nothing after it
    let crashed = false;
    const writer = async (objects: readonly LakeObject[]) => {
      writes += 1;
      if (crashAt > 0 && writes >= crashAt) {
        crashed = true;
        throw new Error('injected: the process died');
      }
      return writeLakeObjects(bucket, objects);
    };
    const handler = testHandler({ writeObjects: writer });
    // Like Lambda: a crashed invocation returns no response, only an error.
    const crashing: KinesisHandler = async (event, ctx) => {
      // Every record may be reported failed (then the handler itself rejects): the crash wins.
      const response = await handler(event, ctx).catch((err) => {
        if (!crashed) throw err;
        return undefined;
      });
      if (crashed) {
        crashed = false;
        crashAt = 0;
        throw new Error('Runtime exited');
      }
      return response;
    };
    const poller = await pollerAtTip(crashing);
    const seqs = [
      await put(JSON.stringify({ bars: [bar('CRASH', '2024-05-02', 7), bar('CRASH', '2023-12-29', 6.9)] })),
      await put(JSON.stringify(bar('CRASH', '2024-05-03', 7.1))),
      await put(JSON.stringify({ bars: [bar('CRASH', '2024-05-06', 7.2), bar('CRASH', '2024-05-07', -1)] })),
    ];
    const stats = await poller.drain();
    assert.deepEqual(stats, { invocations: 2, recordsDelivered: 6, failedInvocations: 1, discardedBatches: 0 });
    assert.deepEqual(await keysUnder('failed/'), []);
    const r = await reconcile(new Set(seqs));
    assert.deepEqual(r, { rawRecords: 3, rawParts: 5, storedBars: 4, quarantinedParts: 1, lost: [], duplicated: [] });
    assert.deepEqual(await closes('CRASH'), [6.9, 7, 7.1, 7.2]);
    await compactSymbols(['CRASH']);
    assert.deepEqual(await reconcile(new Set(seqs)), r);
    assert.deepEqual(await keysUnder('staging/prices/symbol=CRASH/'), []);
    await poller.stop();
  });
});

describe('a retried batch', () => {
  test('delivering the same batch again rewrites every object with the same bytes and adds nothing', async () => {
    const poller = await pollerAtTip(testHandler());
    const seqs = [
      await put(JSON.stringify({ bars: [bar('TWICE', '2024-06-03', 20), bar('TWICE', '2024-06-04', 'x')] })),
      await put('not json'),
      await put(JSON.stringify(bar('TWICE', '2024-06-05', 20.5))),
    ];
    await poller.drain();
    const snapshot = async () => {
      const keys = (await Promise.all(['raw/', 'staging/prices/symbol=TWICE/', 'quarantine/'].map(keysUnder)))
        .flat()
        .filter((k) => seqs.some((s) => k.includes(s)));
      return new Map(await Promise.all(keys.map(async (k) => [k, Buffer.from(await getBytes(bucket, k)).toString('base64')] as const)));
    };
    const first = await snapshot();
    assert.equal(first.size, 3 + 1 + 2); // raw per record; one staging object (TWICE 2024, records 0 and 2); quarantine for bar 0/1 and record 1

    const event: KinesisStreamEvent = toKinesisStreamEvent(
      `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
      'shardId-000000000000',
      await readSequenceRange(stream, 'shardId-000000000000', seqs[0]!, seqs[2]!),
      'riskfn-ingest-test',
    );
    assert.deepEqual(await testHandler()(event, context()), { batchItemFailures: [] });
    assert.deepEqual(await snapshot(), first);
    const r = await reconcile(new Set(seqs));
    assert.deepEqual(r, { rawRecords: 3, rawParts: 4, storedBars: 2, quarantinedParts: 2, lost: [], duplicated: [] });
    await compactSymbols(['TWICE']);
    assert.deepEqual(await reconcile(new Set(seqs)), r);
    assert.deepEqual(await closes('TWICE'), [20, 20.5]);
    await poller.stop();
  });
});

/**
 * The ingest path on the emulators, with the real SDK clients: records on kinesalite →
 * local event-source mapping → ingest handler → objects in s3rver. Mocks appear only to
 * inject a failed S3 write.
 */

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { KinesisStreamEvent } from 'aws-lambda';
import { awsIngestDependencies, createIngestHandler, type IngestDependencies } from '../../functions/ingest.ts';
import { kinesisClient, s3Client } from '../../lib/adapters/clients.ts';
import { PutRecordsError, type PutRecordsReport, putRecords } from '../../lib/adapters/kinesis/put-records.ts';
import { listSymbols, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { writeLakeObjects } from '../../lib/adapters/s3/lake-writer.ts';
import { DATA_LAKE_BUCKET, MARKET_DATA_STREAM } from '../../lib/config/resources.ts';
import { parseCuratedKey, parseQuarantineKey } from '../../lib/domain/lake/keys.ts';
import { parsePriceCsv } from '../../lib/domain/prices/parse-price-csv.ts';
import { createKinesisPoller, type KinesisHandler, type OnFailureRecord } from '../../lib/local/kinesis-poller.ts';
import { replayPriceFiles } from '../../lib/local/replay.ts';
import { useEmulators } from '../helpers/emulators.ts';

useEmulators();
const bucket = DATA_LAKE_BUCKET.localName;
const stream = MARKET_DATA_STREAM.name;
const OHLC_FILE = fileURLToPath(new URL('../../data/sample/xts_sample_ohlc.csv', import.meta.url));

// The AWS-wired dependencies with a quiet logger; tests swap in writers that fail on purpose.
const deps = awsIngestDependencies();
deps.logger.setLogLevel('SILENT');
const handler = createIngestHandler(deps);
type LakeWriter = IngestDependencies['writeObjects'];

async function listKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) keys.push(o.Key!);
  }
  return keys;
}

async function getJson(key: string): Promise<Record<string, unknown>> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await out.Body!.transformToString());
}

async function put(data: string | Uint8Array, partitionKey = 'P'): Promise<string> {
  const out = await kinesisClient().send(
    new PutRecordCommand({ StreamName: stream, PartitionKey: partitionKey, Data: typeof data === 'string' ? Buffer.from(data) : data }),
  );
  return out.SequenceNumber!;
}

const bar = (symbol: string, date: string, close: unknown = 100) => ({ symbol, date, close, source: 'test' });

describe('sample bars and bad records through Kinesis → poller → handler → S3', () => {
  const sent: Record<string, { seq: string; text?: string }> = {};
  let seen: KinesisStreamEvent | undefined;

  before(async () => {
    const replay = await replayPriceFiles(stream, [OHLC_FILE]);
    assert.equal(replay.records, 6); // 2007-01 … 2007-06
    const bad: Record<string, string> = {
      NOT_JSON: 'symbol=ABC close=1',
      SCHEMA_MISSING_FIELD: JSON.stringify({ symbol: 'ABC', date: '2024-01-02', source: 'test' }),
      NON_FINITE_PRICE: '{"symbol":"ABC","date":"2024-01-02","close":1e999,"source":"test"}',
      NON_POSITIVE_PRICE: JSON.stringify(bar('ABC', '2024-01-02', -4)),
      HIGH_BELOW_LOW: JSON.stringify({ ...bar('ABC', '2024-01-02'), open: 100, high: 90, low: 110 }),
      INVALID_DATE: JSON.stringify(bar('ABC', '2024-02-30')),
    };
    for (const [reason, text] of Object.entries(bad)) sent[reason] = { seq: await put(text), text };
    // A batch with one bad bar: the good bars are written, only bar 1 is quarantined.
    sent.BATCH = { seq: await put(JSON.stringify({ bars: [bar('abc', '2024-01-03', 10), bar('abc', '2024-01-04', 'x'), bar('abc', '2024-02-01', 12)] })) };

    const capture: KinesisHandler = async (event, context) => {
      seen ??= event;
      return handler(event, context);
    };
    const poller = createKinesisPoller({ streamName: stream, handler: capture, batchSize: 5 });
    const stats = await poller.drain();
    assert.equal(stats.failedInvocations, 0);
    assert.equal(stats.recordsDelivered, 6 + 6 + 1);
  });

  test('the handler receives a real-shaped KinesisStreamEvent', () => {
    const r = seen!.Records[0]!;
    assert.equal(r.eventSource, 'aws:kinesis');
    assert.equal(r.eventName, 'aws:kinesis:record');
    assert.equal(r.awsRegion, 'us-east-1');
    assert.match(r.eventSourceARN, new RegExp(`^arn:aws:kinesis:us-east-1:\\d{12}:stream/${stream}$`));
    assert.equal(r.eventID, `shardId-000000000000:${r.kinesis.sequenceNumber}`);
    assert.equal(r.kinesis.partitionKey, 'XTS_SAMPLE_OHLC');
    assert.equal(r.kinesis.kinesisSchemaVersion, '1.0');
    const approx = r.kinesis.approximateArrivalTimestamp;
    assert.ok(Math.abs(approx - Date.now() / 1000) < 600, `approximateArrivalTimestamp ${approx} is not epoch seconds`);
    const first = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString());
    assert.equal(first.bars[0].date, '2007-01-02');
  });

  test('curated objects: one per monthly record, read back equal to the CSV', async () => {
    const keys = await listKeys('curated/prices/symbol=XTS_SAMPLE_OHLC/');
    assert.deepEqual(keys.map((k) => parseCuratedKey(k)!.month).sort(), ['2007-01', '2007-02', '2007-03', '2007-04', '2007-05', '2007-06']);
    const expected = parsePriceCsv(await readFile(OHLC_FILE, 'utf8'));
    const series = (await readSeries(bucket, 'xts_sample_ohlc'))!;
    assert.equal(series.symbol, 'XTS_SAMPLE_OHLC');
    assert.deepEqual(series.dates, expected.dates);
    assert.deepEqual([...series.close], [...expected.close]);
    assert.deepEqual([...series.open!], [...expected.open!]);
    assert.deepEqual([...series.high!], [...expected.high!]);
    assert.deepEqual([...series.low!], [...expected.low!]);
    assert.equal(series.volume, undefined);
  });

  test('every bad record is quarantined under its reason, with the original payload', async () => {
    const keys = await listKeys('quarantine/');
    const bySeq = new Map(keys.map((k) => [`${parseQuarantineKey(k)!.sequenceNumber}/${parseQuarantineKey(k)!.barIndex ?? ''}`, k]));
    for (const [reason, { seq, text }] of Object.entries(sent)) {
      if (reason === 'BATCH') continue;
      const key = bySeq.get(`${seq}/`);
      assert.ok(key, `no quarantine object for ${reason}`);
      assert.equal(parseQuarantineKey(key)!.reason, reason);
      const body = await getJson(key);
      assert.equal(body.reason, reason);
      assert.equal(body.payload, text);
      assert.equal(Buffer.from(body.payloadBase64 as string, 'base64').toString(), text);
      assert.equal(body.sequenceNumber, seq);
    }
    const batchKey = bySeq.get(`${sent.BATCH!.seq}/1`)!;
    assert.equal(parseQuarantineKey(batchKey)!.reason, 'SCHEMA_INVALID_FIELD');
    assert.match((await getJson(batchKey)).detail as string, /^bars\.1\.close: /);
    assert.equal(keys.length, 7);
  });

  test('the batch record with one bad bar still wrote its good bars (two months → two objects)', async () => {
    const keys = await listKeys('curated/prices/symbol=ABC/');
    assert.equal(keys.length, 2);
    const series = (await readSeries(bucket, 'ABC'))!;
    assert.deepEqual(series.dates, ['2024-01-03', '2024-02-01']);
    assert.deepEqual([...series.close], [10, 12]);
  });

  test('listSymbols sees every symbol; an unknown symbol reads as null', async () => {
    assert.deepEqual(await listSymbols(bucket), ['ABC', 'XTS_SAMPLE_OHLC']);
    assert.equal(await readSeries(bucket, 'NOPE'), null);
    assert.equal(await readSeries(bucket, 'bad/../symbol'), null);
  });
});

describe('retries (ReportBatchItemFailures)', () => {
  test('a record whose S3 write fails once is retried from it: nothing lost, nothing duplicated', async () => {
    const seqs: string[] = [];
    let failuresLeft = 1;
    const flakyWriter: LakeWriter = async (objects) => {
      if (failuresLeft > 0 && objects.some((o) => o.key.includes(seqs[1]!))) {
        failuresLeft -= 1;
        await writeLakeObjects(bucket, objects.slice(0, 1)); // part of the record is written before the failure
        throw new Error('injected S3 failure');
      }
      return writeLakeObjects(bucket, objects);
    };
    const poller = createKinesisPoller({
      streamName: stream,
      handler: createIngestHandler({ ...deps, writeObjects: flakyWriter }),
      startingPosition: 'LATEST',
      retryDelayMs: 1,
    });
    await poller.drain(); // positions the LATEST iterator before anything is put

    seqs.push(await put(JSON.stringify(bar('RTY', '2024-03-01', 1))));
    seqs.push(await put(JSON.stringify({ bars: [bar('RTY', '2024-03-04', 2), bar('RTY', '2024-04-01', 3), bar('RTY', '2024-04-02', -1)] })));
    seqs.push(await put(JSON.stringify(bar('RTY', '2024-03-05', 4))));
    seqs.push(await put(JSON.stringify(bar('RTY', '2024-03-06', 5))));
    const stats = await poller.drain();

    assert.equal(failuresLeft, 0, 'the failure was injected');
    // First invocation: 4 records, the 2nd fails; the retry starts AT its sequence number (3 records).
    assert.deepEqual(stats, { invocations: 2, recordsDelivered: 7, failedInvocations: 1, discardedBatches: 0 });
    assert.equal(poller.checkpoints().get('shardId-000000000000'), seqs[3]);

    const curated = (await listKeys('curated/prices/symbol=RTY/')).map((k) => parseCuratedKey(k)!);
    const expected = [
      [seqs[0], '2024-03'],
      [seqs[1], '2024-03'],
      [seqs[1], '2024-04'],
      [seqs[2], '2024-03'],
      [seqs[3], '2024-03'],
    ]
      .map(([seq, month]) => `${seq}/${month}`)
      .sort();
    assert.deepEqual(curated.map((p) => `${p.sequenceNumber}/${p.month}`).sort(), expected);
    const quarantined = (await listKeys('quarantine/')).filter((k) => k.includes(seqs[1]!));
    assert.deepEqual(
      quarantined.map((k) => parseQuarantineKey(k)!.reason),
      ['NON_POSITIVE_PRICE'],
    );

    const series = (await readSeries(bucket, 'RTY'))!;
    assert.deepEqual(series.dates, ['2024-03-01', '2024-03-04', '2024-03-05', '2024-03-06', '2024-04-01']);
    assert.deepEqual([...series.close], [1, 2, 4, 5, 3]);
    await poller.stop();
  });

  test('a handler error retries the whole batch', async () => {
    let throwsLeft = 1;
    const failingOnce: KinesisHandler = async (event, context) => {
      if (throwsLeft-- > 0) throw new Error('injected handler crash');
      return handler(event, context);
    };
    const poller = createKinesisPoller({ streamName: stream, handler: failingOnce, startingPosition: 'LATEST', retryDelayMs: 1 });
    await poller.drain();
    await put(JSON.stringify(bar('CRASH', '2024-05-02', 7)));
    await put(JSON.stringify(bar('CRASH', '2024-05-03', 8)));
    const stats = await poller.drain();
    assert.deepEqual(stats, { invocations: 2, recordsDelivered: 4, failedInvocations: 1, discardedBatches: 0 });
    assert.deepEqual([...(await readSeries(bucket, 'CRASH'))!.close], [7, 8]);
  });

  test('after the bounded retries the batch metadata goes to onFailure and reading moves on', async () => {
    let badSeq = '';
    const writer: LakeWriter = async (objects) => {
      if (objects.some((o) => o.key.includes(badSeq))) throw new Error('injected permanent S3 failure');
      return writeLakeObjects(bucket, objects);
    };
    const failures: OnFailureRecord[] = [];
    const poller = createKinesisPoller({
      streamName: stream,
      handler: createIngestHandler({ ...deps, writeObjects: writer }),
      startingPosition: 'LATEST',
      maxRetryAttempts: 2,
      retryDelayMs: 1,
      onFailure: (r) => void failures.push(r),
    });
    await poller.drain();
    await put(JSON.stringify(bar('DLQ', '2024-06-03', 1)));
    badSeq = await put(JSON.stringify(bar('DLQ', '2024-06-04', 2)));
    const stats = await poller.drain();
    // 1 invocation + 2 retries of the failing record, then it is handed over.
    assert.deepEqual(stats, { invocations: 3, recordsDelivered: 4, failedInvocations: 3, discardedBatches: 1 });
    assert.equal(failures.length, 1);
    const info = failures[0]!;
    assert.equal(info.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(info.requestContext.approximateInvokeCount, 3);
    assert.equal(info.KinesisBatchInfo.startSequenceNumber, badSeq);
    assert.equal(info.KinesisBatchInfo.endSequenceNumber, badSeq);
    assert.equal(info.KinesisBatchInfo.batchSize, 1);
    assert.equal(info.KinesisBatchInfo.shardId, 'shardId-000000000000');
    assert.match(info.KinesisBatchInfo.streamArn, /:stream\/riskfn-market-data$/);

    await put(JSON.stringify(bar('DLQ', '2024-06-05', 3)));
    await poller.drain();
    assert.deepEqual((await readSeries(bucket, 'DLQ'))!.dates, ['2024-06-03', '2024-06-05']);
  });
});

describe('background polling', () => {
  test('start() picks up records as they arrive; stop() ends the loop', async () => {
    const poller = createKinesisPoller({ streamName: stream, handler, startingPosition: 'LATEST', pollIntervalMs: 20 });
    await poller.drain();
    poller.start();
    await put(JSON.stringify(bar('LIVE', '2024-07-01', 42)));
    for (let i = 0; i < 200 && (await readSeries(bucket, 'LIVE')) === null; i++) await new Promise((r) => setTimeout(r, 25));
    await poller.stop();
    assert.deepEqual([...(await readSeries(bucket, 'LIVE'))!.close], [42]);
  });
});

describe('PutRecords partial failures (producer side)', () => {
  /** Makes the next PutRecords calls refuse the entries whose data matches `refuse`; everything else reaches kinesalite. */
  function refuseEntries(refuse: (data: string) => boolean, times: number): () => void {
    const client = kinesisClient();
    const original = client.send.bind(client);
    let left = times;
    (client as { send: unknown }).send = async (cmd: unknown) => {
      if (!(cmd instanceof PutRecordsCommand) || left <= 0) return original(cmd as never);
      left -= 1;
      const records = cmd.input.Records ?? [];
      const refused = records.map((r) => refuse(Buffer.from(r.Data!).toString()));
      const accepted = records.filter((_, i) => !refused[i]);
      const out = accepted.length ? await original(new PutRecordsCommand({ ...cmd.input, Records: accepted }) as never) : { Records: [] };
      const seqs = [...((out as { Records?: Array<{ SequenceNumber?: string }> }).Records ?? [])];
      return {
        FailedRecordCount: refused.filter(Boolean).length,
        Records: refused.map((r) => (r ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'injected' } : seqs.shift()!)),
      };
    };
    return () => {
      (client as { send: unknown }).send = original;
    };
  }

  test('refused entries are re-sent until accepted; nothing is lost', async () => {
    const it = await kinesisClient().send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
    const entries = ['a', 'b', 'c', 'd'].map((x) => ({ partitionKey: 'PR', data: Buffer.from(`put-${x}`) }));
    const restore = refuseEntries((d) => d === 'put-b' || d === 'put-d', 2);
    let report: PutRecordsReport;
    try {
      report = await putRecords(stream, entries, { baseDelayMs: 1 });
    } finally {
      restore();
    }
    assert.deepEqual(report, { records: 4, calls: 3, retriedEntries: 2 });
    const got = await kinesisClient().send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    assert.deepEqual(got.Records!.map((r) => Buffer.from(r.Data!).toString()).sort(), ['put-a', 'put-b', 'put-c', 'put-d']);
  });

  test('entries still refused after maxAttempts raise PutRecordsError naming them', async () => {
    const restore = refuseEntries((d) => d === 'never', 10);
    try {
      await assert.rejects(putRecords(stream, [{ partitionKey: 'PR', data: Buffer.from('never') }], { maxAttempts: 2, baseDelayMs: 1 }), (err: unknown) => {
        assert.ok(err instanceof PutRecordsError);
        assert.equal(err.failed.length, 1);
        assert.equal(err.failed[0]!.errorCode, 'ProvisionedThroughputExceededException');
        return true;
      });
    } finally {
      restore();
    }
  });
});

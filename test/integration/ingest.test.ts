/**
 * The ingest path on the emulators, with the real SDK clients: records on kinesalite → local
 * event-source mapping → ingest handler → raw backup, staging Parquet and quarantine in s3rver.
 * Mocks appear only to inject failed S3 writes.
 */

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createIngestHandler } from '../../functions/ingest.ts';
import { s3Client } from '../../lib/adapters/clients.ts';
import { listSymbols, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { writeLakeObjects } from '../../lib/adapters/s3/lake-writer.ts';
import { getBytes } from '../../lib/adapters/s3/objects.ts';
import { parseQuarantineKey, parseRawKey, parseStagingKey } from '../../lib/domain/lake/keys.ts';
import { parsePriceCsv } from '../../lib/domain/prices/parse-price-csv.ts';
import { createKinesisPoller, type KinesisHandler } from '../../lib/local/kinesis-poller.ts';
import { replayPriceFiles } from '../../lib/local/replay.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { bar, bucket, keysUnder, put, quarantineEntry, reconcile, stream, testDeps, testHandler } from '../helpers/ingest-harness.ts';

useEmulators();
const OHLC_FILE = fileURLToPath(new URL('../../data/sample/xts_sample_ohlc.csv', import.meta.url));

const series = async (symbol: string) => (await readSeries(bucket, symbol)).series;

describe('sample bars and bad records through Kinesis → poller → handler → S3', () => {
  const sent: Record<string, { seq: string; text?: string }> = {};
  let seen: KinesisStreamEvent | undefined;
  const deps = testDeps();
  const seqs = new Set<string>();

  before(async () => {
    const replay = await replayPriceFiles(stream, [OHLC_FILE]);
    assert.equal(replay.records, 6); // 2007-01 … 2007-06
    const bad: Record<string, string> = {
      NOT_JSON: 'symbol=ABC close=1',
      SCHEMA_MISSING_FIELD: JSON.stringify({ symbol: 'ABC', date: '2024-01-02', source: 'test' }),
      NON_FINITE_PRICE: '{"symbol":"ABC","date":"2024-01-02","close":1e999,"source":"test"}',
      NON_POSITIVE_PRICE: JSON.stringify(bar('ABC', '2024-01-02', -4)),
      HIGH_BELOW_LOW: JSON.stringify({ ...bar('ABC', '2024-01-02'), open: 100, high: 90, low: 110 }),
      INVALID_DATE: JSON.stringify(bar('ABC', '2199-01-02')),
    };
    for (const [reason, text] of Object.entries(bad)) sent[reason] = { seq: await put(text), text };
    // A batch with one bad bar: the good bars are written, only bar 1 is quarantined.
    sent.BATCH = { seq: await put(JSON.stringify({ bars: [bar('abc', '2024-01-03', 10), bar('abc', '2024-01-04', 'x'), bar('abc', '2025-02-03', 10.5)] })) };

    const handler = createIngestHandler(deps);
    const capture: KinesisHandler = async (event, context) => {
      seen ??= event;
      for (const r of event.Records) seqs.add(r.kinesis.sequenceNumber);
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
    assert.equal(r.eventID, `shardId-000000000000:${r.kinesis.sequenceNumber}`);
    assert.equal(r.kinesis.partitionKey, 'XTS_SAMPLE_OHLC');
    assert.match(r.eventSourceARN, new RegExp(`^arn:aws:kinesis:us-east-1:\\d{12}:stream/${stream}$`));
    const approx = r.kinesis.approximateArrivalTimestamp;
    assert.ok(Math.abs(approx - Date.now() / 1000) < 600, `approximateArrivalTimestamp ${approx} is not epoch seconds`);
  });

  test('every record has its raw backup: gzip of the exact bytes, with its arrival time', async () => {
    const raw = await keysUnder('raw/');
    assert.equal(raw.length, 13);
    const notJson = raw.find((k) => parseRawKey(k)!.sequenceNumber === sent.NOT_JSON!.seq)!;
    assert.equal(gunzipSync(await getBytes(bucket, notJson)).toString(), 'symbol=ABC close=1');
    const head = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: notJson }));
    const arrival = Number(head.Metadata?.['arrival-time-ms']);
    assert.ok(Math.abs(arrival - Date.now()) < 600_000, String(head.Metadata?.['arrival-time-ms']));
  });

  test('staging: one Parquet object per (invocation, symbol, year), read back equal to the CSV', async () => {
    const keys = await keysUnder('staging/prices/symbol=XTS_SAMPLE_OHLC/');
    // The 6 monthly records arrive in invocations of 5 records: records 1-5, then record 6.
    assert.deepEqual(
      keys.map((k) => [...seqs].filter((s) => k.includes(s)).length),
      [2, 1],
    );
    assert.deepEqual([...new Set(keys.map((k) => parseStagingKey(k)!.year))], [2007]);
    const expected = parsePriceCsv(await readFile(OHLC_FILE, 'utf8'));
    const s = (await series('xts_sample_ohlc'))!;
    assert.equal(s.symbol, 'XTS_SAMPLE_OHLC');
    assert.deepEqual(s.dates, expected.dates);
    assert.deepEqual([...s.close], [...expected.close]);
    assert.deepEqual([...s.open!], [...expected.open!]);
    assert.deepEqual([...s.low!], [...expected.low!]);
  });

  test('every bad record is quarantined under its reason, on one JSON line, with the original payload', async () => {
    const keys = await keysUnder('quarantine/');
    const bySeq = new Map(keys.map((k) => [`${parseQuarantineKey(k)!.sequenceNumber}/${parseQuarantineKey(k)!.barIndex ?? ''}`, k]));
    for (const [reason, { seq, text }] of Object.entries(sent)) {
      if (reason === 'BATCH') continue;
      const key = bySeq.get(`${seq}/`);
      assert.ok(key, `no quarantine object for ${reason}`);
      assert.equal(parseQuarantineKey(key)!.reason, reason);
      const raw = (await getBytes(bucket, key)).toString();
      assert.equal(Buffer.from(raw).toString().trimEnd().includes('\n'), false, 'one line');
      const body = await quarantineEntry(key);
      assert.equal(body.reason, reason);
      assert.equal(body.payload, text);
      assert.equal(body.sequenceNumber, seq);
    }
    assert.match((await quarantineEntry(bySeq.get(`${sent.INVALID_DATE!.seq}/`)!)).detail, /date 2199-01-02 is after \d{4}-\d{2}-\d{2} \(tomorrow, UTC\)/);
    const batchKey = bySeq.get(`${sent.BATCH!.seq}/1`)!;
    assert.equal(parseQuarantineKey(batchKey)!.reason, 'SCHEMA_INVALID_FIELD');
    assert.equal(keys.length, 7);
  });

  test('the batch record with one bad bar still wrote its good bars (two years → two staging objects)', async () => {
    assert.deepEqual(
      (await keysUnder('staging/prices/symbol=ABC/')).map((k) => parseStagingKey(k)!.year),
      [2024, 2025],
    );
    const s = (await series('ABC'))!;
    assert.deepEqual(s.dates, ['2024-01-03', '2025-02-03']);
    assert.deepEqual([...s.close], [10, 10.5]);
  });

  test('metrics: bars accepted, parts quarantined by reason, nothing held or failed', () => {
    assert.deepEqual(deps.metrics.counts, {
      barsAccepted: 180 + 2,
      barsHeld: 0,
      recordsFailed: 0,
      partsQuarantined: {
        NOT_JSON: 1,
        SCHEMA_MISSING_FIELD: 1,
        NON_FINITE_PRICE: 1,
        NON_POSITIVE_PRICE: 1,
        HIGH_BELOW_LOW: 1,
        INVALID_DATE: 1,
        SCHEMA_INVALID_FIELD: 1,
      },
    });
  });

  test('reconciliation: raw parts = staged bars + quarantined parts, none lost, none twice', async () => {
    const r = await reconcile(seqs);
    assert.deepEqual(r, { rawRecords: 13, rawParts: 180 + 6 + 3, storedBars: 182, quarantinedParts: 7, lost: [], duplicated: [] });
  });

  test('listSymbols sees every symbol; an unknown symbol reads as null', async () => {
    assert.deepEqual(await listSymbols(bucket), ['ABC', 'XTS_SAMPLE_OHLC']);
    assert.equal(await series('NOPE'), null);
  });
});

describe('plausibility through the handler', () => {
  test('a close of 1000 after a series near 105 is held, and the series is unchanged', async () => {
    const deps = testDeps();
    const poller = createKinesisPoller({ streamName: stream, handler: createIngestHandler(deps), startingPosition: 'LATEST', retryDelayMs: 1 });
    await poller.drain();
    const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    await put(JSON.stringify({ bars: days.map((d, i) => bar('HELD', d, 105 + (i % 3))) }));
    await poller.drain();
    const before = (await series('HELD'))!;
    const heldSeq = await put(JSON.stringify(bar('HELD', '2024-01-31', 1000)));
    const revisionSeq = await put(JSON.stringify({ bars: [bar('HELD', '2024-01-15', 50), bar('HELD', '2024-02-01', 106)] }));
    await poller.drain();
    const after = (await series('HELD'))!;
    assert.deepEqual(after.dates, [...before.dates, '2024-02-01']);
    assert.deepEqual([...after.close].slice(0, 30), [...before.close]);
    const held = (await keysUnder('quarantine/reason=IMPLAUSIBLE_PRICE/')).filter((k) => k.includes(heldSeq));
    assert.equal(held.length, 1);
    const entry = await quarantineEntry(held[0]!);
    assert.equal(entry.held?.bar.close, 1000);
    assert.equal(entry.held?.evidence.kind === 'IMPLAUSIBLE_PRICE' && entry.held.evidence.previous?.close, 105 + (29 % 3));
    const revision = (await keysUnder('quarantine/reason=SUSPECT_REVISION/')).filter((k) => k.includes(revisionSeq));
    assert.deepEqual(
      revision.map((k) => parseQuarantineKey(k)!.barIndex),
      [0],
    );
    assert.equal(deps.metrics.counts.barsHeld, 2);
    assert.deepEqual(deps.metrics.counts.partsQuarantined, { IMPLAUSIBLE_PRICE: 1, SUSPECT_REVISION: 1 });
    await poller.stop();
  });
});

describe('S3 retries inside the handler', () => {
  test('writes that fail twice are retried within the budget: no failed invocation, nothing lost', async () => {
    let failuresLeft = 2;
    const flaky = testHandler({
      writeObjects: async (objects) => {
        if (failuresLeft > 0 && objects.some((o) => o.key.includes('symbol=FLAKY/'))) {
          failuresLeft -= 1;
          throw new Error('injected S3 failure');
        }
        return writeLakeObjects(bucket, objects);
      },
    });
    const poller = createKinesisPoller({ streamName: stream, handler: flaky, startingPosition: 'LATEST', retryDelayMs: 1 });
    await poller.drain();
    await put(JSON.stringify(bar('FLAKY', '2024-03-01', 1)));
    await put(JSON.stringify(bar('FLAKY', '2024-03-04', 1.01)));
    const stats = await poller.drain();
    assert.equal(failuresLeft, 0, 'the failures were injected');
    assert.deepEqual(stats, { invocations: 1, recordsDelivered: 2, failedInvocations: 0, discardedBatches: 0 });
    assert.deepEqual([...(await series('FLAKY'))!.close], [1, 1.01]);
    await poller.stop();
  });
});

describe('background polling', () => {
  test('start() picks up records as they arrive; stop() ends the loop', async () => {
    const poller = createKinesisPoller({ streamName: stream, handler: testHandler(), startingPosition: 'LATEST', pollIntervalMs: 20 });
    await poller.drain();
    poller.start();
    await put(JSON.stringify(bar('LIVE', '2024-07-01', 42)));
    for (let i = 0; i < 200 && (await series('LIVE')) === null; i++) await new Promise((r) => setTimeout(r, 25));
    await poller.stop();
    assert.deepEqual([...(await series('LIVE'))!.close], [42]);
  });
});

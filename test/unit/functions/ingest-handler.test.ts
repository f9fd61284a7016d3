/**
 * The ingest handler with an in-memory lake writer: which objects a batch produces, and how a
 * failed write becomes a partial batch response (ReportBatchItemFailures) naming the first
 * record to retry. The emulator path (Kinesis → poller → S3) is test/integration/ingest.test.ts.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createIngestHandler } from '../../../functions/ingest.ts';
import type { LakeObject } from '../../../lib/domain/ingest/plan-record.ts';
import { parseCuratedKey, parseQuarantineKey } from '../../../lib/domain/lake/keys.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';
import { silentLogger } from '../api/fixtures.ts';

const SHARD = 'shardId-000000000000';

function kinesisEvent(records: { seq: string; data: unknown }[]): KinesisStreamEvent {
  return {
    Records: records.map(({ seq, data }) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'P',
        sequenceNumber: seq,
        data: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)).toString('base64'),
        approximateArrivalTimestamp: 1_700_000_000.5,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${SHARD}:${seq}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/riskfn-ingest',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/riskfn-market-data',
    })),
  };
}

const bar = (date: string, close: unknown) => ({ symbol: 'ABC', date, close, source: 'test' });
const context = () => createLambdaContext({ functionName: 'riskfn-ingest-test', timeoutMs: 60_000 });

describe('ingest handler', () => {
  test('valid bars go to curated objects per (symbol, month), rejects to quarantine; nothing to retry', async () => {
    const written: LakeObject[] = [];
    const handler = createIngestHandler({ logger: silentLogger(), writeObjects: async (objects) => void written.push(...objects) });
    const out = await handler(
      kinesisEvent([
        { seq: '100', data: { bars: [bar('2024-03-01', 10), bar('2024-04-02', 11), bar('2024-04-03', -1)] } },
        { seq: '101', data: 'not json' },
      ]),
      context(),
    );
    assert.deepEqual(out, { batchItemFailures: [] });
    const curated = written
      .map((o) => parseCuratedKey(o.key))
      .filter((k) => k !== null)
      .map((k) => `${k.symbol} ${k.month} ${k.sequenceNumber}`);
    assert.deepEqual(curated.sort(), ['ABC 2024-03 100', 'ABC 2024-04 100']);
    const quarantined = written
      .map((o) => parseQuarantineKey(o.key))
      .filter((k) => k !== null)
      .map((k) => `${k.sequenceNumber} ${k.reason}`);
    assert.deepEqual(quarantined.sort(), ['100 NON_POSITIVE_PRICE', '101 NOT_JSON']);
  });

  test('a record whose write fails is reported, with every later record, for the retry', async () => {
    const handler = createIngestHandler({
      logger: silentLogger(),
      writeObjects: async (objects) => {
        if (objects.some((o) => o.key.includes('201'))) throw new Error('injected S3 failure');
      },
    });
    const out = await handler(
      kinesisEvent([
        { seq: '200', data: bar('2024-03-01', 10) },
        { seq: '201', data: bar('2024-03-04', 11) },
        { seq: '202', data: bar('2024-03-05', 12) },
      ]),
      context(),
    );
    // Kinesis retries from the first failed sequence number, so that is what the response names.
    assert.deepEqual(out, { batchItemFailures: [{ itemIdentifier: '201' }] });
  });
});

/**
 * The ingest handler with an in-memory lake: which objects a batch produces and in what order,
 * plausibility against injected closes, one staging object per (symbol, year) per batch, metrics,
 * S3 retries within the budget, and how a write that keeps failing becomes a partial batch response (ReportBatchItemFailures) naming the records
 * to retry. The emulator path (Kinesis → poller → S3) is test/integration/ingest.test.ts.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createIngestHandler, type IngestDependencies } from '../../../functions/ingest.ts';
import type { LakeObject } from '../../../lib/domain/ingest/plan-record.ts';
import { CloseHistory } from '../../../lib/domain/ingest/plausibility.ts';
import { parseQuarantineKey, parseRawKey, parseStagingKey } from '../../../lib/domain/lake/keys.ts';
import { decodeBars } from '../../../lib/domain/lake/parquet-bars.ts';
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

/** Dependencies without AWS: writes recorded, ABC's stored closes 10 on 2024-02-01 … 2024-02-29, metrics counted. */
function fakeDeps(overrides: Partial<IngestDependencies> = {}) {
  const written: LakeObject[] = [];
  const metrics = { accepted: 0, held: 0, failed: 0, quarantined: {} as Record<string, number>, published: 0 };
  const pauses: number[] = [];
  const deps: IngestDependencies = {
    logger: silentLogger(),
    now: () => new Date('2025-06-01T12:00:00Z'),
    writeObjects: async (objects) => {
      written.push(...objects);
    },
    readCloses: async (symbol) =>
      symbol === 'ABC'
        ? new CloseHistory(
            Array.from({ length: 29 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`),
            new Array(29).fill(10),
          )
        : new CloseHistory(),
    metrics: {
      barsAccepted: (n) => {
        metrics.accepted += n;
      },
      barsHeld: (n) => {
        metrics.held += n;
      },
      recordsFailed: (n) => {
        metrics.failed += n;
      },
      partsQuarantined: (r, n) => {
        metrics.quarantined[r] = (metrics.quarantined[r] ?? 0) + n;
      },
      publish: () => {
        metrics.published += 1;
      },
    },
    sleep: async (ms) => {
      pauses.push(ms);
    },
    ...overrides,
  };
  return { deps, written, metrics, pauses };
}

describe('ingest handler', () => {
  test('raw backup first, then staging per (symbol, year) and quarantine; a held bar; metrics; nothing to retry', async () => {
    const { deps, written, metrics } = fakeDeps();
    const out = await createIngestHandler(deps)(
      kinesisEvent([
        { seq: '100', data: { bars: [bar('2024-03-01', 10.1), bar('2025-01-02', 10.2), bar('2024-04-03', -1)] } },
        { seq: '101', data: 'not json' },
        { seq: '102', data: bar('2025-01-03', 100) },
        { seq: '103', data: bar('2025-06-03', 10) },
      ]),
      context(),
    );
    assert.deepEqual(out, { batchItemFailures: [] });
    const kinds = written.map((o) => (parseRawKey(o.key) ? `raw ${parseRawKey(o.key)!.sequenceNumber}` : parseStagingKey(o.key) ? 'staging' : 'quarantine'));
    assert.equal(kinds[0], 'raw 100', "the raw backup is written before the record's other objects");
    const staging = written
      .map((o) => parseStagingKey(o.key))
      .filter((k) => k !== null)
      .map((k) => `${k.symbol} ${k.year} ${k.sequenceNumber}`);
    assert.deepEqual(staging.sort(), ['ABC 2024 100', 'ABC 2025 100']);
    const quarantined = written
      .map((o) => parseQuarantineKey(o.key))
      .filter((k) => k !== null)
      .map((k) => `${k.sequenceNumber} ${k.reason}`);
    // 102: 100 after 10.2 the day before is implausible; 103: after tomorrow (2025-06-02) is refused.
    assert.deepEqual(quarantined.sort(), ['100 NON_POSITIVE_PRICE', '101 NOT_JSON', '102 IMPLAUSIBLE_PRICE', '103 INVALID_DATE']);
    assert.deepEqual(metrics, {
      accepted: 2,
      held: 1,
      failed: 0,
      quarantined: { NON_POSITIVE_PRICE: 1, NOT_JSON: 1, IMPLAUSIBLE_PRICE: 1, INVALID_DATE: 1 },
      published: 1,
    });
  });

  test('an S3 write that fails a few times is retried with backoff within the budget', async () => {
    let failures = 3;
    const { deps, pauses } = fakeDeps({
      writeObjects: async () => {
        if (failures-- > 0) throw new Error('injected S3 failure');
      },
    });
    const out = await createIngestHandler(deps)(kinesisEvent([{ seq: '300', data: bar('2024-03-01', 10) }]), context());
    assert.deepEqual(out, { batchItemFailures: [] });
    assert.equal(pauses.length, 3);
    for (const [i, ms] of pauses.entries()) assert.ok(ms >= 0 && ms <= 100 * 2 ** i, `pause ${i + 1} is ${ms} ms`);
  });

  test('a record whose raw backup keeps failing is reported with every later record; earlier ones are stored, staging holds none of the failed rows', async () => {
    let attempts = 0;
    const { deps, written, metrics } = fakeDeps({
      writeObjects: async (objects) => {
        if (objects.some((o) => parseRawKey(o.key)?.sequenceNumber === '201')) {
          attempts += 1;
          throw new Error('injected S3 failure');
        }
        written.push(...objects);
      },
    });
    const out = await createIngestHandler(deps)(
      kinesisEvent([
        { seq: '200', data: bar('2024-03-01', 10) },
        { seq: '201', data: bar('2024-03-04', 11) },
        { seq: '202', data: bar('2024-03-05', 12) },
      ]),
      context(),
    );
    // Kinesis retries from the lowest failed sequence number.
    assert.deepEqual(out, { batchItemFailures: [{ itemIdentifier: '201' }, { itemIdentifier: '202' }] });
    assert.equal(attempts, 6, 'the whole retry budget was spent on the raw backup of 201');
    const staging = written.map((o) => parseStagingKey(o.key)).filter((k) => k !== null);
    assert.deepEqual(
      staging.map((k) => `${k.sequenceNumber}-${k.lastSequenceNumber}`),
      ['200-200'],
      'staging is planned again for the records before the failed one: no row without its raw backup',
    );
    assert.deepEqual(metrics.accepted, 1);
    assert.equal(metrics.failed, 2);
  });

  test('one staging object per (symbol, year) for the whole batch, keyed by its first and last record', async () => {
    const { deps, written } = fakeDeps();
    const out = await createIngestHandler(deps)(
      kinesisEvent([
        { seq: '400', data: bar('2024-03-01', 10) },
        { seq: '401', data: bar('2024-03-04', 10.1) },
        { seq: '402', data: { ...bar('2024-03-05', 10.2), symbol: 'XYZ' } },
        { seq: '403', data: bar('2024-03-05', 10.2) },
        { seq: '404', data: 'not json' },
      ]),
      context(),
    );
    assert.deepEqual(out, { batchItemFailures: [] });
    assert.equal(written.filter((o) => parseRawKey(o.key)).length, 5);
    const staging = written.map((o) => parseStagingKey(o.key)).filter((k) => k !== null);
    assert.deepEqual(staging.map((k) => `${k.symbol} ${k.year} ${k.sequenceNumber}-${k.lastSequenceNumber}`).sort(), ['ABC 2024 400-403', 'XYZ 2024 402-402']);
    const abc = written.find((o) => o.key.includes('symbol=ABC/'))!;
    const rows = await decodeBars(abc.body as Uint8Array);
    assert.deepEqual(
      rows.map((r) => `${r.sequenceNumber}/${r.barIndex} ${r.date} ${r.close}`),
      ['400/0 2024-03-01 10', '401/0 2024-03-04 10.1', '403/0 2024-03-05 10.2'],
    );
  });

  test('a staging object that keeps failing fails its first record and every later one; the other objects are still written', async () => {
    const { deps, written, metrics } = fakeDeps({
      writeObjects: async (objects) => {
        if (objects.some((o) => o.key.includes('symbol=XYZ/'))) throw new Error('injected S3 failure');
        written.push(...objects);
      },
    });
    const out = await createIngestHandler(deps)(
      kinesisEvent([
        { seq: '500', data: bar('2024-03-01', 10) },
        { seq: '501', data: { ...bar('2024-03-04', 10.1), symbol: 'XYZ' } },
        { seq: '502', data: bar('2024-03-05', 10.2) },
        { seq: '503', data: { ...bar('2024-03-06', 10.3), symbol: 'XYZ' } },
      ]),
      context(),
    );
    assert.deepEqual(out, { batchItemFailures: [{ itemIdentifier: '501' }, { itemIdentifier: '502' }, { itemIdentifier: '503' }] });
    // ABC's object (500-502) is stored: 502's row in it is stored again, under another key, by the retry; compaction keeps one.
    const staging = written.map((o) => parseStagingKey(o.key)).filter((k) => k !== null);
    assert.deepEqual(
      staging.map((k) => `${k.symbol} ${k.sequenceNumber}-${k.lastSequenceNumber}`),
      ['ABC 500-502'],
    );
    assert.deepEqual(
      written
        .filter((o) => parseRawKey(o.key))
        .map((o) => parseRawKey(o.key)!.sequenceNumber)
        .sort(),
      ['500', '501', '502', '503'],
    );
    assert.equal(metrics.accepted, 1, 'only record 500 counts as ingested');
    assert.equal(metrics.failed, 3);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planBatch, stagingOfFirst } from '../../../lib/domain/ingest/plan-batch.ts';
import { type KinesisRecordRef, planRecord } from '../../../lib/domain/ingest/plan-record.ts';
import { CloseHistory } from '../../../lib/domain/ingest/plausibility.ts';
import { parseStagingKey } from '../../../lib/domain/lake/keys.ts';
import { decodeBars } from '../../../lib/domain/lake/parquet-bars.ts';

const SHARD = 'shardId-000000000000';
const ref = (seq: number): KinesisRecordRef => ({ shardId: SHARD, sequenceNumber: String(seq), approximateArrivalTimestamp: 1_717_000_000 + seq });
const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const bar = (symbol: string, date: string, close: unknown = 100) => ({ symbol, date, close, source: 't' });
const ctx = () => ({ latestDate: '2024-06-01', histories: new Map<string, CloseHistory>() });
const rowIds = async (body: string | Uint8Array) => (await decodeBars(body as Uint8Array)).map((r) => `${r.sequenceNumber}/${r.barIndex} ${r.date}`);

describe('planBatch', () => {
  const records = [
    { ref: ref(10), data: json(bar('dax', '2023-12-29', 100)) },
    { ref: ref(11), data: json({ bars: [bar('dax', '2024-01-02', 101), bar('smi', '2024-01-02', 50)] }) },
    { ref: ref(12), data: json('not a bar') },
    { ref: ref(13), data: json(bar('dax', '2024-01-03', 102)) },
  ];

  test('one staging object per (symbol, year) for all records, keyed by its first and last record, rows in stream order', async () => {
    const plan = planBatch(records, ctx());
    assert.deepEqual(
      plan.staging.map((o) => [parseStagingKey(o.key), o.firstRecord]),
      [
        [{ symbol: 'DAX', year: 2023, shardId: SHARD, sequenceNumber: '10', lastSequenceNumber: '10' }, 0],
        [{ symbol: 'DAX', year: 2024, shardId: SHARD, sequenceNumber: '11', lastSequenceNumber: '13' }, 1],
        [{ symbol: 'SMI', year: 2024, shardId: SHARD, sequenceNumber: '11', lastSequenceNumber: '11' }, 1],
      ],
    );
    assert.deepEqual(await rowIds(plan.staging[1]!.body), ['11/0 2024-01-02', '13/0 2024-01-03']);
    assert.deepEqual(
      plan.records.map((p) => [p.barsAccepted, p.quarantine.length]),
      [
        [1, 0],
        [2, 0],
        [0, 1],
        [1, 0],
      ],
    );
  });

  test('per record it plans what planRecord plans (raw, quarantine, rows)', () => {
    const plan = planBatch(records, ctx());
    const c = ctx();
    plan.records.forEach((p, i) => {
      const { staging: _, ...single } = planRecord(records[i]!.ref, records[i]!.data, c);
      assert.deepEqual(p, single);
    });
  });

  test("a later record is checked against the earlier records' accepted bars", () => {
    const c = ctx();
    c.histories.set('DAX', new CloseHistory(['2024-01-02', '2024-01-03'], [100, 100]));
    const plan = planBatch(
      [
        { ref: ref(20), data: json(bar('dax', '2024-01-04', 101)) },
        { ref: ref(21), data: json(bar('dax', '2024-01-05', 1010)) },
      ],
      c,
    );
    assert.deepEqual(
      plan.records.map((p) => p.held.map((h) => h.reason)),
      [[], ['IMPLAUSIBLE_PRICE']],
    );
    assert.equal(c.histories.get('DAX')!.size, 3, 'the accepted bar of record 20 joined the history');
  });

  test('stagingOfFirst(n) holds only the rows of the first n records, under keys that end at the last of them', async () => {
    const plan = planBatch(records, ctx());
    const first2 = stagingOfFirst(plan, 2);
    assert.deepEqual(
      first2.map((o) => `${parseStagingKey(o.key)!.symbol} ${parseStagingKey(o.key)!.sequenceNumber}-${parseStagingKey(o.key)!.lastSequenceNumber}`),
      ['DAX 10-10', 'DAX 11-11', 'SMI 11-11'],
    );
    assert.deepEqual(await rowIds(first2[1]!.body), ['11/0 2024-01-02']);
    assert.deepEqual(stagingOfFirst(plan, 0), []);
  });

  test('deterministic: the same batch gives byte-identical objects', () => {
    assert.deepEqual(planBatch(records, ctx()), planBatch(records, ctx()));
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type KinesisRecordRef, planRecord } from '../../../lib/domain/ingest/plan-record.ts';
import { decodeCuratedObject } from '../../../lib/domain/lake/curated-object.ts';
import { parseCuratedKey, parseQuarantineKey } from '../../../lib/domain/lake/keys.ts';
import { QUARANTINE_REASON_CODES, type QuarantineReason } from '../../../lib/schemas/quarantine-reason.ts';

const ref: KinesisRecordRef = {
  shardId: 'shardId-000000000000',
  sequenceNumber: '49654321098765432109876543210987654321098765432109876543',
  approximateArrivalTimestamp: 1_717_199_999.5, // 2024-05-31T23:59:59.5Z
};
const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const bar = (symbol: string, date: string, close: unknown = 100) => ({ symbol, date, close, source: 't' });

describe('planRecord', () => {
  test('one curated object per (symbol, month) partition; lines carry shard, sequence number and index', () => {
    const plan = planRecord(ref, json({ bars: [bar('dax', '2024-01-30'), bar('DAX', '2024-02-01'), bar('smi', '2024-01-31'), bar('dax', '2024-01-31')] }));
    const seq = ref.sequenceNumber;
    assert.deepEqual(
      plan.curated.map((o) => o.key),
      [
        `curated/prices/symbol=DAX/month=2024-01/shardId-000000000000-${seq}.jsonl`,
        `curated/prices/symbol=DAX/month=2024-02/shardId-000000000000-${seq}.jsonl`,
        `curated/prices/symbol=SMI/month=2024-01/shardId-000000000000-${seq}.jsonl`,
      ],
    );
    const jan = decodeCuratedObject(plan.curated[0]!.key, plan.curated[0]!.body);
    assert.deepEqual(
      jan.map((b) => [b.date, b.index, b.sequenceNumber, b.shardId]),
      [
        ['2024-01-30', 0, seq, 'shardId-000000000000'],
        ['2024-01-31', 3, seq, 'shardId-000000000000'],
      ],
    );
    assert.equal(plan.curated[0]!.contentType, 'application/x-ndjson');
    assert.equal(plan.barsAccepted, 4);
    assert.deepEqual(plan.quarantine, []);
  });

  test('quarantine objects: key by reason and arrival date, barIndex for a batch bar, original payload kept', () => {
    const plan = planRecord(ref, json({ bars: [bar('dax', '2024-01-02'), bar('dax', '2024-01-03', 0)] }));
    assert.equal(plan.curated.length, 1);
    assert.equal(plan.quarantine.length, 1);
    const q = plan.quarantine[0]!;
    assert.equal(q.key, `quarantine/reason=NON_POSITIVE_PRICE/ingest_date=2024-05-31/shardId-000000000000-${ref.sequenceNumber}-1.json`);
    const body = JSON.parse(q.body);
    assert.equal(body.reason, 'NON_POSITIVE_PRICE');
    assert.equal(body.detail, 'bars.1.close: close is 0, prices must be > 0');
    assert.equal(body.barIndex, 1);
    assert.equal(body.shardId, 'shardId-000000000000');
    assert.equal(body.sequenceNumber, ref.sequenceNumber);
    assert.equal(body.approximateArrivalTimestamp, '2024-05-31T23:59:59.500Z');
    assert.deepEqual(JSON.parse(Buffer.from(body.payloadBase64, 'base64').toString()), bar('dax', '2024-01-03', 0));
    assert.deepEqual(JSON.parse(body.payload), bar('dax', '2024-01-03', 0));
    assert.deepEqual(plan.rejectedByReason, { NON_POSITIVE_PRICE: 1 });
  });

  test('a whole-record rejection has no bar index and keeps the exact bytes', () => {
    const data = new Uint8Array([0x80, 0x81, 0x82]);
    const plan = planRecord(ref, data);
    const q = plan.quarantine[0]!;
    assert.deepEqual(parseQuarantineKey(q.key), { reason: 'NOT_JSON', ingestDate: '2024-05-31', shardId: ref.shardId, sequenceNumber: ref.sequenceNumber });
    const body = JSON.parse(q.body);
    assert.equal(body.payloadBase64, 'gIGC');
    assert.equal('payload' in body, false);
    assert.equal('barIndex' in body, false);
  });

  test('deterministic: planning the same record twice gives byte-identical objects', () => {
    const data = json({ bars: [bar('dax', '2024-01-02'), bar('dax', 'nope')] });
    assert.deepEqual(planRecord(ref, data), planRecord(ref, data));
  });

  test('keys depend only on shard id and sequence number: another record never collides', () => {
    const data = json(bar('dax', '2024-01-02'));
    const a = planRecord(ref, data).curated[0]!.key;
    const b = planRecord({ ...ref, sequenceNumber: `${ref.sequenceNumber.slice(0, -1)}4` }, data).curated[0]!.key;
    assert.notEqual(a, b);
    assert.equal(parseCuratedKey(a)?.sequenceNumber, ref.sequenceNumber);
  });

  test('every quarantine reason code is reachable through planRecord', () => {
    const ok = { symbol: 'A', date: '2024-01-02', close: 100, source: 's' };
    const inputs: Record<QuarantineReason, Uint8Array> = {
      NOT_JSON: new TextEncoder().encode('{'),
      BATCH_TOO_LARGE: json({ bars: Array.from({ length: 1001 }, () => ok) }),
      EMPTY_BATCH: json({ bars: [] }),
      SCHEMA_MISSING_FIELD: json({ ...ok, close: undefined }),
      SCHEMA_INVALID_FIELD: json({ ...ok, symbol: 'a b' }),
      INVALID_DATE: json({ ...ok, date: '2024-02-30' }),
      NON_FINITE_PRICE: json({ ...ok, close: 'NaN' }),
      NON_POSITIVE_PRICE: json({ ...ok, close: -1 }),
      HIGH_BELOW_LOW: json({ ...ok, open: 100, high: 99, low: 101 }),
      OHLC_INCONSISTENT: json({ ...ok, open: 100, high: 101, low: 99, close: 102 }),
      INVALID_VOLUME: json({ ...ok, volume: -1 }),
    };
    assert.deepEqual(Object.keys(inputs).sort(), [...QUARANTINE_REASON_CODES].sort());
    for (const [reason, data] of Object.entries(inputs)) {
      const plan = planRecord(ref, data);
      assert.deepEqual(
        plan.quarantine.map((q) => parseQuarantineKey(q.key)?.reason),
        [reason],
        reason,
      );
      assert.equal(plan.curated.length, 0);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { gzipRaw, type KinesisRecordRef, type LakeObject, planRecord } from '../../../lib/domain/ingest/plan-record.ts';
import { CloseHistory } from '../../../lib/domain/ingest/plausibility.ts';
import { parseQuarantineKey, parseRawKey, parseStagingKey } from '../../../lib/domain/lake/keys.ts';
import { decodeBars } from '../../../lib/domain/lake/parquet-bars.ts';
import { QUARANTINE_REASON_CODES, type QuarantineReason } from '../../../lib/schemas/quarantine-reason.ts';

const ref: KinesisRecordRef = {
  shardId: 'shardId-000000000000',
  sequenceNumber: '49654321098765432109876543210987654321098765432109876543',
  approximateArrivalTimestamp: 1_717_199_999.5, // 2024-05-31T23:59:59.5Z
};
const ARRIVAL_MS = 1_717_199_999_500;
const ctx = { latestDate: '2024-06-01' };
const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const bar = (symbol: string, date: string, close: unknown = 100) => ({ symbol, date, close, source: 't' });
const text = (o: LakeObject): string => (typeof o.body === 'string' ? o.body : Buffer.from(o.body).toString('utf8'));
const body = (o: LakeObject) => JSON.parse(text(o));
/** DAX closes 100 on 2024-01-01 … 2024-01-30. */
const daxHistory = () =>
  new Map([
    [
      'DAX',
      new CloseHistory(
        Array.from({ length: 30 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`),
        new Array(30).fill(100),
      ),
    ],
  ]);

describe('planRecord: raw backup', () => {
  test('the record bytes, gzip, under raw/shard=<shard>/<seq>.json.gz; same bytes every time', () => {
    const data = json({ bars: [bar('dax', '2024-01-02'), bar('dax', 'nope')] });
    const a = planRecord(ref, data, ctx).raw;
    assert.equal(a.key, `raw/shard=shardId-000000000000/${ref.sequenceNumber}.json.gz`);
    assert.deepEqual(parseRawKey(a.key), { shardId: ref.shardId, sequenceNumber: ref.sequenceNumber });
    assert.equal(a.contentType, 'application/gzip');
    assert.deepEqual(a.metadata, { 'arrival-time-ms': String(ARRIVAL_MS) });
    assert.deepEqual(new Uint8Array(gunzipSync(a.body as Uint8Array)), data);
    const bytes = a.body as Uint8Array;
    assert.deepEqual([bytes[0], bytes[1], bytes[4], bytes[5], bytes[6], bytes[7], bytes[9]], [0x1f, 0x8b, 0, 0, 0, 0, 255]); // magic, mtime 0, OS "unknown"
    assert.deepEqual(planRecord(ref, data, ctx).raw.body, bytes);
  });

  test('a record that is not even JSON still gets its raw backup', () => {
    const data = new Uint8Array([0x80, 0x81, 0x82]);
    assert.deepEqual(new Uint8Array(gunzipSync(planRecord(ref, data, ctx).raw.body as Uint8Array)), data);
  });
});

describe('planRecord: staging Parquet', () => {
  test('one object per (symbol, year); rows carry shard, sequence number, bar index and arrival time', async () => {
    const plan = planRecord(
      ref,
      json({ bars: [bar('dax', '2023-12-29'), bar('DAX', '2024-01-02', 101), bar('smi', '2024-01-02'), bar('dax', '2024-01-03', 102)] }),
      ctx,
    );
    assert.deepEqual(
      plan.staging.map((o) => parseStagingKey(o.key)),
      [
        { symbol: 'DAX', year: 2023, shardId: ref.shardId, sequenceNumber: ref.sequenceNumber, lastSequenceNumber: ref.sequenceNumber },
        { symbol: 'DAX', year: 2024, shardId: ref.shardId, sequenceNumber: ref.sequenceNumber, lastSequenceNumber: ref.sequenceNumber },
        { symbol: 'SMI', year: 2024, shardId: ref.shardId, sequenceNumber: ref.sequenceNumber, lastSequenceNumber: ref.sequenceNumber },
      ],
    );
    assert.equal(plan.staging[0]!.contentType, 'application/vnd.apache.parquet');
    const rows = await decodeBars(plan.staging[1]!.body as Uint8Array);
    assert.deepEqual(rows, [
      {
        symbol: 'DAX',
        date: '2024-01-02',
        open: null,
        high: null,
        low: null,
        close: 101,
        volume: null,
        source: 't',
        shardId: ref.shardId,
        sequenceNumber: ref.sequenceNumber,
        barIndex: 1,
        arrivalTime: ARRIVAL_MS,
        revision: 0,
        flags: null,
      },
      {
        symbol: 'DAX',
        date: '2024-01-03',
        open: null,
        high: null,
        low: null,
        close: 102,
        volume: null,
        source: 't',
        shardId: ref.shardId,
        sequenceNumber: ref.sequenceNumber,
        barIndex: 3,
        arrivalTime: ARRIVAL_MS,
        revision: 0,
        flags: null,
      },
    ]);
    assert.equal(plan.barsAccepted, 4);
    assert.deepEqual(plan.quarantine, []);
  });

  test('deterministic: planning the same record twice gives byte-identical objects', () => {
    const data = json({ bars: [bar('dax', '2024-01-02'), bar('dax', 'nope'), bar('dax', '2024-01-31', 1000)] });
    assert.deepEqual(planRecord(ref, data, { ...ctx, histories: daxHistory() }), planRecord(ref, data, { ...ctx, histories: daxHistory() }));
  });
});

describe('planRecord: quarantine of rejected parts', () => {
  test('key by reason and arrival date, barIndex for a batch bar, original payload kept', () => {
    const plan = planRecord(ref, json({ bars: [bar('dax', '2024-01-02'), bar('dax', '2024-01-03', 0)] }), ctx);
    assert.equal(plan.staging.length, 1);
    assert.equal(plan.quarantine.length, 1);
    const q = plan.quarantine[0]!;
    assert.equal(q.key, `quarantine/reason=NON_POSITIVE_PRICE/ingest_date=2024-05-31/shardId-000000000000-${ref.sequenceNumber}-1.json`);
    const b = body(q);
    assert.equal(b.reason, 'NON_POSITIVE_PRICE');
    assert.equal(b.detail, 'bars.1.close: close is 0, prices must be > 0');
    assert.equal(b.barIndex, 1);
    assert.equal(b.approximateArrivalTimestamp, '2024-05-31T23:59:59.500Z');
    assert.deepEqual(JSON.parse(Buffer.from(b.payloadBase64, 'base64').toString()), bar('dax', '2024-01-03', 0));
    assert.deepEqual(plan.quarantinedByReason, { NON_POSITIVE_PRICE: 1 });
  });

  test('a whole-record rejection has no bar index and keeps the exact bytes', () => {
    const plan = planRecord(ref, new Uint8Array([0x80, 0x81, 0x82]), ctx);
    const q = plan.quarantine[0]!;
    assert.deepEqual(parseQuarantineKey(q.key), { reason: 'NOT_JSON', ingestDate: '2024-05-31', shardId: ref.shardId, sequenceNumber: ref.sequenceNumber });
    const b = body(q);
    assert.equal(b.payloadBase64, 'gIGC');
    assert.equal('payload' in b, false);
    assert.equal('barIndex' in b, false);
  });

  test('a bar dated after ctx.latestDate is INVALID_DATE', () => {
    const plan = planRecord(ref, json(bar('dax', '2024-06-02')), ctx);
    assert.deepEqual(plan.quarantinedByReason, { INVALID_DATE: 1 });
    assert.equal(body(plan.quarantine[0]!).detail, 'date: date 2024-06-02 is after 2024-06-01 (tomorrow, UTC)');
  });
});

describe('planRecord: plausibility holds', () => {
  test('an implausible bar of a batch is held with its evidence; the others are staged and join the history', async () => {
    const histories = daxHistory();
    const plan = planRecord(ref, json({ bars: [bar('dax', '2024-01-31', 101), bar('dax', '2024-02-01', 1000), bar('dax', '2024-02-02', 102)] }), {
      ...ctx,
      histories,
    });
    assert.equal(plan.barsAccepted, 2);
    assert.deepEqual(plan.quarantinedByReason, { IMPLAUSIBLE_PRICE: 1 });
    const q = plan.quarantine[0]!;
    assert.equal(q.key, `quarantine/reason=IMPLAUSIBLE_PRICE/ingest_date=2024-05-31/shardId-000000000000-${ref.sequenceNumber}-1.json`);
    assert.deepEqual(plan.held, [
      { barIndex: 1, bar: { symbol: 'DAX', date: '2024-02-01', close: 1000, source: 't' }, reason: 'IMPLAUSIBLE_PRICE', quarantineKey: q.key },
    ]);
    const b = body(q);
    assert.equal(b.barIndex, 1);
    assert.deepEqual(JSON.parse(b.payload), bar('dax', '2024-02-01', 1000));
    assert.deepEqual(b.held.bar, { symbol: 'DAX', date: '2024-02-01', close: 1000, source: 't' });
    assert.equal(b.held.evidence.kind, 'IMPLAUSIBLE_PRICE');
    assert.deepEqual(b.held.evidence.previous.close, 101); // checked against the record's earlier accepted bar
    assert.equal(b.held.evidence.threshold, 0.25);
    assert.equal(b.issues[0].path, 'bars.1.close');
    const rows = await decodeBars(plan.staging[0]!.body as Uint8Array);
    assert.deepEqual(
      rows.map((r) => [r.date, r.close, r.barIndex]),
      [
        ['2024-01-31', 101, 0],
        ['2024-02-02', 102, 2],
      ],
    );
    assert.deepEqual(histories.get('DAX')!.dates.slice(-2), ['2024-01-31', '2024-02-02']);
  });

  test('a single-bar record is held whole (no bar index), its payload the record bytes', () => {
    const data = json(bar('dax', '2024-01-15', 50));
    const plan = planRecord(ref, data, { ...ctx, histories: daxHistory() });
    assert.deepEqual(plan.quarantinedByReason, { SUSPECT_REVISION: 1 });
    const q = plan.quarantine[0]!;
    assert.equal(parseQuarantineKey(q.key)!.barIndex, undefined);
    assert.equal(Buffer.from(body(q).payloadBase64, 'base64').toString(), Buffer.from(data).toString());
    assert.deepEqual(body(q).held.evidence, {
      kind: 'SUSPECT_REVISION',
      close: 50,
      date: '2024-01-15',
      storedClose: 100,
      revisionFraction: 0.5,
      maxRevisionFraction: 0.1,
    });
    assert.equal(plan.staging.length, 0);
  });

  test('a new symbol is accepted; later bars of the record are checked against its earlier ones', () => {
    const histories = new Map<string, CloseHistory>();
    const plan = planRecord(ref, json({ bars: [bar('new', '2024-01-02', 100), bar('new', '2024-01-03', 1000), bar('new', '2024-01-04', 101)] }), {
      ...ctx,
      histories,
    });
    assert.equal(plan.barsAccepted, 2);
    assert.deepEqual(
      plan.held.map((h) => h.barIndex),
      [1],
    );
    assert.deepEqual(histories.get('NEW')!.closes, [100, 101]);
  });

  test('a "split": true batch bypasses the holds and is flagged split', async () => {
    const histories = daxHistory();
    const restated = Array.from({ length: 3 }, (_, i) => bar('dax', `2024-01-0${i + 1}`, 50));
    const plan = planRecord(ref, json({ split: true, bars: [...restated, bar('dax', '2024-01-31', 51)] }), { ...ctx, histories });
    assert.equal(plan.held.length, 0);
    const rows = await decodeBars(plan.staging[0]!.body as Uint8Array);
    assert.deepEqual(
      rows.map((r) => [r.close, r.flags]),
      [
        [50, 'split'],
        [50, 'split'],
        [50, 'split'],
        [51, 'split'],
      ],
    );
    assert.deepEqual(histories.get('DAX')!.closes.slice(0, 3), [50, 50, 50]);
  });

  test('without histories no plausibility check is made', () => {
    assert.equal(planRecord(ref, json(bar('dax', '2024-01-15', 50)), ctx).barsAccepted, 1);
  });
});

test('every ingest quarantine reason code is reachable through planRecord', () => {
  const ok = { symbol: 'DAX', date: '2024-01-31', close: 100, source: 's' };
  const inputs: Partial<Record<QuarantineReason, Uint8Array>> = {
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
    IMPLAUSIBLE_PRICE: json({ ...ok, close: 1000 }),
    SUSPECT_REVISION: json({ ...ok, date: '2024-01-15', close: 1000 }),
  };
  // CORRUPT_OBJECT is compaction's (stored objects), not ingest's.
  assert.deepEqual(Object.keys(inputs).sort(), QUARANTINE_REASON_CODES.filter((c) => c !== 'CORRUPT_OBJECT').sort());
  for (const [reason, data] of Object.entries(inputs)) {
    const plan = planRecord(ref, data, { ...ctx, histories: daxHistory() });
    assert.deepEqual(
      plan.quarantine.map((q) => parseQuarantineKey(q.key)?.reason),
      [reason],
      reason,
    );
    assert.equal(plan.staging.length, 0);
  }
});

describe('gzipRaw', () => {
  test('any size round-trips through gunzip; small records are stored, large ones deflated; same bytes every time', () => {
    for (const n of [0, 1, 150, 1024, 1025, 70_000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 7919) % 251);
      const gz = gzipRaw(data);
      assert.deepEqual(new Uint8Array(gunzipSync(gz)), data, `size ${n}`);
      assert.deepEqual(gzipRaw(data), gz);
      assert.equal(gz[9], 255, 'OS byte');
      if (n <= 1024) assert.equal(gz.byteLength, n + 23, 'stored: 10-byte header, 5-byte block header, 8-byte trailer');
    }
    const text = new TextEncoder().encode(JSON.stringify({ bars: Array.from({ length: 100 }, (_, i) => bar('dax', `2024-01-${(i % 28) + 1}`)) }));
    assert.ok(gzipRaw(text).byteLength < text.byteLength / 3, 'a 100-bar record is compressed');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { BAR_COLUMNS, type LakeBar, parquetSchema } from '../../../lib/domain/lake/bar-schema.ts';
import {
  CorruptLakeObjectError,
  decodeBars,
  decodeLakeObject,
  encodeBars,
  FOLDED_METADATA_KEY,
  InvalidLakeBarError,
} from '../../../lib/domain/lake/parquet-bars.ts';
import { lakeBar, TEST_SEQ } from '../../helpers/lake-bar.ts';

const full = lakeBar({ date: '2024-01-03', open: 101.25, high: 103.5, low: 99.75, close: 102, volume: 123456789.5, flags: 'released', revision: 2 });
const bare = lakeBar({ date: '2024-01-02' });

/** Writes rows with the bar schema but without encodeBars' checks, as a faulty writer would. */
function unchecked(rows: LakeBar[]): Uint8Array {
  const columnData = BAR_COLUMNS.map((c) => ({
    name: c.name,
    data: rows.map((r) => {
      const v = r[c.field];
      if (v === null) return null;
      if (c.parquet.logical === 'DATE') return Date.parse(`${v}T00:00:00Z`) / 86_400_000;
      if (c.parquet.logical === 'TIMESTAMP_MILLIS') return BigInt(v);
      return v;
    }),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData, schema: parquetSchema() }));
}

async function corruptReason(bytes: Uint8Array): Promise<string> {
  try {
    await decodeLakeObject(bytes);
  } catch (err) {
    assert.ok(err instanceof CorruptLakeObjectError, `expected CorruptLakeObjectError, got ${err}`);
    return err.reason;
  }
  assert.fail('decoded without error');
}

test('round trip keeps every field, nulls included, and sorts rows by date', async () => {
  const bytes = encodeBars([full, bare]);
  assert.deepEqual(await decodeBars(bytes), [bare, full]);
});

test('DATE columns survive the calendar edges (1900, leap days, 2100) exactly', async () => {
  const dates = ['1900-01-01', '1969-12-31', '1970-01-01', '2000-02-29', '2024-02-29', '2100-12-31'];
  const rows = dates.map((date, i) => lakeBar({ date, barIndex: i }));
  assert.deepEqual(
    (await decodeBars(encodeBars(rows))).map((b) => b.date),
    dates,
  );
});

test('sequence numbers beyond 2^53 stay exact strings; arrival time keeps its milliseconds', async () => {
  const a = '49590338271490256608559692538361571095921575989136588898';
  const b = '49590338271490256608559692538361571095921575989136588899';
  assert.equal(Number(a), Number(b)); // equal as doubles
  const rows = [lakeBar({ sequenceNumber: b, arrivalTime: 1_704_218_400_001 }), lakeBar({ sequenceNumber: a, date: '2024-01-03', arrivalTime: 1 })];
  const out = await decodeBars(encodeBars(rows));
  assert.deepEqual(
    out.map((r) => [r.sequenceNumber, r.arrivalTime]),
    [
      [b, 1_704_218_400_001],
      [a, 1],
    ],
  );
});

test('deterministic: same rows in any order give the same bytes; folded keys sorted and de-duplicated', async () => {
  const rows = [full, bare, lakeBar({ date: '2024-01-02', sequenceNumber: '9', barIndex: 1 }), lakeBar({ date: '2024-01-02', sequenceNumber: '10' })];
  const one = encodeBars(rows, { folded: ['k2', 'k1', 'k2'] });
  const two = encodeBars([...rows].reverse(), { folded: ['k1', 'k2'] });
  assert.deepEqual(Buffer.from(one), Buffer.from(two));
  const decoded = await decodeLakeObject(one);
  assert.deepEqual(decoded.folded, ['k1', 'k2']);
  // Same date: provenance order, sequence numbers as integers (9 before 10).
  assert.deepEqual(
    decoded.bars.map((b) => [b.date, b.sequenceNumber]),
    [
      ['2024-01-02', '9'],
      ['2024-01-02', '10'],
      ['2024-01-02', TEST_SEQ],
      ['2024-01-03', TEST_SEQ],
    ],
  );
  assert.notDeepEqual(Buffer.from(encodeBars(rows)), Buffer.from(one), 'the folded metadata is part of the bytes');
});

test('no folded metadata on staging objects; an empty object round-trips', async () => {
  assert.deepEqual(await decodeLakeObject(encodeBars([bare])), { bars: [bare], folded: [] });
  assert.deepEqual(await decodeLakeObject(encodeBars([], { folded: [] })), { bars: [], folded: [] });
});

test('encodeBars refuses rows that break the schema (a caller bug)', () => {
  assert.throws(
    () => encodeBars([lakeBar({ close: 0 })]),
    (e: Error) => e instanceof InvalidLakeBarError && /row 0: close/.test(e.message),
  );
  assert.throws(() => encodeBars([bare, lakeBar({ date: '2024-02-30' })]), /row 1: date/);
  assert.throws(() => encodeBars([lakeBar({ symbol: 'dax' })]), /symbol/);
  assert.throws(() => encodeBars([lakeBar({ arrivalTime: 1.5 })]), /arrival_time/);
  assert.throws(() => encodeBars([lakeBar({ sequenceNumber: '-1' })]), /sequence_number/);
  assert.throws(() => encodeBars([{ ...bare, close: null } as unknown as typeof bare]), /close is null but required/);
});

test('bytes that are not Parquet, or cut short, are CorruptLakeObjectError', async () => {
  const good = encodeBars([full, bare]);
  assert.match(await corruptReason(new Uint8Array()), /not a readable Parquet file/);
  assert.match(await corruptReason(new TextEncoder().encode('{"symbol":"DAX","date":"2024-01-02","close":1}\n')), /not a readable Parquet file/);
  assert.match(await corruptReason(good.slice(0, good.length - 9)), /not a readable Parquet file/);
  // Footer intact, data pages overwritten: the metadata parses, the pages do not.
  const scrambled = good.slice();
  for (let i = 4; i < 200; i++) scrambled[i] = 0xff;
  assert.match(await corruptReason(scrambled), /^(Parquet data unreadable|row \d+: )/);
});

test('a Parquet file with another schema is CorruptLakeObjectError naming the difference', async () => {
  const other = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'symbol', data: ['DAX'], type: 'STRING' },
        { name: 'close', data: [1], type: 'DOUBLE' },
      ],
    }),
  );
  assert.match(await corruptReason(other), /not the bar schema: has 2 columns, expected 14/);

  // Right names, but close written as nullable: the type check catches it.
  const schema = parquetSchema().map((el) => (el.name === 'close' ? { ...el, repetition_type: 'OPTIONAL' as const } : el));
  const columnData = schema.slice(1).map((el) => ({ name: el.name, data: [] as unknown[] }));
  const loose = new Uint8Array(parquetWriteBuffer({ columnData, schema }));
  assert.match(await corruptReason(loose), /column close is OPTIONAL DOUBLE, expected REQUIRED DOUBLE/);
});

test('a value the schema forbids is CorruptLakeObjectError naming row and column', async () => {
  assert.equal(await corruptReason(unchecked([bare, { ...full, close: -1 }])), 'row 1: close is not a finite price > 0');
  assert.equal(await corruptReason(unchecked([{ ...bare, symbol: 'dax' }])), 'row 0: symbol is not an upper-case symbol');
  assert.equal(await corruptReason(unchecked([{ ...bare, barIndex: -3 }])), 'row 0: bar_index is not a non-negative 32-bit integer');
  assert.equal(await corruptReason(unchecked([{ ...bare, shardId: '../x' }])), 'row 0: shard_id is not a Kinesis shard id');
  assert.deepEqual(await decodeBars(unchecked([bare])), [bare], 'the unchecked writer itself is faithful');
});

test('folded metadata that is not a JSON array of keys is CorruptLakeObjectError', async () => {
  const schema = parquetSchema();
  const columnData = schema.slice(1).map((el) => ({ name: el.name, data: [] as unknown[] }));
  const withKv = (value: string) => new Uint8Array(parquetWriteBuffer({ columnData, schema, kvMetadata: [{ key: FOLDED_METADATA_KEY, value }] }));
  assert.match(await corruptReason(withKv('not json')), /riskfn\.folded metadata is not JSON/);
  assert.match(await corruptReason(withKv('[1,2]')), /not an array of keys/);
  assert.deepEqual((await decodeLakeObject(withKv('["a"]'))).folded, ['a']);
});

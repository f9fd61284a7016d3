import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  corruptObjectQuarantineKey,
  curatedObjectKey,
  curatedYearPrefix,
  failedObjectKey,
  LakeKeyError,
  parseCorruptObjectQuarantineKey,
  parseCuratedKey,
  parseFailedKey,
  parseQuarantineKey,
  parseRawKey,
  parseStagingKey,
  quarantineObjectKey,
  rawObjectKey,
  stagingObjectKey,
  stagingSymbolPrefix,
  symbolOfStagingPrefix,
  yearOfCuratedPrefix,
} from '../../../lib/domain/lake/keys.ts';

const shardId = 'shardId-000000000001';
const seq = '49590338271490256608559692538361571095921575989136588898';

test('raw key layout and round trip', () => {
  const key = rawObjectKey({ shardId, sequenceNumber: seq });
  assert.equal(key, `raw/shard=${shardId}/${seq}.json.gz`);
  assert.deepEqual(parseRawKey(key), { shardId, sequenceNumber: seq });
});

test('staging key layout and round trip', () => {
  const parts = { symbol: '^GDAXI', shardId, sequenceNumber: seq, year: 2024 };
  const key = stagingObjectKey(parts);
  assert.equal(key, `staging/prices/symbol=^GDAXI/${shardId}-${seq}-2024.parquet`);
  assert.deepEqual(parseStagingKey(key), parts);
  assert.ok(key.startsWith(stagingSymbolPrefix('^GDAXI')));
  assert.equal(symbolOfStagingPrefix('staging/prices/symbol=^GDAXI/'), '^GDAXI');
});

test('staging key of one ingest invocation (record range) and of one released bar: layout, round trip, one parse per key', () => {
  const last = '49650000000000000000000000000000000000000000000000000099';
  const batch = { symbol: 'DAX', shardId, sequenceNumber: seq, lastSequenceNumber: last, year: 2024 };
  assert.equal(stagingObjectKey(batch), `staging/prices/symbol=DAX/${shardId}-${seq}-${last}-2024.parquet`);
  assert.deepEqual(parseStagingKey(stagingObjectKey(batch)), batch);
  const released = { symbol: 'DAX', shardId, sequenceNumber: seq, releasedBarIndex: 7, year: 2024 };
  assert.equal(stagingObjectKey(released), `staging/prices/symbol=DAX/${shardId}-${seq}-2024-released-7.parquet`);
  assert.deepEqual(parseStagingKey(stagingObjectKey(released)), released);
  // A last sequence number that looks like a year still parses as a range: the form has three numbers.
  assert.deepEqual(parseStagingKey(`staging/prices/symbol=DAX/${shardId}-5-2024-2025.parquet`), {
    symbol: 'DAX',
    shardId,
    sequenceNumber: '5',
    lastSequenceNumber: '2024',
    year: 2025,
  });
  assert.equal(parseStagingKey(`staging/prices/symbol=DAX/${shardId}-5-6-2024-released-1.parquet`), null);
  assert.throws(() => stagingObjectKey({ ...batch, releasedBarIndex: 1 }), /not both/);
  assert.throws(() => stagingObjectKey({ ...released, releasedBarIndex: -1 }), /releasedBarIndex/);
  assert.throws(() => stagingObjectKey({ ...batch, lastSequenceNumber: '9x' }), /sequenceNumber/);
});

test('curated (compacted) key layout: year first, one object per symbol', () => {
  const key = curatedObjectKey({ symbol: 'BRK.B', year: 1999 });
  assert.equal(key, 'curated/prices/year=1999/BRK.B.parquet');
  assert.deepEqual(parseCuratedKey(key), { symbol: 'BRK.B', year: 1999 });
  assert.ok(key.startsWith(curatedYearPrefix(1999)));
  assert.equal(yearOfCuratedPrefix('curated/prices/year=1999/'), 1999);
});

test('failed key layout and round trip', () => {
  const parts = { shardId, firstSequenceNumber: '100', lastSequenceNumber: seq };
  const key = failedObjectKey(parts);
  assert.equal(key, `failed/${shardId}/100-${seq}.json`);
  assert.deepEqual(parseFailedKey(key), parts);
});

test('quarantine key layout and round trip, with and without bar index; the new held codes too', () => {
  const whole = { reason: 'NOT_JSON' as const, ingestDate: '2024-05-31', shardId, sequenceNumber: seq };
  assert.equal(quarantineObjectKey(whole), `quarantine/reason=NOT_JSON/ingest_date=2024-05-31/${shardId}-${seq}.json`);
  assert.deepEqual(parseQuarantineKey(quarantineObjectKey(whole)), whole);
  const oneBar = { ...whole, reason: 'HIGH_BELOW_LOW' as const, barIndex: 17 };
  assert.equal(quarantineObjectKey(oneBar), `quarantine/reason=HIGH_BELOW_LOW/ingest_date=2024-05-31/${shardId}-${seq}-17.json`);
  assert.deepEqual(parseQuarantineKey(quarantineObjectKey(oneBar)), oneBar);
  assert.equal(parseQuarantineKey(quarantineObjectKey({ ...oneBar, barIndex: 0 }))?.barIndex, 0);
  const held = { ...whole, reason: 'IMPLAUSIBLE_PRICE' as const, barIndex: 2 };
  assert.deepEqual(parseQuarantineKey(quarantineObjectKey(held)), held);
});

test('a corrupt object is quarantined under its own key; only lake object keys are accepted', () => {
  const source = stagingObjectKey({ symbol: 'DAX', shardId, sequenceNumber: seq, year: 2024 });
  const key = corruptObjectQuarantineKey(source, '2026-11-30');
  assert.equal(key, `quarantine/reason=CORRUPT_OBJECT/ingest_date=2026-11-30/${source}.json`);
  assert.deepEqual(parseCorruptObjectQuarantineKey(key), { ingestDate: '2026-11-30', sourceKey: source });
  assert.equal(parseQuarantineKey(key), null);
  const compacted = curatedObjectKey({ symbol: 'DAX', year: 2024 });
  assert.equal(parseCorruptObjectQuarantineKey(corruptObjectQuarantineKey(compacted, '2026-11-30'))?.sourceKey, compacted);
  assert.throws(() => corruptObjectQuarantineKey('models/x.json', '2026-11-30'), LakeKeyError);
  assert.throws(() => corruptObjectQuarantineKey(source, '30.11.2026'), /ingestDate/);
});

test('keys refuse anything that could add or escape a path level, and years outside 1900-2100', () => {
  assert.throws(() => stagingSymbolPrefix('../X'), LakeKeyError);
  assert.throws(() => stagingSymbolPrefix('A/B'), LakeKeyError);
  assert.throws(() => stagingSymbolPrefix('.'), LakeKeyError);
  assert.throws(() => curatedObjectKey({ symbol: '..', year: 2024 }), LakeKeyError);
  assert.throws(() => curatedObjectKey({ symbol: 'A', year: 1899 }), /year 1899/);
  assert.throws(() => curatedObjectKey({ symbol: 'A', year: 2101 }), /year 2101/);
  assert.throws(() => curatedObjectKey({ symbol: 'A', year: 2024.5 }), /year/);
  assert.throws(() => stagingObjectKey({ symbol: 'A', year: 2024, shardId: 'shard/0', sequenceNumber: seq }), /shardId/);
  assert.throws(() => stagingObjectKey({ symbol: 'A', year: 2024, shardId, sequenceNumber: '12a' }), /sequenceNumber/);
  assert.throws(() => rawObjectKey({ shardId: 'x', sequenceNumber: seq }), /shardId/);
  assert.throws(() => failedObjectKey({ shardId, firstSequenceNumber: '1', lastSequenceNumber: '../2' }), /sequenceNumber/);
  assert.throws(() => quarantineObjectKey({ reason: 'NOT_JSON', ingestDate: '2024-05-31', shardId, sequenceNumber: seq, barIndex: -1 }), /barIndex/);
});

test('foreign keys do not parse', () => {
  assert.equal(parseCuratedKey('curated/prices/year=2024/readme.txt'), null);
  assert.equal(parseCuratedKey('curated/prices/year=1800/DAX.parquet'), null);
  assert.equal(parseCuratedKey('curated/prices/year=2024/...parquet'), null);
  assert.equal(parseCuratedKey('curated/prices/symbol=DAX/month=2024-01/shardId-0-1.jsonl'), null);
  assert.equal(parseStagingKey(`staging/prices/symbol=./${shardId}-1-2024.parquet`), null);
  assert.equal(parseStagingKey(`staging/prices/symbol=DAX/${shardId}-1.parquet`), null);
  assert.equal(parseRawKey(`raw/shard=${shardId}/1.json`), null);
  assert.equal(parseFailedKey(`failed/${shardId}/1.json`), null);
  assert.equal(parseQuarantineKey(`quarantine/reason=MADE_UP/ingest_date=2024-05-31/${shardId}-1.json`), null);
  assert.equal(symbolOfStagingPrefix('staging/prices/'), null);
  assert.equal(symbolOfStagingPrefix('staging/prices/symbol=../'), null);
  assert.equal(yearOfCuratedPrefix('curated/prices/year=24/'), null);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  curatedObjectKey,
  curatedSymbolPrefix,
  LakeKeyError,
  parseCuratedKey,
  parseQuarantineKey,
  quarantineObjectKey,
  symbolOfPrefix,
} from '../../../lib/domain/lake/keys.ts';

const shardId = 'shardId-000000000001';
const seq = '49590338271490256608559692538361571095921575989136588898';

test('curated key layout and round trip', () => {
  const parts = { symbol: '^GDAXI', month: '2024-02', shardId, sequenceNumber: seq };
  const key = curatedObjectKey(parts);
  assert.equal(key, `curated/prices/symbol=^GDAXI/month=2024-02/${shardId}-${seq}.jsonl`);
  assert.deepEqual(parseCuratedKey(key), parts);
  assert.ok(key.startsWith(curatedSymbolPrefix('^GDAXI')));
  assert.equal(symbolOfPrefix('curated/prices/symbol=^GDAXI/'), '^GDAXI');
});

test('quarantine key layout and round trip, with and without bar index', () => {
  const whole = { reason: 'NOT_JSON' as const, ingestDate: '2024-05-31', shardId, sequenceNumber: seq };
  assert.equal(quarantineObjectKey(whole), `quarantine/reason=NOT_JSON/ingest_date=2024-05-31/${shardId}-${seq}.json`);
  assert.deepEqual(parseQuarantineKey(quarantineObjectKey(whole)), whole);
  const oneBar = { ...whole, reason: 'HIGH_BELOW_LOW' as const, barIndex: 17 };
  assert.equal(quarantineObjectKey(oneBar), `quarantine/reason=HIGH_BELOW_LOW/ingest_date=2024-05-31/${shardId}-${seq}-17.json`);
  assert.deepEqual(parseQuarantineKey(quarantineObjectKey(oneBar)), oneBar);
  assert.equal(parseQuarantineKey(quarantineObjectKey({ ...oneBar, barIndex: 0 }))?.barIndex, 0);
});

test('keys refuse anything that could add or escape a path level', () => {
  assert.throws(() => curatedSymbolPrefix('../X'), LakeKeyError);
  assert.throws(() => curatedSymbolPrefix('A/B'), LakeKeyError);
  assert.throws(() => curatedObjectKey({ symbol: 'A', month: '2024-1', shardId, sequenceNumber: seq }), /month/);
  assert.throws(() => curatedObjectKey({ symbol: 'A', month: '2024-01', shardId: 'shard/0', sequenceNumber: seq }), /shardId/);
  assert.throws(() => curatedObjectKey({ symbol: 'A', month: '2024-01', shardId, sequenceNumber: '12a' }), /sequenceNumber/);
  assert.throws(() => quarantineObjectKey({ reason: 'NOT_JSON', ingestDate: '2024-05-31', shardId, sequenceNumber: seq, barIndex: -1 }), /barIndex/);
});

test('foreign keys do not parse', () => {
  assert.equal(parseCuratedKey('curated/prices/symbol=A/month=2024-01/readme.txt'), null);
  assert.equal(parseCuratedKey(`datasets/symbol=A/month=2024-01/${shardId}-1.jsonl`), null);
  assert.equal(parseQuarantineKey(`quarantine/reason=MADE_UP/ingest_date=2024-05-31/${shardId}-1.json`), null);
  assert.equal(symbolOfPrefix('curated/prices/'), null);
});

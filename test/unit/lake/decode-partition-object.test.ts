import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePartitionObject } from '../../../lib/domain/lake/decode-partition-object.ts';
import { curatedObjectKey, stagingObjectKey } from '../../../lib/domain/lake/keys.ts';
import { CorruptLakeObjectError, encodeBars } from '../../../lib/domain/lake/parquet-bars.ts';
import { lakeBar, TEST_SEQ, TEST_SHARD } from '../../helpers/lake-bar.ts';

const stagingKey = stagingObjectKey({ symbol: 'DAX', shardId: TEST_SHARD, sequenceNumber: TEST_SEQ, year: 2024 });
const curatedKey = curatedObjectKey({ symbol: 'DAX', year: 2024 });

test('bars of the key’s partition decode, with the folded keys', async () => {
  const bars = [lakeBar({ date: '2024-01-02' }), lakeBar({ date: '2024-12-31' })];
  assert.deepEqual(await decodePartitionObject(stagingKey, encodeBars(bars)), { bars, folded: [] });
  assert.deepEqual(await decodePartitionObject(curatedKey, encodeBars(bars, { folded: [stagingKey] })), { bars, folded: [stagingKey] });
});

test('a bar of another symbol or year under a key makes the object corrupt', async () => {
  await assert.rejects(
    decodePartitionObject(curatedKey, encodeBars([lakeBar({ date: '2024-01-02' }), lakeBar({ date: '2025-01-02' })])),
    (e: Error) => e instanceof CorruptLakeObjectError && e.reason === 'row 1: bar DAX 2025-01-02 lies outside the partition DAX 2024',
  );
  await assert.rejects(decodePartitionObject(stagingKey, encodeBars([lakeBar({ symbol: 'SMI' })])), /bar SMI 2024-01-02 lies outside the partition DAX 2024/);
});

test('a key that is not a staging or curated key is refused; undecodable bytes are corrupt', async () => {
  await assert.rejects(decodePartitionObject('datasets/x.parquet', encodeBars([lakeBar()])), CorruptLakeObjectError);
  await assert.rejects(decodePartitionObject(curatedKey, new Uint8Array([1, 2, 3])), CorruptLakeObjectError);
});

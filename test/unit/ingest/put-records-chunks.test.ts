import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkEntries, MAX_BYTES_PER_CALL, MAX_RECORDS_PER_CALL } from '../../../lib/adapters/kinesis/put-records.ts';

test('PutRecords calls hold at most 500 records, in order', () => {
  const entries = Array.from({ length: 1201 }, (_, i) => ({ partitionKey: 'K', data: new Uint8Array([i % 256]) }));
  const chunks = chunkEntries(entries);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [MAX_RECORDS_PER_CALL, MAX_RECORDS_PER_CALL, 201],
  );
  assert.deepEqual(chunks.flat(), entries);
});

test('PutRecords calls stay within 5 MiB (data plus partition keys)', () => {
  const big = (n: number) => ({ partitionKey: 'KEY', data: new Uint8Array(n) });
  // Records of exactly 1 MiB with their key: five fill a call's 5 MiB, the sixth starts the next.
  const mib = 1024 * 1024 - 3;
  const chunks = chunkEntries([big(mib), big(mib), big(mib), big(mib), big(mib), big(mib), big(10)]);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [5, 2],
  );
  for (const c of chunks) assert.ok(c.reduce((s, e) => s + e.data.byteLength + 3, 0) <= MAX_BYTES_PER_CALL);
});

// readSeries with an object cache: a second read of an unchanged symbol costs one LIST and no
// GET; an object overwritten since (new ETag) is fetched again and its new bars are used.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../lib/adapters/clients.ts';
import { createCuratedObjectCache, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { encodeCuratedObject } from '../../lib/domain/lake/curated-object.ts';
import { curatedObjectKey } from '../../lib/domain/lake/keys.ts';
import type { CuratedBar } from '../../lib/schemas/price-bar.ts';
import { useEmulators } from '../helpers/emulators.ts';

const emu = useEmulators();

const bar = (date: string, close: number, seq: string): CuratedBar => ({
  symbol: 'CACHE',
  date,
  close,
  source: 'test',
  shardId: 'shardId-000000000000',
  sequenceNumber: seq,
  index: 0,
});

async function put(month: string, seq: string, bars: CuratedBar[]): Promise<void> {
  const Key = curatedObjectKey({ symbol: 'CACHE', month, shardId: 'shardId-000000000000', sequenceNumber: seq });
  await s3Client().send(new PutObjectCommand({ Bucket: emu().env.DATA_BUCKET!, Key, Body: encodeCuratedObject(bars) }));
}

test('unchanged objects come from the cache; an overwritten one is read again', async () => {
  const bucket = emu().env.DATA_BUCKET!;
  await put('2024-01', '1', [bar('2024-01-02', 10, '1'), bar('2024-01-03', 11, '1')]);
  await put('2024-02', '2', [bar('2024-02-01', 12, '2')]);

  const gets: string[] = [];
  s3Client().middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand') gets.push((args.input as { Key: string }).Key);
      return next(args);
    },
    { step: 'initialize', name: 'countGets' },
  );
  try {
    const cache = createCuratedObjectCache();
    const first = await readSeries(bucket, 'CACHE', cache);
    assert.deepEqual(Array.from(first!.close), [10, 11, 12]);
    assert.equal(gets.length, 2);

    const second = await readSeries(bucket, 'CACHE', cache);
    assert.deepEqual(second, first);
    assert.equal(gets.length, 2, 'no GetObject for unchanged objects');

    await put('2024-02', '2', [bar('2024-02-01', 13, '2')]);
    const third = await readSeries(bucket, 'CACHE', cache);
    assert.deepEqual(Array.from(third!.close), [10, 11, 13]);
    assert.equal(gets.length, 3);
    assert.match(gets[2]!, /month=2024-02/);
  } finally {
    s3Client().middlewareStack.remove('countGets');
  }
});

// s3rver 3.7.1 skipped directories beneath a common prefix while listing, so a common prefix
// whose objects all sit two or more levels deeper was never reported (ListObjectsV2 with a
// Delimiter returned nothing for `curated/prices/` although symbol=DAX/month=.../x.jsonl
// existed). patches/s3rver+3.7.1.patch fixes it; this test fails without the patch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../lib/adapters/clients.ts';
import { useEmulators } from '../helpers/emulators.ts';

const emu = useEmulators();

test('ListObjectsV2 reports common prefixes whose objects are nested deeper (patched s3rver)', async () => {
  const Bucket = emu().env.DATA_BUCKET!;
  for (const Key of ['deep/a/b/c/1.txt', 'deep/a/b/2.txt', 'deep/x/3.txt', 'deep/top.txt']) {
    await s3Client().send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));
  }
  const out = await s3Client().send(new ListObjectsV2Command({ Bucket, Prefix: 'deep/', Delimiter: '/' }));
  assert.deepEqual(
    out.CommonPrefixes?.map((p) => p.Prefix),
    ['deep/a/', 'deep/x/'],
  );
  assert.deepEqual(
    out.Contents?.map((o) => o.Key),
    ['deep/top.txt'],
  );
  const root = await s3Client().send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
  assert.ok(root.CommonPrefixes?.some((p) => p.Prefix === 'deep/'));
});

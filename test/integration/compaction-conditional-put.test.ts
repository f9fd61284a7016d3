// Compaction commits with conditional PUTs (If-None-Match: * for a new object, If-Match: <etag>
// to replace one) and deletes folded staging objects with a conditional DELETE (If-Match).
// s3rver 3.7.1 ignored these headers; patches/s3rver+3.7.1.patch makes PutObject and DeleteObject
// honour them atomically, and makes object writes atomic (no truncated reads, no new ETag paired
// with old bytes). These tests fail without the patch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../lib/adapters/clients.ts';
import { useEmulators } from '../helpers/emulators.ts';

const emu = useEmulators();

interface PutOutcome {
  ok: boolean;
  status?: number;
  name?: string;
}

async function put(Key: string, Body: string | Uint8Array, cond: { IfMatch?: string; IfNoneMatch?: string } = {}): Promise<PutOutcome> {
  try {
    await s3Client().send(new PutObjectCommand({ Bucket: emu().env.DATA_BUCKET!, Key, Body, ...cond }));
    return { ok: true };
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return { ok: false, status: e.$metadata?.httpStatusCode, name: e.name };
  }
}

async function read(Key: string): Promise<{ body: string; etag: string }> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: emu().env.DATA_BUCKET!, Key }));
  return { body: (await out.Body?.transformToString('utf-8')) ?? '', etag: out.ETag ?? '' };
}

test('If-None-Match: * creates a missing key and refuses an existing one with 412 PreconditionFailed', async () => {
  assert.deepEqual(await put('cond/new.txt', 'first', { IfNoneMatch: '*' }), { ok: true });
  assert.deepEqual(await put('cond/new.txt', 'second', { IfNoneMatch: '*' }), { ok: false, status: 412, name: 'PreconditionFailed' });
  assert.equal((await read('cond/new.txt')).body, 'first');
});

test('If-Match replaces the object only while its ETag is current', async () => {
  await put('cond/cas.txt', 'v1');
  const { etag: e1 } = await read('cond/cas.txt');
  assert.deepEqual(await put('cond/cas.txt', 'v2', { IfMatch: e1 }), { ok: true });
  const { etag: e2, body } = await read('cond/cas.txt');
  assert.equal(body, 'v2');
  assert.notEqual(e2, e1);
  // the stale ETag no longer matches
  assert.deepEqual(await put('cond/cas.txt', 'v3', { IfMatch: e1 }), { ok: false, status: 412, name: 'PreconditionFailed' });
  assert.equal((await read('cond/cas.txt')).body, 'v2');
});

test('If-Match on a key without an object is refused with 404 NoSuchKey, as S3 does', async () => {
  assert.deepEqual(await put('cond/missing.txt', 'x', { IfMatch: '"0123456789abcdef0123456789abcdef"' }), {
    ok: false,
    status: 404,
    name: 'NoSuchKey',
  });
  const head = await s3Client()
    .send(new HeadObjectCommand({ Bucket: emu().env.DATA_BUCKET!, Key: 'cond/missing.txt' }))
    .then(
      () => 'exists',
      (err: { name?: string }) => err.name,
    );
  assert.equal(head, 'NotFound');
});

test('concurrent conditional writers: exactly one of them wins', async () => {
  const creators = await Promise.all(Array.from({ length: 12 }, (_, i) => put('cond/race-new.txt', `writer ${i}`, { IfNoneMatch: '*' })));
  assert.equal(creators.filter((o) => o.ok).length, 1);
  assert.ok(creators.filter((o) => !o.ok).every((o) => o.status === 412));

  const { etag } = await read('cond/race-new.txt');
  const swappers = await Promise.all(Array.from({ length: 12 }, (_, i) => put('cond/race-new.txt', `swap ${i}`, { IfMatch: etag })));
  assert.equal(swappers.filter((o) => o.ok).length, 1);
  const winner = swappers.findIndex((o) => o.ok);
  assert.equal((await read('cond/race-new.txt')).body, `swap ${winner}`);
});

test('a reader during overwrites sees whole objects only, and never a newer ETag than its bytes', async () => {
  // Objects of distinct sizes and fill bytes: a truncated or mixed read is recognisable.
  const versions = Array.from({ length: 8 }, (_, i) => String.fromCharCode(97 + i).repeat(200_000 + i * 10_000));
  await put('cond/big.txt', versions[0]!);
  const etagOf = new Map<string, string>();
  const writes = (async () => {
    for (const v of versions.slice(1)) {
      await put('cond/big.txt', v);
      etagOf.set(v[0]!, (await read('cond/big.txt')).etag);
    }
  })();
  const seen: { body: string; etag: string }[] = [];
  const reads = (async () => {
    for (let i = 0; i < 40; i++) seen.push(await read('cond/big.txt'));
  })();
  await Promise.all([writes, reads]);
  etagOf.set('a', '');
  for (const { body, etag } of seen) {
    assert.ok(versions.includes(body), `read a partial object of ${body.length} bytes`);
    // the ETag read belongs to this version or to an earlier one (then an If-Match write fails: safe)
    const bodyVersion = body.charCodeAt(0) - 97;
    const etagVersion = [...etagOf.entries()].find(([, e]) => e === etag)?.[0];
    if (etagVersion !== undefined) assert.ok(etagVersion.charCodeAt(0) - 97 <= bodyVersion, 'ETag newer than the bytes');
  }
});

test('DELETE with If-Match removes the object only while its ETag is current', async () => {
  await put('cond/del.txt', 'v1');
  const { etag: e1 } = await read('cond/del.txt');
  await put('cond/del.txt', 'v2');
  const del = (IfMatch: string) =>
    s3Client()
      .send(new DeleteObjectCommand({ Bucket: emu().env.DATA_BUCKET!, Key: 'cond/del.txt', IfMatch }))
      .then(
        () => 'deleted',
        (err: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${err.$metadata?.httpStatusCode} ${err.name}`,
      );
  assert.equal(await del(e1), '412 PreconditionFailed');
  assert.equal((await read('cond/del.txt')).body, 'v2');
  assert.equal(await del((await read('cond/del.txt')).etag), 'deleted');
  assert.equal(await del(e1), '404 NoSuchKey');
});

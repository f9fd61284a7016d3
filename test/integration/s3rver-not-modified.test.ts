// s3rver 3.7.1 opens an object's file before it evaluates If-None-Match / If-Modified-Since, and
// its 304 answer returned without closing it: every conditional GET that matched left one file
// descriptor open for the life of the process. The API's lake reader revalidates each cached
// compacted object that way (one conditional GET per year per symbol per request), so a load run
// reached the process's open-file limit, after which s3rver's file reads waited (graceful-fs
// retries EMFILE for up to a minute: API answers hit their 29 s timeout) and new sockets could not
// be opened. patches/s3rver+3.7.1.patch closes the file on both 304 paths; these tests fail
// without it. They count the process's descriptors through /proc (Linux, as CI runs).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../lib/adapters/clients.ts';
import { getBytesWithEtag, NOT_MODIFIED } from '../../lib/adapters/s3/objects.ts';
import { useEmulators } from '../helpers/emulators.ts';

const emu = useEmulators();
const noProc = existsSync('/proc/self/fd') ? false : 'needs /proc/self/fd (Linux)';

/** Conditional GETs per test: each leaked one descriptor before the patch. */
const GETS = 40;

/** Descriptors this process holds open on the stored file of `key` (s3rver runs in-process). */
function openDescriptors(key: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).includes(`/${key}._S3rver_object`)) n++;
    } catch {
      // closed between the listing and the readlink
    }
  }
  return n;
}

/** The descriptors still open on `key` once in-flight closes have had up to a second to finish. */
async function settledDescriptors(key: string): Promise<number> {
  for (let waited = 0; waited < 1000 && openDescriptors(key) > 0; waited += 20) await sleep(20);
  return openDescriptors(key);
}

test('a GET answered 304 for If-None-Match leaves no file open in s3rver', { skip: noProc }, async () => {
  const Bucket = emu().env.DATA_BUCKET!;
  const Key = 'not-modified/if-none-match.bin';
  await s3Client().send(new PutObjectCommand({ Bucket, Key, Body: 'compacted bars' }));
  const first = await getBytesWithEtag(Bucket, Key);
  assert.ok(first && first.etag !== '');
  assert.equal(await settledDescriptors(Key), 0);
  for (let i = 0; i < GETS; i++) assert.equal(await getBytesWithEtag(Bucket, Key, first.etag), NOT_MODIFIED);
  assert.equal(await settledDescriptors(Key), 0);
});

test('a GET answered 304 for If-Modified-Since leaves no file open in s3rver', { skip: noProc }, async () => {
  const Bucket = emu().env.DATA_BUCKET!;
  const Key = 'not-modified/if-modified-since.bin';
  await s3Client().send(new PutObjectCommand({ Bucket, Key, Body: 'compacted bars' }));
  const later = new Date(Date.now() + 3_600_000);
  for (let i = 0; i < GETS; i++) {
    const status = await s3Client()
      .send(new GetObjectCommand({ Bucket, Key, IfModifiedSince: later }))
      .then(
        () => 200,
        (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode,
      );
    assert.equal(status, 304);
  }
  assert.equal(await settledDescriptors(Key), 0);
});

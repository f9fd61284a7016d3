import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelCache } from '../../../functions/api/model-cache.ts';
import type { ModelArtifact } from '../../../lib/domain/model/artifact.ts';

const fake = (v: string) => ({ version: v }) as unknown as ModelArtifact;

test('loads each version once, sharing concurrent loads', async () => {
  const cache = new ModelCache();
  let loads = 0;
  const load = async () => {
    loads++;
    return fake('v1');
  };
  const [a, b] = await Promise.all([cache.get('v1', load), cache.get('v1', load)]);
  assert.equal(a, b);
  assert.equal(await cache.get('v1', load), a);
  assert.equal(loads, 1);
});

test('keeps only the most recently used versions', async () => {
  const cache = new ModelCache(2);
  const loads: string[] = [];
  const loader = (v: string) => async () => {
    loads.push(v);
    return fake(v);
  };
  await cache.get('v1', loader('v1'));
  await cache.get('v2', loader('v2'));
  await cache.get('v1', loader('v1')); // v1 is now the most recent
  await cache.get('v3', loader('v3')); // evicts v2
  await cache.get('v1', loader('v1'));
  await cache.get('v2', loader('v2'));
  assert.deepEqual(loads, ['v1', 'v2', 'v3', 'v2']);
  assert.equal(cache.size, 2);
});

test('does not cache a failed load', async () => {
  const cache = new ModelCache();
  await assert.rejects(cache.get('v1', async () => { throw new Error('s3 down'); }), /s3 down/);
  assert.equal(cache.size, 0);
  const retried = await cache.get('v1', async () => fake('v1'));
  assert.equal(retried.version, 'v1');
  assert.equal(cache.size, 1);
});

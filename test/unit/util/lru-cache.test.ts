import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LruCache, loadThrough } from '../../../lib/util/lru-cache.ts';

describe('LruCache', () => {
  test('the least recently used entry goes first when full', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.get('a'), 1); // a is now the most recent
    c.set('c', 3);
    assert.equal(c.size, 2);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), 1);
    assert.equal(c.get('c'), 3);
  });

  test('setting an existing key replaces its value and makes it the most recent', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('a', 10);
    c.set('c', 3); // evicts b, not a
    assert.equal(c.get('a'), 10);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.size, 2);
  });

  test('a stored undefined-like value is still a hit', () => {
    const c = new LruCache<string, number | null>(2);
    c.set('z', null);
    assert.equal(c.get('z'), null);
    assert.equal(c.delete('z'), true);
    assert.equal(c.delete('z'), false);
    assert.equal(c.size, 0);
  });

  test('a non-positive or fractional capacity is refused', () => {
    assert.throws(() => new LruCache(0), RangeError);
    assert.throws(() => new LruCache(1.5), RangeError);
  });
});

describe('loadThrough', () => {
  test('loads each key once, sharing concurrent loads', async () => {
    const cache = new LruCache<string, Promise<string>>(2);
    let loads = 0;
    const load = async () => {
      loads++;
      return 'v1';
    };
    const [a, b] = await Promise.all([loadThrough(cache, 'v1', load), loadThrough(cache, 'v1', load)]);
    assert.equal(a, b);
    assert.equal(await loadThrough(cache, 'v1', load), 'v1');
    assert.equal(loads, 1);
  });

  test('keeps only the most recently used keys', async () => {
    const cache = new LruCache<string, Promise<string>>(2);
    const loads: string[] = [];
    const get = (v: string) =>
      loadThrough(cache, v, async () => {
        loads.push(v);
        return v;
      });
    await get('v1');
    await get('v2');
    await get('v1'); // v1 is now the most recent
    await get('v3'); // evicts v2
    await get('v1');
    await get('v2');
    assert.deepEqual(loads, ['v1', 'v2', 'v3', 'v2']);
    assert.equal(cache.size, 2);
  });

  test('does not keep a failed load', async () => {
    const cache = new LruCache<string, Promise<string>>(2);
    await assert.rejects(
      loadThrough(cache, 'v1', async () => {
        throw new Error('s3 down');
      }),
      /s3 down/,
    );
    assert.equal(cache.size, 0);
    assert.equal(await loadThrough(cache, 'v1', async () => 'v1'), 'v1');
    assert.equal(cache.size, 1);
  });
});

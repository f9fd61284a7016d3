import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCuratedObjectCache } from '../../../lib/domain/lake/object-cache.ts';
import type { CuratedBar } from '../../../lib/schemas/price-bar.ts';

const bars = (n: number) => [{ close: n }] as unknown as CuratedBar[];

test('a cached object is returned only for the same ETag', () => {
  const c = createCuratedObjectCache(10);
  c.set('k1', '"e1"', bars(1));
  assert.deepEqual(c.get('k1', '"e1"'), bars(1));
  assert.equal(c.get('k1', '"e2"'), undefined, 'an overwritten object is read again');
  assert.equal(c.get('k2', '"e1"'), undefined);
});

test('the least recently used object goes first when full', () => {
  const c = createCuratedObjectCache(2);
  c.set('a', 'x', bars(1));
  c.set('b', 'x', bars(2));
  assert.ok(c.get('a', 'x')); // a is now the most recent
  c.set('c', 'x', bars(3));
  assert.equal(c.size, 2);
  assert.equal(c.get('b', 'x'), undefined);
  assert.deepEqual(c.get('a', 'x'), bars(1));
  assert.deepEqual(c.get('c', 'x'), bars(3));
});

test('a non-positive size is refused', () => {
  assert.throws(() => createCuratedObjectCache(0), RangeError);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapWithConcurrency } from '../../../lib/util/map-with-concurrency.ts';

test('keeps input order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, n));
    inFlight -= 1;
    return n * 10 + i;
  });
  assert.deepEqual(out, [50, 11, 42, 23, 34, 5, 66]);
  assert.equal(peak, 3);
});

test('rejects with the first error and starts nothing more', async () => {
  const started: number[] = [];
  await assert.rejects(
    mapWithConcurrency([0, 1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('boom');
      return n;
    }),
    /boom/,
  );
  assert.deepEqual(started, [0, 1]);
  await assert.rejects(
    mapWithConcurrency([1], 0, async (n) => n),
    RangeError,
  );
  assert.deepEqual(await mapWithConcurrency([], 4, async (n) => n), []);
});

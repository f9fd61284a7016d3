/**
 * The local stack's compaction trigger with fast timers: a run once an ingest round settles, a
 * run per interval in any case, no overlapping runs, errors reported without stopping the loop.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCompactionLoop } from '../../../lib/local/compaction-loop.ts';

test('compacts once an ingest round has settled, not while records keep arriving', async () => {
  let delivered = 0;
  let runs = 0;
  const loop = startCompactionLoop({ compact: async () => void runs++, delivered: () => delivered, checkMs: 30, intervalMs: 60_000 });
  try {
    await sleep(100);
    assert.equal(runs, 0, 'nothing delivered, interval not reached: no run');
    // records arrive far more often than the loop checks: still arriving, no run yet
    const until = Date.now() + 200;
    while (Date.now() < until) {
      delivered += 1;
      await sleep(3);
    }
    assert.equal(runs, 0);
    await sleep(150);
    assert.equal(runs, 1, 'one run once the round settled');
    await sleep(150);
    assert.equal(runs, 1, 'no new records: no further run');
  } finally {
    await loop.stop();
  }
});

test('runs every interval even without ingest (e.g. a released bar written to staging)', async () => {
  let runs = 0;
  const loop = startCompactionLoop({ compact: async () => void runs++, delivered: () => 0, checkMs: 5, intervalMs: 40 });
  await sleep(150);
  await loop.stop();
  assert.ok(runs >= 2 && runs <= 4, `runs: ${runs}`);
});

test('runs never overlap; a failing run is reported and the loop goes on', async () => {
  let active = 0;
  let maxActive = 0;
  let calls = 0;
  const errors: string[] = [];
  const loop = startCompactionLoop({
    compact: async () => {
      calls++;
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(30);
      active--;
      if (calls === 1) throw new Error('S3 unavailable');
    },
    delivered: () => 0,
    checkMs: 2,
    intervalMs: 5,
    onError: (err) => void errors.push((err as Error).message),
  });
  await Promise.all([loop.runNow(), loop.runNow()]);
  await sleep(100);
  await loop.stop();
  assert.equal(maxActive, 1);
  assert.deepEqual(errors, ['S3 unavailable']);
  assert.ok(loop.runs() >= 3, `runs: ${loop.runs()}`);
});

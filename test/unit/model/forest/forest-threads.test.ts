/**
 * Worker-thread training gives the byte-identical model to one thread for the same seed.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FlatTree } from '../../../../lib/domain/model/forest/flat-tree.ts';
import {
  ForestInputError,
  RandomForestModel,
  trainForest,
  trainForestAsync,
  trainForestShard,
  trainForestShardAsync,
} from '../../../../lib/domain/model/forest/index.ts';
import { resolveForestOptions } from '../../../../lib/domain/model/forest/options.ts';
import { type ForestWorker, runWorker, shardRanges, startWorkers, trainSharded } from '../../../../lib/domain/model/forest/parallel.ts';
import { buildTrees, treeParams } from '../../../../lib/domain/model/forest/train.ts';
import { buildTrainingMatrix } from '../../../../lib/domain/model/forest/training-data.ts';
import { makeClassification } from './synthetic-data.ts';

const data = makeClassification(300, 5, 41);

/** A fresh shared tree counter (nothing claimed yet). */
const claimCounter = () => new Int32Array(new SharedArrayBuffer(4));

describe('threads', () => {
  test('shards cover every tree exactly once, in order', () => {
    assert.deepEqual(shardRanges(10, 3), [
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    assert.deepEqual(shardRanges(2, 2), [
      [0, 1],
      [1, 2],
    ]);
  });

  test('a worker thread really builds its trees (not the same-thread fallback), identically', async () => {
    const { matrix } = buildTrainingMatrix(data.X, data.y);
    const params = treeParams(resolveForestOptions({}), matrix.features);
    const fromWorker: [number, FlatTree][] = [];
    await runWorker({ matrix, params, seed: 5, from: 2, to: 4, next: claimCounter() }, (index, tree) => fromWorker.push([index, tree]));
    assert.deepEqual(
      fromWorker.map(([index]) => index),
      [2, 3],
    );
    assert.deepEqual(
      fromWorker.map(([, tree]) => tree),
      buildTrees(matrix, params, 5, 2, 4),
    );
  });

  test('threads share the trees through one counter: the worker builds only the trees left to claim', async () => {
    const { matrix } = buildTrainingMatrix(data.X, data.y, true);
    const params = treeParams(resolveForestOptions({ splitSearch: 'histogram' }), matrix.features);
    const next = claimCounter();
    Atomics.store(next, 0, 3); // trees 0..2 already claimed by another thread
    const indices: number[] = [];
    await runWorker({ matrix, params, seed: 5, from: 0, to: 5, next }, (index) => indices.push(index));
    assert.deepEqual(indices, [3, 4]);
    const { trees, workerTrees } = await trainSharded(matrix, params, 5, { from: 1, to: 7 }, startWorkers(1));
    assert.deepEqual(trees, buildTrees(matrix, params, 5, 1, 7));
    assert.ok(workerTrees >= 0 && workerTrees <= 6);
  });

  test('threads: 1 is synchronous; threads: 2 and 3 return a Promise of the identical model', async () => {
    const one = trainForest(data.X, data.y, { nEstimators: 9, seed: 12 });
    assert.ok(one instanceof RandomForestModel);
    const pending = trainForest(data.X, data.y, { nEstimators: 9, seed: 12, threads: 2 });
    assert.ok(pending instanceof Promise);
    const two = await pending;
    const three = await trainForestAsync(data.X, data.y, { nEstimators: 9, seed: 12, threads: 3 });
    assert.equal(JSON.stringify(two), JSON.stringify(one));
    assert.equal(JSON.stringify(three), JSON.stringify(one));
    assert.equal(two.oobScore(), one.oobScore());
    assert.equal(two.options.threads, 2); // recorded on the object, not in the JSON
  });

  test('a tree a worker claimed but has not delivered is built by the calling thread too, and counts once', async () => {
    const { matrix } = buildTrainingMatrix(data.X, data.y);
    const params = treeParams(resolveForestOptions({}), matrix.features);
    let deliverLate = () => {};
    let stopped = 0;
    const slow: ForestWorker = {
      run(job, onTree) {
        const t = job.from + Atomics.add(job.next, 0, 1); // claims the first tree, delivers it after training ended
        deliverLate = () => onTree(t, buildTrees(job.matrix, job.params, job.seed, t, t + 1)[0]);
        return new Promise(() => {});
      },
      stop: () => {
        stopped++;
      },
    };
    let ticks = 0;
    const { trees, workerTrees } = await trainSharded(matrix, params, 5, { from: 0, to: 4 }, [slow], () => ticks++);
    deliverLate();
    assert.deepEqual(trees, buildTrees(matrix, params, 5, 0, 4));
    assert.equal(workerTrees, 0);
    assert.equal(ticks, 4);
    assert.equal(stopped, 1);
  });

  test('bad rows with threads: 2 are refused before any tree (the workers started for them are stopped)', async () => {
    assert.throws(() => trainForest([[1, 2], [3]], ['a', 'b'], { threads: 2 }), ForestInputError);
    await assert.rejects(trainForestShardAsync([[1, Number.NaN]], ['a'], { threads: 2, nEstimators: 2 }, { from: 0, to: 2 }), ForestInputError);
  });

  test('a shard trained on 2 threads equals the shard trained on one', async () => {
    const options = { nEstimators: 9, seed: 12, splitSearch: 'histogram' as const };
    const one = trainForestShard(data.X, data.y, options, { from: 3, to: 9 });
    const two = await trainForestShardAsync(data.X, data.y, { ...options, threads: 2 }, { from: 3, to: 9 });
    assert.equal(JSON.stringify(two), JSON.stringify(one));
    assert.equal(two.trees.length, 6);
  });

  test('progress is reported once per tree, counting up to the forest size, from the worker threads too', async () => {
    const calls: [number, number][] = [];
    const one = trainForest(data.X, data.y, { nEstimators: 7, seed: 12 }, (done, total) => calls.push([done, total]));
    assert.deepEqual(
      calls,
      Array.from({ length: 7 }, (_, i) => [i + 1, 7]),
    );
    const threaded: [number, number][] = [];
    const three = await trainForestAsync(data.X, data.y, { nEstimators: 7, seed: 12, threads: 3 }, (done, total) => threaded.push([done, total]));
    assert.deepEqual(
      threaded,
      Array.from({ length: 7 }, (_, i) => [i + 1, 7]),
    );
    assert.equal(JSON.stringify(three), JSON.stringify(one), 'the callback does not change the model');
    // The worker itself reports each tree it builds.
    const { matrix } = buildTrainingMatrix(data.X, data.y);
    let ticks = 0;
    await runWorker({ matrix, params: treeParams(resolveForestOptions({}), matrix.features), seed: 5, from: 2, to: 5, next: claimCounter() }, () => ticks++);
    assert.equal(ticks, 3);
  });
});

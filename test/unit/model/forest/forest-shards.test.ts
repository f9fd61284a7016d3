/**
 * A forest trained in shards (separate processes in the workflow) and merged is byte-identical
 * to the one-process forest for the same rows, options and seed.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ForestFormatError, mergeForestShards, trainForest, trainForestShard } from '../../../../lib/domain/model/forest/index.ts';
import { fitForest } from '../../../../lib/domain/model/forest-adapter.ts';
import { fitForestShard, mergeForestShardsJson, planForestShards } from '../../../../lib/domain/model/forest-shards.ts';
import { makeClassification } from './synthetic-data.ts';

const data = makeClassification(240, 6, 17);

describe('forest shards', () => {
  test('shards merged in any order give the byte-identical forest JSON, out-of-bag score included', () => {
    const options = { nEstimators: 7, seed: 99, maxDepth: 6 };
    const whole = JSON.stringify(trainForest(data.X, data.y, options).toJSON());
    const shards = [
      trainForestShard(data.X, data.y, options, { from: 5, to: 7 }),
      trainForestShard(data.X, data.y, options, { from: 0, to: 2 }),
      trainForestShard(data.X, data.y, options, { from: 2, to: 5 }),
    ];
    const merged = mergeForestShards(data.X, data.y, shards);
    assert.equal(JSON.stringify(merged.toJSON()), whole);
    assert.notEqual(merged.oobScore(), null);
  });

  test("the model core's shards match fitForest for every shard plan, through JSON round trips", async () => {
    const opts = { trees: 9, seed: 4, minSamplesLeaf: 2 };
    const whole = JSON.stringify(fitForest(data.X, data.y, opts).toJSON());
    for (const perShard of [1, 2, 4, 9, 20]) {
      const plan = planForestShards(opts.trees, perShard);
      assert.equal(plan.length, Math.ceil(opts.trees / perShard));
      // Each shard travels as JSON, as it does between Lambdas.
      const shards = await Promise.all(plan.map(async (r) => JSON.parse(JSON.stringify(await fitForestShard(data.X, data.y, opts, r)))));
      assert.equal(JSON.stringify(mergeForestShardsJson(data.X, data.y, opts, shards)), whole, `${perShard} trees per shard`);
    }
  });

  test('planForestShards covers every tree once, in order, in near-equal shards', () => {
    assert.deepEqual(planForestShards(10, 4), [
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 10 },
    ]);
    assert.deepEqual(planForestShards(3, 10), [{ from: 0, to: 3 }]);
    assert.throws(() => planForestShards(0, 5), RangeError);
  });

  test('a shard trained on two threads (a worker beside the calling thread) is the one-thread shard', async () => {
    const opts = { trees: 6, seed: 8, minSamplesLeaf: 3 };
    const one = await fitForestShard(data.X, data.y, opts, { from: 1, to: 6 });
    const two = await fitForestShard(data.X, data.y, opts, { from: 1, to: 6 }, 2);
    assert.equal(JSON.stringify(two), JSON.stringify(one));
    assert.equal(one.trees.length, 5);
  });

  test('a missing, overlapping or foreign shard is refused, naming it', async () => {
    const opts = { trees: 4, seed: 1 };
    const [a, b] = await Promise.all(planForestShards(4, 2).map((r) => fitForestShard(data.X, data.y, opts, r)));
    const refuses = (shards: unknown[], pattern: RegExp, o = opts) =>
      assert.throws(
        () => mergeForestShardsJson(data.X, data.y, o, shards as never),
        (e: unknown) => e instanceof ForestFormatError && pattern.test(e.message),
      );
    refuses([b], /shard \[2, 4\).*leaves trees \[0, 2\) missing/);
    refuses([a], /cover trees \[0, 2\) of 4/);
    refuses([a, a, b], /shard \[0, 2\).*overlaps trees before 2/);
    refuses([a, b], /other options or on other rows/, { trees: 4, seed: 2 });
    refuses([{ ...a, format: 'x' }, b], /shards\[0\]\.format/);
    assert.throws(() => mergeForestShardsJson(data.X.slice(1), data.y.slice(1), opts, [a, b]), /other options or on other rows/);
    await assert.rejects(() => fitForestShard(data.X, data.y, opts, { from: 3, to: 5 }), /\[3, 5\) is not a non-empty range within the forest's 4 trees/);
  });
});

/**
 * The histogram split search: binning, equivalence with the exact search when every feature has
 * at most 256 distinct values, raw-value thresholds that partition the training rows as the
 * builder did, determinism across threads and shards, and the option's JSON.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binFeatures, MAX_BINS } from '../../../../lib/domain/model/forest/feature-bins.ts';
import { ForestOptionsError, mergeForestShards, RandomForestModel, trainForest, trainForestShard } from '../../../../lib/domain/model/forest/index.ts';
import { buildTrainingMatrix } from '../../../../lib/domain/model/forest/training-data.ts';
import { drawSampleWeights } from '../../../../lib/domain/model/forest/tree-builder.ts';
import { deriveSeed, Xoshiro128 } from '../../../../lib/util/prng.ts';
import { accuracy, makeClassification, split } from './synthetic-data.ts';

const continuous = makeClassification(600, 6, 23); // > 256 distinct values per feature
const coarse = { X: continuous.X.map((r) => r.map((v) => Math.round(v * 15))), y: continuous.y }; // ~100 distinct values

describe('histogram split search', () => {
  test('bins: at most 256 per feature, ordered by value, equal values together, about equal row counts', () => {
    const X = Array.from({ length: 1000 }, (_, i) => [(i * 7919) % 1000, i % 5]); // 1,000 distinct values; 5 values
    X.push([3, 0], [3, 4]); // the value 3 three times
    const { matrix } = buildTrainingMatrix(
      X,
      X.map(() => 'a'),
    );
    const { codes, low, high } = binFeatures(matrix);
    const N = matrix.rows;
    const col0 = Array.from({ length: N }, (_, r) => ({ v: X[r][0], b: codes[r] }));
    const bins0 = new Set(col0.map((c) => c.b));
    assert.ok(bins0.size <= MAX_BINS && bins0.size >= 240, `${bins0.size} bins`);
    for (const a of col0) {
      assert.ok(low[a.b] <= a.v && a.v <= high[a.b]);
      for (const b of col0) if (a.v < b.v) assert.ok(a.b <= b.b);
    }
    assert.equal(codes[N - 2], codes[X.findIndex((x) => x[0] === 3)]); // equal values, one bin
    const perBin = new Map<number, number>();
    for (const c of col0) perBin.set(c.b, (perBin.get(c.b) ?? 0) + 1);
    assert.ok(Math.max(...perBin.values()) <= 6, `largest bin holds ${Math.max(...perBin.values())} rows`);
    // Few distinct values: one bin each, the dense rank.
    assert.deepEqual(Array.from(codes.subarray(N, N + 6)), [0, 1, 2, 3, 4, 0]);
    assert.deepEqual(Array.from(low.subarray(MAX_BINS, MAX_BINS + 5)), [0, 1, 2, 3, 4]);
  });

  test('with at most 256 distinct values per feature it builds the exact search’s trees', () => {
    for (const options of [{}, { featureSampling: 'per-tree' as const, maxFeatures: 3 }, { minSamplesLeaf: 3, maxDepth: 5 }, { bootstrap: false }]) {
      const exact = trainForest(coarse.X, coarse.y, { nEstimators: 6, seed: 7, ...options });
      const hist = trainForest(coarse.X, coarse.y, { nEstimators: 6, seed: 7, ...options, splitSearch: 'histogram' });
      assert.deepEqual(hist.toJSON().trees, exact.toJSON().trees, JSON.stringify(options));
      assert.equal(hist.oobScore(), exact.oobScore());
    }
  });

  test('thresholds are raw values that send every training row where the builder did (node counts reproduce)', () => {
    const seed = 3;
    const model = trainForest(continuous.X, continuous.y, { nEstimators: 4, seed, splitSearch: 'histogram' });
    const K = model.classes.length;
    const label = continuous.y.map((c) => model.classes.indexOf(c));
    model.trees.forEach((t, ti) => {
      assert.ok(t.nodeCount > 50);
      const w = drawSampleWeights(new Xoshiro128(deriveSeed(seed, ti)), continuous.X.length, true);
      const counts = new Float64Array(t.nodeCount * K);
      continuous.X.forEach((x, r) => {
        let n = 0;
        for (;;) {
          counts[n * K + label[r]] += w[r];
          if (t.feature[n] < 0) break;
          n = x[t.feature[n]] < t.threshold[n] ? t.left[n] : t.right[n];
        }
      });
      assert.deepEqual(counts, t.counts, `tree ${ti}`);
    });
  });

  test('accuracy on continuous data is close to the exact search’s', () => {
    // 1,400 training rows: about 5 rows per bin, so bins are coarser than the values.
    const { train, test: holdout } = split(makeClassification(2000, 6, 9), 1400);
    const exact = accuracy(trainForest(train.X, train.y, { nEstimators: 20, seed: 1 }).predict(holdout.X), holdout.y);
    const hist = accuracy(trainForest(train.X, train.y, { nEstimators: 20, seed: 1, splitSearch: 'histogram' }).predict(holdout.X), holdout.y);
    assert.ok(exact > 0.7, `exact ${exact}`);
    assert.ok(Math.abs(hist - exact) <= 0.02, `histogram ${hist} vs exact ${exact}`);
  });

  test('same seed → byte-identical model on 1 or 2 threads and from shards', async () => {
    const options = { nEstimators: 6, seed: 11, splitSearch: 'histogram' as const };
    const one = JSON.stringify(trainForest(continuous.X, continuous.y, options));
    assert.equal(JSON.stringify(await trainForest(continuous.X, continuous.y, { ...options, threads: 2 })), one);
    const shards = [
      trainForestShard(continuous.X, continuous.y, options, { from: 3, to: 6 }),
      trainForestShard(continuous.X, continuous.y, options, { from: 0, to: 3 }),
    ];
    assert.equal(shards[0].options.splitSearch, 'histogram');
    assert.equal(JSON.stringify(mergeForestShards(continuous.X, continuous.y, shards)), one);
    assert.throws(() => mergeForestShards(continuous.X, continuous.y, shards, { ...options, splitSearch: 'exact' }), /other options/);
  });

  test('the JSON records splitSearch only for histogram models, and load restores it', () => {
    const exact = trainForest(coarse.X.slice(0, 80), coarse.y.slice(0, 80), { nEstimators: 2 });
    assert.equal('splitSearch' in exact.toJSON().options, false);
    assert.equal(RandomForestModel.load(JSON.stringify(exact)).options.splitSearch, 'exact');
    const hist = trainForest(coarse.X.slice(0, 80), coarse.y.slice(0, 80), { nEstimators: 2, splitSearch: 'histogram' });
    assert.equal(hist.toJSON().options.splitSearch, 'histogram');
    const loaded = RandomForestModel.load(JSON.stringify(hist));
    assert.equal(loaded.options.splitSearch, 'histogram');
    assert.equal(JSON.stringify(loaded), JSON.stringify(hist));
    assert.throws(
      () => trainForest(coarse.X, coarse.y, { splitSearch: 'fast' as never }),
      (err: unknown) => err instanceof ForestOptionsError && /splitSearch/.test(err.message),
    );
  });
});

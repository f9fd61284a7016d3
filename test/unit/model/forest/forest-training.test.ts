/**
 * riskfn's random forest: options, sampling, stopping rules, labels, OOB, input errors.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ForestInputError, ForestOptionsError, type RandomForestModel, resolveMaxFeatures, trainForest } from '../../../../lib/domain/model/forest/index.ts';
import { accuracy, makeClassification, split } from './synthetic-data.ts';

const data = split(makeClassification(600, 6, 3), 420);

function depth(t: RandomForestModel['trees'][number], n = 0): number {
  return t.feature[n] < 0 ? 0 : 1 + Math.max(depth(t, t.left[n]), depth(t, t.right[n]));
}
function leafRowCounts(model: RandomForestModel, X: number[][]): number[] {
  // distinct training rows per leaf (only meaningful without bootstrap)
  const out: number[] = [];
  for (const t of model.trees) {
    const perLeaf = new Map<number, number>();
    for (const x of X) {
      let n = 0;
      while (t.feature[n] >= 0) n = x[t.feature[n]] < t.threshold[n] ? t.left[n] : t.right[n];
      perLeaf.set(n, (perLeaf.get(n) ?? 0) + 1);
    }
    out.push(...perLeaf.values());
  }
  return out;
}

describe('trainForest', () => {
  const model = trainForest(data.train.X, data.train.y, { nEstimators: 30, seed: 7 });

  test('learns: test accuracy well above the majority share, and OOB close to it', () => {
    const acc = accuracy(model.predict(data.test.X), data.test.y);
    const majority = Math.max(...model.classes.map((c) => data.test.y.filter((v) => v === c).length)) / data.test.y.length;
    assert.ok(acc > majority + 0.2, `accuracy ${acc} vs majority ${majority}`);
    const oob = model.oobScore();
    assert.ok(oob !== null && Math.abs(oob - acc) < 0.1, `oob ${oob} vs test ${acc}`);
  });

  test('classes are the sorted unique labels and probability rows follow them and sum to 1', () => {
    assert.deepEqual(model.classes, ['high', 'low', 'medium']);
    for (const p of model.predictProba(data.test.X.slice(0, 20))) {
      assert.equal(p.length, 3);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    }
    const pred = model.predict(data.test.X.slice(0, 20));
    model.predictProba(data.test.X.slice(0, 20)).forEach((p, i) => {
      assert.equal(pred[i], model.classes[p.indexOf(Math.max(...p))]);
    });
  });

  test('defaults are scikit-learn-like and recorded', () => {
    const m = trainForest(data.train.X.slice(0, 60), data.train.y.slice(0, 60));
    assert.deepEqual(m.options, {
      nEstimators: 100,
      maxFeatures: 'sqrt',
      featureSampling: 'per-split',
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      bootstrap: true,
      seed: 42,
      splitSearch: 'exact',
      threads: 1,
    });
    assert.equal(m.trees.length, 100);
    assert.equal(m.featureCount, 6);
  });

  test('same data and seed → the same trees; another seed → different trees', () => {
    const a = trainForest(data.train.X, data.train.y, { nEstimators: 5, seed: 1 });
    const b = trainForest(data.train.X, data.train.y, { nEstimators: 5, seed: 1 });
    const c = trainForest(data.train.X, data.train.y, { nEstimators: 5, seed: 2 });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    assert.notEqual(JSON.stringify(a), JSON.stringify(c));
  });

  test('trees are independent of the forest size (tree t depends only on seed and t)', () => {
    const small = trainForest(data.train.X, data.train.y, { nEstimators: 3, seed: 9 });
    const large = trainForest(data.train.X, data.train.y, { nEstimators: 6, seed: 9 });
    assert.deepEqual(large.toJSON().trees.slice(0, 3), small.toJSON().trees);
  });

  test('string labels of any spelling, including two classes and one class', () => {
    const y2 = data.train.y.map((v) => (v === 'high' ? 'B risky' : 'A calm'));
    const m2 = trainForest(data.train.X, y2, { nEstimators: 10 });
    assert.deepEqual(m2.classes, ['A calm', 'B risky']);
    assert.ok(m2.predict(data.test.X).every((v) => v === 'A calm' || v === 'B risky'));
    const m1 = trainForest(data.train.X.slice(0, 20), new Array(20).fill('only'), { nEstimators: 3 });
    assert.deepEqual(m1.predictProba([data.test.X[0]]), [[1]]);
    assert.deepEqual(m1.featureImportances(), new Array(6).fill(0));
  });

  test('maxDepth, minSamplesLeaf and minSamplesSplit are respected', () => {
    const shallow = trainForest(data.train.X, data.train.y, { nEstimators: 5, maxDepth: 3 });
    for (const t of shallow.trees) assert.ok(depth(t) <= 3);
    assert.ok(shallow.trees.some((t) => depth(t) === 3));
    const leafy = trainForest(data.train.X, data.train.y, { nEstimators: 5, minSamplesLeaf: 7, bootstrap: false });
    assert.ok(Math.min(...leafRowCounts(leafy, data.train.X)) >= 7);
    const split20 = trainForest(data.train.X, data.train.y, { nEstimators: 3, minSamplesSplit: 40, bootstrap: false });
    for (const t of split20.trees) {
      for (let n = 0; n < t.nodeCount; n++) {
        if (t.feature[n] < 0) continue;
        let w = 0;
        for (let k = 0; k < 3; k++) w += t.counts[n * 3 + k];
        assert.ok(w >= 40, `split node with ${w} rows`);
      }
    }
  });

  test('maxFeatures: counts (1 = one feature), fractions, named rules', () => {
    assert.equal(resolveMaxFeatures('sqrt', 20), 4);
    assert.equal(resolveMaxFeatures('log2', 20), 4);
    assert.equal(resolveMaxFeatures('all', 20), 20);
    assert.equal(resolveMaxFeatures(1, 20), 1);
    assert.equal(resolveMaxFeatures(0.5, 20), 10);
    assert.equal(resolveMaxFeatures(0.01, 20), 1);
    assert.throws(() => resolveMaxFeatures(21, 20), ForestOptionsError);
    assert.throws(() => trainForest(data.train.X, data.train.y, { maxFeatures: 1.5 }), ForestOptionsError);
    assert.throws(() => trainForest(data.train.X, data.train.y, { maxFeatures: 0 }), ForestOptionsError);
  });

  test('per-tree sampling: each tree splits only on its maxFeatures features; per-split: on more', () => {
    const perTree = trainForest(data.train.X, data.train.y, { nEstimators: 8, maxFeatures: 2, featureSampling: 'per-tree' });
    const used = (m: RandomForestModel) => m.trees.map((t) => new Set(Array.from(t.feature).filter((f) => f >= 0)).size);
    assert.ok(used(perTree).every((n) => n <= 2));
    const perSplit = trainForest(data.train.X, data.train.y, { nEstimators: 8, maxFeatures: 2 });
    assert.ok(used(perSplit).every((n) => n > 2));
  });

  test('thresholds are midpoints between distinct values; tied values are never separated', () => {
    // x0 takes only the values 0, 1, 2, 3 (many ties); class is "a" for x0 <= 1
    const X = Array.from({ length: 80 }, (_, i) => [i % 4, (i * 7) % 5]);
    const y = X.map((r) => (r[0] <= 1 ? 'a' : 'b'));
    const m = trainForest(X, y, { nEstimators: 5, maxFeatures: 'all' });
    for (const t of m.trees) {
      assert.equal(t.feature[0], 0);
      assert.equal(t.threshold[0], 1.5);
      for (let n = 0; n < t.nodeCount; n++) if (t.feature[n] >= 0) assert.equal(t.threshold[n] % 1, 0.5);
    }
    assert.deepEqual(
      m.predict([
        [1, 0],
        [2, 0],
      ]),
      ['a', 'b'],
    );
  });

  test('a row goes left when x < threshold; NaN at prediction goes right', () => {
    const X = [[0], [1], [2], [3]];
    const m = trainForest(X, ['a', 'a', 'b', 'b'], { nEstimators: 1, bootstrap: false });
    assert.equal(m.trees[0].threshold[0], 1.5);
    assert.deepEqual(m.predict([[1.4999], [1.5], [Number.NaN]]), ['a', 'b', 'b']);
  });

  test('OOB: null without bootstrap; with 2 trees rows drawn twice are skipped, no crash', () => {
    assert.equal(trainForest(data.train.X, data.train.y, { nEstimators: 3, bootstrap: false }).oobScore(), null);
    const two = trainForest(data.train.X.slice(0, 30), data.train.y.slice(0, 30), { nEstimators: 2 });
    const s = two.oobScore();
    assert.ok(s !== null && s >= 0 && s <= 1);
    const one = trainForest([[1]], ['a'], { nEstimators: 2 });
    assert.equal(one.oobScore(), null); // the only row is in every bootstrap sample
  });

  test('bad input is refused with the row and feature named', () => {
    assert.throws(() => trainForest([], []), ForestInputError);
    assert.throws(() => trainForest([[1], [2]], ['a']), /2 rows but 1 labels/);
    assert.throws(
      () => trainForest([[1, 2], [3]], ['a', 'b']),
      (e: unknown) => e instanceof ForestInputError && e.row === 1,
    );
    assert.throws(
      () =>
        trainForest(
          [
            [1, 2],
            [3, Number.NaN],
          ],
          ['a', 'b'],
        ),
      (e: unknown) => e instanceof ForestInputError && e.row === 1 && e.feature === 1 && /row 1, feature 1/.test(e.message),
    );
    assert.throws(() => trainForest([[1], [Infinity]], ['a', 'b']), ForestInputError);
    assert.throws(() => trainForest([[1]], ['a'], { nEstimators: 0 }), ForestOptionsError);
    assert.throws(() => trainForest([[1]], ['a'], { seed: 1.5 }), /seed/);
    assert.throws(() => trainForest([[1]], ['a'], { treez: 3 } as never), /unknown option/);
    assert.throws(
      () => model.predict([[1, 2]]),
      (e: unknown) => e instanceof ForestInputError && /expects 6/.test(e.message),
    );
  });

  test('accepts typed-array rows', () => {
    const rows = data.train.X.map((r) => Float64Array.from(r));
    const a = trainForest(rows, data.train.y, { nEstimators: 3 });
    const b = trainForest(data.train.X, data.train.y, { nEstimators: 3 });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    assert.deepEqual(a.predict(data.test.X.map((r) => Float32Array.from(r))), a.predict(data.test.X.map((r) => Float32Array.from(r))));
  });
});

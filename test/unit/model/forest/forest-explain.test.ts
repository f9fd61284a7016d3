/**
 * Explanations: impurity importance and treeinterpreter-style path contributions.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { trainForest } from '../../../../lib/domain/model/forest/index.ts';
import { makeClassification, split } from './synthetic-data.ts';

const data = split(makeClassification(500, 6, 21), 350);

describe('featureImportances', () => {
  const model = trainForest(data.train.X, data.train.y, { nEstimators: 40, seed: 4 });

  test('non-negative, sums to 1, and ranks the informative features (0-3) above the noise (4, 5)', () => {
    const imp = model.featureImportances();
    assert.equal(imp.length, 6);
    assert.ok(imp.every((v) => v >= 0));
    assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(Math.min(imp[0], imp[1]) > Math.max(imp[4], imp[5]), `importances ${imp}`);
  });

  test('a feature never used in a split scores exactly 0', () => {
    const X = data.train.X.map((r) => [...r, 7]); // constant column
    const imp = trainForest(X, data.train.y, { nEstimators: 10 }).featureImportances();
    assert.equal(imp[6], 0);
  });

  test('equals the per-node definition recomputed from the counts (bootstrap-weighted)', () => {
    const K = model.classes.length;
    const wg = (t: (typeof model.trees)[number], n: number) => {
      let w = 0;
      let sq = 0;
      for (let k = 0; k < K; k++) {
        w += t.counts[n * K + k];
        sq += t.counts[n * K + k] ** 2;
      }
      return w - sq / w;
    };
    const total = new Array(6).fill(0);
    for (const t of model.trees) {
      const per = new Array(6).fill(0);
      for (let n = 0; n < t.nodeCount; n++) if (t.feature[n] >= 0) per[t.feature[n]] += wg(t, n) - wg(t, t.left[n]) - wg(t, t.right[n]);
      const s = per.reduce((a, b) => a + b, 0);
      per.forEach((v, f) => {
        total[f] += v / s;
      });
    }
    const s = total.reduce((a, b) => a + b, 0);
    model.featureImportances().forEach((v, f) => {
      assert.ok(Math.abs(v - total[f] / s) < 1e-12);
    });
  });
});

describe('contributions', () => {
  const model = trainForest(data.train.X, data.train.y, { nEstimators: 30, seed: 8, minSamplesLeaf: 3 });

  test('bias + Σ contributions = predictProba to 1e-12, for every test row', () => {
    const proba = model.predictProba(data.test.X);
    data.test.X.forEach((x, i) => {
      const { bias, contributions } = model.contributions(x);
      assert.equal(contributions.length, 6);
      for (let k = 0; k < model.classes.length; k++) {
        const sum = bias[k] + contributions.reduce((a, c) => a + c[k], 0);
        assert.ok(Math.abs(sum - proba[i][k]) <= 1e-12, `row ${i} class ${k}: ${sum} vs ${proba[i][k]}`);
      }
    });
  });

  test('bias is the mean over trees of the root class shares of each bootstrap sample', () => {
    const K = model.classes.length;
    const expected = new Array(K).fill(0);
    for (const t of model.trees) {
      let w = 0;
      for (let k = 0; k < K; k++) w += t.counts[k];
      for (let k = 0; k < K; k++) expected[k] += t.counts[k] / w / model.trees.length;
    }
    const { bias } = model.contributions(data.test.X[0]);
    bias.forEach((b, k) => {
      assert.ok(Math.abs(b - expected[k]) < 1e-15);
    });
    // close to, but (with bootstrap) not exactly, the training class shares
    model.classes.forEach((c, k) => {
      const share = data.train.y.filter((v) => v === c).length / data.train.y.length;
      assert.ok(Math.abs(bias[k] - share) < 0.03);
    });
  });

  test('without bootstrap the bias is exactly the training base rate', () => {
    const m = trainForest(data.train.X, data.train.y, { nEstimators: 5, bootstrap: false });
    const { bias } = m.contributions(data.test.X[0]);
    m.classes.forEach((c, k) => {
      assert.ok(Math.abs(bias[k] - data.train.y.filter((v) => v === c).length / data.train.y.length) < 1e-15);
    });
  });

  test('features never on the path contribute 0; contributions of a row sum to 0 over classes', () => {
    const X = data.train.X.map((r) => [...r, 1]);
    const m = trainForest(X, data.train.y, { nEstimators: 5 });
    const { contributions } = m.contributions([...data.test.X[0], 1]);
    assert.deepEqual(contributions[6], [0, 0, 0]);
    for (const c of contributions) assert.ok(Math.abs(c.reduce((a, b) => a + b, 0)) < 1e-12);
  });
});

/**
 * One riskfn tree (nEstimators 1, no bootstrap, every feature) against scikit-learn's
 * DecisionTreeClassifier on the same rows. Same exact Gini CART, so: at every node both reach
 * with the same rows, both choose a split of the same gain, and unless two splits tie exactly
 * (then each library keeps the first in its own random feature order) the same feature and
 * threshold (midpoints between distinct values; feature 2 has many tied values). When no tie
 * occurs the whole tree, its probabilities and importances are identical.
 * Fixture: test/fixtures/forest/make_sklearn_tree_fixture.py (scikit-learn 1.2.1).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { trainForest } from '../../../../lib/domain/model/forest/index.ts';

interface SkTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
}
interface Case {
  params: { min_samples_leaf?: number; max_depth?: number; min_samples_split?: number };
  classes: string[];
  node_count: number;
  depth: number;
  predict_proba: number[][];
  feature_importances: number[];
  tree: SkTree;
}
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/forest/sklearn_tree_fixture.json', import.meta.url), 'utf8')) as {
  X_train: number[][];
  y_train: string[];
  X_test: number[][];
  cases: Case[];
};
const { X_train: X, y_train: y } = fixture;

/** Weighted Gini decrease of splitting `rows` by `goesLeft`. */
function gain(rows: number[], goesLeft: (r: number) => boolean): number {
  const wg = (s: number[]) => {
    if (s.length === 0) return 0;
    const counts = new Map<string, number>();
    for (const r of s) counts.set(y[r], (counts.get(y[r]) ?? 0) + 1);
    let sq = 0;
    for (const c of counts.values()) sq += c * c;
    return s.length - sq / s.length;
  };
  const L = rows.filter(goesLeft);
  const R = rows.filter((r) => !goesLeft(r));
  return wg(rows) - wg(L) - wg(R);
}

describe('single tree vs scikit-learn DecisionTreeClassifier', () => {
  for (const c of fixture.cases) {
    test(`params ${JSON.stringify(c.params)}`, () => {
      const model = trainForest(X, y, {
        nEstimators: 1,
        bootstrap: false,
        maxFeatures: 'all',
        minSamplesLeaf: c.params.min_samples_leaf,
        maxDepth: c.params.max_depth,
        minSamplesSplit: c.params.min_samples_split,
      });
      assert.deepEqual(model.classes, c.classes);
      const t = model.trees[0];
      const sk = c.tree;
      let ties = 0;
      let compared = 0;
      const walk = (a: number, b: number, rows: number[]): void => {
        compared++;
        const fa = t.feature[a];
        const fb = sk.feature[b];
        assert.equal(fa < 0, fb < 0, `node with ${rows.length} rows: leaf in one library only`);
        if (fa < 0) return;
        if (fa !== fb || t.threshold[a] !== sk.threshold[b]) {
          const mine = gain(rows, (r) => X[r][fa] < t.threshold[a]);
          const theirs = gain(rows, (r) => X[r][fb] <= sk.threshold[b]);
          assert.ok(Math.abs(mine - theirs) < 1e-9, `node with ${rows.length} rows: gain ${mine} vs scikit-learn ${theirs}`);
          ties++;
          return; // equally good splits: the subtrees legitimately differ
        }
        walk(
          t.left[a],
          sk.left[b],
          rows.filter((r) => X[r][fa] < t.threshold[a]),
        );
        walk(
          t.right[a],
          sk.right[b],
          rows.filter((r) => !(X[r][fa] < t.threshold[a])),
        );
      };
      walk(
        0,
        0,
        X.map((_, i) => i),
      );
      assert.ok(compared >= 15, `only ${compared} nodes compared`);
      if (ties > 0) return;
      assert.equal(t.nodeCount, c.node_count);
      const proba = model.predictProba(fixture.X_test);
      proba.forEach((row, i) => {
        row.forEach((p, k) => {
          assert.ok(Math.abs(p - c.predict_proba[i][k]) < 1e-12, `row ${i} class ${k}`);
        });
      });
      model.featureImportances().forEach((v, f) => {
        assert.ok(Math.abs(v - c.feature_importances[f]) < 1e-12, `importance ${f}: ${v} vs ${c.feature_importances[f]}`);
      });
    });
  }

  test('the depth-limited case has no tie, so it is compared in full above', () => {
    const c = fixture.cases[1];
    const model = trainForest(X, y, { nEstimators: 1, bootstrap: false, maxFeatures: 'all', minSamplesLeaf: 5, maxDepth: 4 });
    assert.deepEqual(
      Array.from(model.trees[0].feature, (f) => (f < 0 ? -2 : f)),
      c.tree.feature,
    );
    assert.deepEqual(
      Array.from(model.trees[0].threshold).filter((_, n) => model.trees[0].feature[n] >= 0),
      c.tree.threshold.filter((_, n) => c.tree.feature[n] >= 0),
    );
  });
});

/**
 * Trees built by riskfn's fast builder load into ml-random-forest (patched) and predict
 * identically there: the export format stays usable by the library riskfn's forest replaced.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RandomForestClassifier, type RandomForestClassifierModel } from 'ml-random-forest';
import { toMlRandomForestJSON, trainForest } from '../../../../lib/domain/model/forest/index.ts';
import { makeClassification, split } from './synthetic-data.ts';

const { train, test: holdout } = split(makeClassification(420, 6, 11), 300);

// Both split searches store raw-value thresholds, so both forests export.
for (const splitSearch of ['exact', 'histogram'] as const)
  describe(`riskfn forest (${splitSearch} split search) → ml-random-forest RandomForestClassifier.load`, () => {
    const model = trainForest(train.X, train.y, { nEstimators: 25, seed: 5, splitSearch });
    const json = JSON.parse(JSON.stringify(toMlRandomForestJSON(model))) as RandomForestClassifierModel;
    const rf = RandomForestClassifier.load(json);

    test('every tree predicts the same class in both libraries', () => {
      const perTree = rf.predictionValues(holdout.X);
      for (let i = 0; i < holdout.X.length; i++) {
        const mine = model.trees.map((t) => {
          let n = 0;
          while (t.feature[n] >= 0) n = holdout.X[i][t.feature[n]] < t.threshold[n] ? t.left[n] : t.right[n];
          let best = 0;
          for (let k = 1; k < model.classes.length; k++) if (t.counts[n * model.classes.length + k] > t.counts[n * model.classes.length + best]) best = k;
          return model.classes[best];
        });
        assert.deepEqual(perTree.getRow(i), mine, `row ${i}`);
      }
    });

    test('predictProbability (vote share) equals riskfn predictProba exactly (pure leaves)', () => {
      const proba = model.predictProba(holdout.X);
      model.classes.forEach((c, k) => {
        const share = rf.predictProbability(holdout.X, c);
        assert.deepEqual(
          share,
          proba.map((p) => p[k]),
          `class ${c}`,
        );
      });
    });

    test('predict gives identical labels on every row without an exact vote tie', () => {
      const proba = model.predictProba(holdout.X);
      const mine = model.predict(holdout.X);
      const theirs = rf.predict(holdout.X);
      let compared = 0;
      for (let i = 0; i < mine.length; i++) {
        const sorted = [...proba[i]].sort((a, b) => b - a);
        if (sorted[0] === sorted[1]) continue; // ml-random-forest breaks ties by vote order
        compared++;
        assert.equal(theirs[i], mine[i], `row ${i}`);
      }
      assert.ok(compared >= 110, `only ${compared} untied rows`);
    });

    test('the patched featureImportance equals riskfn featureImportances', () => {
      const a = model.featureImportances();
      const b = rf.featureImportance();
      assert.equal(b.length, a.length);
      a.forEach((v, f) => {
        assert.ok(Math.abs(v - b[f]) < 1e-12, `feature ${f}: ${v} vs ${b[f]}`);
      });
    });
  });

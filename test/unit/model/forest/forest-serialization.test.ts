/**
 * Deterministic JSON, lossless load, and refusal of corrupt or incompatible model files.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FOREST_FORMAT, FOREST_FORMAT_VERSION, ForestFormatError, RandomForestModel, trainForest } from '../../../../lib/domain/model/forest/index.ts';
import { makeClassification, split } from './synthetic-data.ts';

const data = split(makeClassification(300, 5, 31), 200);
const model = trainForest(data.train.X, data.train.y, { nEstimators: 8, seed: 3, maxDepth: 6 });
const text = JSON.stringify(model);

function corrupt(edit: (j: any) => void): unknown {
  const j = JSON.parse(text);
  edit(j);
  return j;
}

describe('toJSON / load', () => {
  test('the same data and seed give byte-identical JSON, with format and version', () => {
    const again = trainForest(data.train.X, data.train.y, { nEstimators: 8, seed: 3, maxDepth: 6 });
    assert.equal(JSON.stringify(again), text);
    const j = JSON.parse(text);
    assert.equal(j.format, FOREST_FORMAT);
    assert.equal(j.version, FOREST_FORMAT_VERSION);
    assert.equal(j.options.threads, undefined); // not part of the model
  });

  test('load(toJSON) predicts identically, keeps importances, OOB and options, and re-serialises byte-identically', () => {
    const loaded = RandomForestModel.load(JSON.parse(text));
    assert.deepEqual(loaded.predictProba(data.test.X), model.predictProba(data.test.X));
    assert.deepEqual(loaded.featureImportances(), model.featureImportances());
    assert.equal(loaded.oobScore(), model.oobScore());
    assert.deepEqual(loaded.classes, model.classes);
    assert.equal(loaded.options.maxDepth, 6);
    assert.equal(JSON.stringify(loaded), text);
    assert.equal(JSON.stringify(RandomForestModel.load(text)), text); // a JSON string is accepted too
  });

  test('unlimited depth is stored as null and read back as unlimited', () => {
    const m = trainForest(data.train.X, data.train.y, { nEstimators: 2 });
    const j = JSON.parse(JSON.stringify(m));
    assert.equal(j.options.maxDepth, null);
    assert.equal(RandomForestModel.load(j).options.maxDepth, null);
  });

  const bad: [string, (j: any) => void, RegExp][] = [
    ['another format', (j) => (j.format = 'sklearn-pickle'), /format/],
    ['a newer version', (j) => (j.version = FOREST_FORMAT_VERSION + 1), /incompatible format version/],
    ['classes unsorted', (j) => j.classes.reverse(), /classes/],
    ['a missing tree', (j) => j.trees.pop(), /trees/],
    ['a feature index out of range', (j) => (j.trees[1].feature[0] = 99), /trees\[1\]\.feature\[0\]/],
    ['a cycle (child before parent)', (j) => (j.trees[0].left[0] = 0), /trees\[0\]\.left\[0\]/],
    ['a truncated array', (j) => j.trees[2].threshold.pop(), /trees\[2\]\.threshold/],
    ['a non-numeric threshold', (j) => (j.trees[0].threshold[0] = 'x'), /finite number/],
    ['negative counts', (j) => (j.trees[0].counts[0] = -1), /counts/],
    ['a bad option', (j) => (j.options.minSamplesLeaf = 0), /options/],
    ['an out-of-range oobScore', (j) => (j.oobScore = 2), /oobScore/],
  ];
  for (const [what, edit, message] of bad) {
    test(`refuses ${what}`, () => {
      assert.throws(
        () => RandomForestModel.load(corrupt(edit)),
        (e: unknown) => e instanceof ForestFormatError && message.test(e.message),
      );
    });
  }

  test('refuses non-JSON and non-objects', () => {
    assert.throws(() => RandomForestModel.load('{"format": "riskfn-ran'), ForestFormatError);
    assert.throws(() => RandomForestModel.load(null), ForestFormatError);
    assert.throws(() => RandomForestModel.load([1, 2]), ForestFormatError);
  });
});

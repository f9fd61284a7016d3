import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrainingSet, serializeTrainingSet, summarizeTrainingSet, TrainingSetFormatError } from '../../../lib/domain/training/training-set-codec.ts';
import type { TrainingSet } from '../../../lib/domain/model/index.ts';

const set: TrainingSet = {
  horizon: 21,
  featureNames: ['vol_21', 'momentum_63'],
  rows: [
    { symbol: 'DAX', date: '1992-01-02', features: [0.12, 0.03], forwardVol: 0.14, trailingVol: 0.12 },
    { symbol: 'SMI', date: '1992-01-02', features: [0.1, -0.01], forwardVol: 0.11 },
    { symbol: 'DAX', date: '1992-01-03', features: [0.13, 0.02], forwardVol: 0.15 },
  ],
};

test('a training set survives the round trip through S3 text', () => {
  assert.deepEqual(parseTrainingSet(serializeTrainingSet(set)), set);
  assert.deepEqual(summarizeTrainingSet(set), { rows: 3, symbols: ['DAX', 'SMI'], from: '1992-01-02', to: '1992-01-03' });
});

test('truncated or foreign text is refused with the place named', () => {
  assert.throws(() => parseTrainingSet(serializeTrainingSet(set).slice(0, 40)), (e: unknown) => e instanceof TrainingSetFormatError && /not JSON/.test(e.message));
  const bad = JSON.parse(serializeTrainingSet(set));
  bad.rows[1].features = ['x', 1];
  assert.throws(() => parseTrainingSet(JSON.stringify(bad)), /rows\.1\.features\.0/);
});

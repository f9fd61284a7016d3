import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { laggedLabels } from '../../../lib/domain/model/baselines.ts';
import { evaluateArtifact, parseArtifact, serializeArtifact, TRAIN_DEFAULTS, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { timeSplit } from '../../../lib/domain/model/split.ts';
import { DEPTH_CANDIDATES } from '../../../lib/domain/model/tuning.ts';
import type { TrainingSet } from '../../../lib/domain/model/types.ts';
import { FAST, smallSet } from './fixtures.ts';
import { businessDays } from './synthetic.ts';

describe('trainRiskModel on a set built from prices', () => {
  const set = smallSet();
  const { artifact, evaluation } = trainRiskModel(set, FAST);

  test("time split with a purge gap of `horizon` dates; the set's labels and label rule are kept", () => {
    const split = timeSplit(
      set.rows.map((r) => r.date!),
      0.3,
      10,
    );
    assert.equal(evaluation.split, 'time');
    assert.equal(evaluation.purgeGap, 10);
    assert.equal(evaluation.testFrom, split.testFrom);
    assert.equal(evaluation.trainRows, split.train.length);
    assert.equal(evaluation.testRows, split.test.length);
    const dates = [...new Set(set.rows.map((r) => r.date))].sort();
    assert.equal(dates.indexOf(evaluation.testFrom!) - dates.indexOf(evaluation.trainTo!), 11);
    assert.deepEqual(artifact.labelRule, set.labelRule);
  });

  test('the report carries the model and both baselines on the same rows', () => {
    const { model, baselines } = evaluation;
    for (const m of [model, baselines.majority, baselines.persistence!]) {
      const total = m.confusion.matrix.flat().reduce((a, b) => a + b, 0);
      assert.equal(total, evaluation.testRows);
      assert.ok(m.accuracy >= 0 && m.accuracy <= 1);
    }
    assert.deepEqual(evaluation.classes, ['low', 'medium', 'high']);
    assert.equal(evaluation.accuracy, model.accuracy);
    // Majority baseline: the most frequent training class, recall 1 on it.
    const maj = baselines.majority.predicts;
    assert.equal(baselines.majority.perClass[maj].recall, 1);
    // Persistence by hand: the same instrument's label `horizon` rows earlier.
    const lagged = laggedLabels(set.rows, 10)!;
    const test = set.rows.map((r, i) => ({ r, p: lagged[i] })).filter(({ r }) => r.date! >= evaluation.testFrom!);
    assert.ok(test.every(({ p }) => p !== null));
    const hits = test.filter(({ r, p }) => p === r.label).length;
    assert.ok(Math.abs(baselines.persistence!.accuracy - hits / test.length) < 1e-15);
    // On regime-switching data the forest beats the majority class.
    assert.ok(model.balancedAccuracy > baselines.majority.balancedAccuracy);
    assert.ok(evaluation.oobScore !== null && evaluation.oobScore > 0.3);
    assert.equal(evaluation.importance!.impurity.length, set.featureNames.length);
    assert.ok(Math.abs(evaluation.importance!.impurity.reduce((a, b) => a + b.importance, 0) - 1) < 1e-12);
    assert.equal(evaluation.importance!.permutation.length, set.featureNames.length);
  });

  test('artifact records what is needed to reproduce and audit the model', () => {
    assert.equal(artifact.formatVersion, 2);
    assert.deepEqual(artifact.featureNames, set.featureNames);
    assert.equal(artifact.labelRule.horizon, 10);
    assert.deepEqual(artifact.libraries, { riskfn: '0.1.0', 'ml-random-forest': '2.1.0', 'ml-cart': '2.1.1' });
    assert.equal(artifact.options.trees, 12);
    assert.equal(artifact.options.seed, 7);
    assert.match(artifact.training.fingerprint, /^sha256:[0-9a-f]{64}$/);
    assert.equal(artifact.training.rows, evaluation.trainRows);
    assert.deepEqual(artifact.training.symbols, ['AAA', 'BBB', 'CCC']);
    assert.equal(
      Object.values(artifact.training.classCounts).reduce((a, b) => a + b, 0),
      evaluation.trainRows,
    );
    assert.equal(artifact.baselines.persistenceProbabilities!.length, 3);
  });

  test('reproducible: same data and seed give a byte-identical artifact; another seed does not', () => {
    const again = trainRiskModel(smallSet(), FAST);
    assert.equal(serializeArtifact(again.artifact), serializeArtifact(artifact));
    const other = trainRiskModel(smallSet(), { ...FAST, seed: 8 });
    assert.notEqual(serializeArtifact(other.artifact), serializeArtifact(artifact));
    assert.equal(other.artifact.training.fingerprint, artifact.training.fingerprint); // same training rows
  });

  test("evaluateArtifact on the model's own test rows reproduces the training evaluation", () => {
    const loaded = parseArtifact(serializeArtifact(artifact));
    const e = evaluateArtifact(loaded, set, { fromDate: evaluation.testFrom! });
    assert.equal(e.testRows, evaluation.testRows);
    assert.equal(e.accuracy, evaluation.accuracy);
    assert.equal(e.balancedAccuracy, evaluation.balancedAccuracy);
    assert.equal(e.logLoss, evaluation.logLoss);
    assert.equal(e.baselines.majority.accuracy, evaluation.baselines.majority.accuracy);
    assert.equal(e.baselines.persistence!.logLoss, evaluation.baselines.persistence!.logLoss);
    assert.deepEqual(e.notes, []);
    // default fromDate: the artifact's own test start
    assert.equal(evaluateArtifact(loaded, set).testFrom, evaluation.testFrom);
  });

  test('random split is available, seeded, and says it is optimistic', () => {
    const r = trainRiskModel(set, { ...FAST, split: 'random' });
    assert.equal(r.evaluation.split, 'random');
    assert.equal(r.evaluation.purgeGap, 0);
    assert.ok(r.evaluation.notes.some((n) => /optimistic/.test(n)));
  });

  test('depth tuning: on by default, off when a depth is given, refused together with one', () => {
    assert.equal(TRAIN_DEFAULTS.tune, true);
    const tuned = trainRiskModel(set, { trees: 4, seed: 7, permutationRepeats: 0 });
    const t = tuned.artifact.options.tuning!;
    assert.equal(t.candidates.length, DEPTH_CANDIDATES.length);
    const best = Math.max(...t.candidates.map((c) => c.score));
    assert.equal(t.candidates.find((c) => c.maxDepth === t.chosen)!.score, best);
    assert.equal(tuned.artifact.options.maxDepth, t.chosen);
    assert.ok(t.validationFrom! < evaluation.testFrom! && t.validationFrom! > evaluation.trainFrom!);
    assert.ok(tuned.evaluation.notes.some((n) => /chosen on \d+ validation rows of the training period/.test(n)));
    // Scrambling the test rows' features changes nothing in the choice.
    const scrambled: TrainingSet = {
      ...set,
      rows: set.rows.map((r) => (r.date! >= evaluation.testFrom! ? { ...r, features: r.features.map((v) => -v) } : r)),
    };
    assert.deepEqual(trainRiskModel(scrambled, { trees: 4, seed: 7, permutationRepeats: 0 }).artifact.options.tuning, t);
    assert.equal(artifact.options.tuning, null);
    const given = trainRiskModel(set, { trees: 4, seed: 7, permutationRepeats: 0, maxDepth: 3 });
    assert.equal(given.artifact.options.tuning, null);
    assert.equal(given.artifact.options.maxDepth, 3);
    assert.throws(() => trainRiskModel(set, { trees: 4, tune: true, maxDepth: 3 }), /give either tune or maxDepth/);
  });

  test("progress: every finished tree, counting the tuning candidates' forests", () => {
    const calls: [number, number][] = [];
    trainRiskModel(set, { trees: 3, seed: 7, permutationRepeats: 0, onProgress: (d, t) => calls.push([d, t]) });
    const total = 3 * (DEPTH_CANDIDATES.length + 1);
    assert.deepEqual(
      calls,
      Array.from({ length: total }, (_, i) => [i + 1, total]),
    );
    const untuned: number[] = [];
    trainRiskModel(set, { ...FAST, trees: 3, onProgress: (d) => untuned.push(d) });
    assert.deepEqual(untuned, [1, 2, 3]);
  });

  test('bad sets fail with a clear error', () => {
    assert.throws(() => trainRiskModel({ ...set, rows: [] }), /no rows/);
    const bad = { ...set, rows: set.rows.map((r, i) => (i === 5 ? { ...r, features: r.features.map((v, j) => (j === 2 ? NaN : v)) } : r)) };
    assert.throws(() => trainRiskModel(bad, FAST), /training row 6 \(\w+ [\d-]+\): feature 'vol_126' is NaN/);
    assert.throws(() => trainRiskModel({ ...set, rows: set.rows.slice(0, 20) }, FAST), /too few rows for the split/);
    assert.throws(() => trainRiskModel(set, { ...FAST, trees: 0 }), /trees must be a positive integer/);
    const undated = { ...set, rows: set.rows.map((r) => ({ ...r, date: null })) };
    assert.throws(() => trainRiskModel(undated, { ...FAST, split: 'time' }), /a time split needs a date on every row/);
  });
});

describe('trainRiskModel on given labels (a generic table)', () => {
  const rows = Array.from({ length: 60 }, (_, i) => ({ symbol: null, date: null, features: [i % 7, (i * 13) % 11], label: i % 3 === 0 ? 'yes' : 'no' }));
  const generic: TrainingSet = { labelRule: { kind: 'given', target: 'label', horizon: null }, featureNames: ['a', 'b'], rows };

  test('without dates: a random split (said so), no persistence baseline, the label rule kept', () => {
    const { artifact, evaluation } = trainRiskModel(generic, FAST);
    assert.equal(evaluation.split, 'random');
    assert.equal(evaluation.testRows, 18);
    assert.ok(evaluation.notes.includes('no date column: rows were split at random (no purge gap)'));
    assert.equal(evaluation.baselines.persistence, null);
    assert.equal(artifact.baselines.persistenceProbabilities, null);
    assert.deepEqual(artifact.labelRule, generic.labelRule);
    assert.deepEqual(artifact.classes, ['no', 'yes']);
    assert.deepEqual(evaluation.classes, ['no', 'yes']);
  });

  test('with dates and a horizon: time split purged by the horizon, persistence from lagged labels', () => {
    const days = businessDays(60);
    const dated: TrainingSet = {
      labelRule: { kind: 'given', target: 'label', horizon: 2 },
      featureNames: ['a', 'b'],
      rows: rows.map((r, i) => ({ ...r, date: days[i], symbol: 'X' })),
    };
    const { evaluation } = trainRiskModel(dated, FAST);
    assert.equal(evaluation.split, 'time');
    assert.equal(evaluation.purgeGap, 2);
    assert.equal(evaluation.trainRows, 60 - 18 - 2);
    assert.ok(evaluation.baselines.persistence !== null);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateArtifact, parseArtifact, serializeArtifact, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { fitTertileThresholds, classifyVolatility } from '../../../lib/domain/model/labels.ts';
import { timeSplit } from '../../../lib/domain/model/split.ts';
import { formatDatasetCsv, readTable } from '../../../lib/domain/model/table.ts';
import { fitSetThresholds, trainTable } from '../../../lib/domain/model/train.ts';
import type { TrainingSet } from '../../../lib/domain/model/types.ts';
import { FAST, smallSet } from './fixtures.ts';

describe('trainRiskModel', () => {
  const set = smallSet();
  const { artifact, evaluation } = trainRiskModel(set, FAST);

  test('time split with a purge gap of `horizon` dates; thresholds from the training rows only', () => {
    const split = timeSplit(
      set.rows.map((r) => r.date),
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
    const expected = fitTertileThresholds(split.train.map((i) => set.rows[i].forwardVol));
    assert.deepEqual(artifact.thresholds, expected);
  });

  test('the thresholds do not move when test-period volatility changes', () => {
    const shifted: TrainingSet = {
      ...set,
      rows: set.rows.map((r) => (r.date >= evaluation.testFrom! ? { ...r, forwardVol: r.forwardVol * 5 } : r)),
    };
    const again = trainRiskModel(shifted, FAST);
    assert.deepEqual(again.artifact.thresholds, artifact.thresholds);
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
    // Persistence by hand: classify today's trailing vol with the same thresholds.
    const t = artifact.thresholds!;
    const test = set.rows.filter((r) => r.date >= evaluation.testFrom!);
    const hits = test.filter((r) => classifyVolatility(r.trailingVol!, t) === classifyVolatility(r.forwardVol, t)).length;
    assert.ok(Math.abs(baselines.persistence!.accuracy - hits / test.length) < 1e-15);
    // On regime-switching data the forest and persistence both beat the majority class.
    assert.ok(model.balancedAccuracy > baselines.majority.balancedAccuracy);
    assert.ok(evaluation.oobScore !== null && evaluation.oobScore > 0.3);
    assert.equal(evaluation.importance!.impurity.length, set.featureNames.length);
    assert.ok(Math.abs(evaluation.importance!.impurity.reduce((a, b) => a + b.importance, 0) - 1) < 1e-12);
    assert.equal(evaluation.importance!.permutation.length, set.featureNames.length);
  });

  test('artifact records what is needed to reproduce and audit the model', () => {
    assert.equal(artifact.formatVersion, 1);
    assert.deepEqual(artifact.featureNames, set.featureNames);
    assert.equal(artifact.horizon, 10);
    assert.deepEqual(artifact.libraries, { riskfn: '0.1.0', 'ml-random-forest': '2.1.0', 'ml-cart': '2.1.1' });
    assert.equal(artifact.options.trees, 12);
    assert.equal(artifact.options.seed, 7);
    assert.match(artifact.training.fingerprint, /^sha256:[0-9a-f]{64}$/);
    assert.equal(artifact.training.rows, evaluation.trainRows);
    assert.deepEqual(artifact.training.symbols, ['AAA', 'BBB', 'CCC']);
    assert.equal(Object.values(artifact.training.classCounts).reduce((a, b) => a + b, 0), evaluation.trainRows);
  });

  test('reproducible: same data and seed give a byte-identical artifact; another seed does not', () => {
    const again = trainRiskModel(smallSet(), FAST);
    assert.equal(serializeArtifact(again.artifact), serializeArtifact(artifact));
    const other = trainRiskModel(smallSet(), { ...FAST, seed: 8 });
    assert.notEqual(serializeArtifact(other.artifact), serializeArtifact(artifact));
    assert.equal(other.artifact.training.fingerprint, artifact.training.fingerprint); // same training rows
  });

  test('evaluateArtifact on the model\'s own test rows reproduces the training evaluation', () => {
    const loaded = parseArtifact(serializeArtifact(artifact));
    const e = evaluateArtifact(loaded, set, { fromDate: evaluation.testFrom! });
    assert.equal(e.testRows, evaluation.testRows);
    assert.equal(e.accuracy, evaluation.accuracy);
    assert.equal(e.balancedAccuracy, evaluation.balancedAccuracy);
    assert.equal(e.logLoss, evaluation.logLoss);
    assert.equal(e.baselines.majority.accuracy, evaluation.baselines.majority.accuracy);
    assert.equal(e.baselines.persistence!.logLoss, evaluation.baselines.persistence!.logLoss);
    // default fromDate: the artifact's own test start
    assert.equal(evaluateArtifact(loaded, set).testFrom, evaluation.testFrom);
  });

  test('random split is available, seeded, and says it is optimistic', () => {
    const r = trainRiskModel(set, { ...FAST, split: 'random' });
    assert.equal(r.evaluation.split, 'random');
    assert.equal(r.evaluation.purgeGap, 0);
    assert.ok(r.evaluation.notes.some((n) => /optimistic/.test(n)));
  });

  test('--tune picks the depth on the training period only', () => {
    const tuned = trainRiskModel(set, { ...FAST, tune: true, permutationRepeats: 0 });
    const t = tuned.artifact.options.tuning!;
    assert.equal(t.candidates.length, 6);
    const best = Math.max(...t.candidates.map((c) => c.score));
    assert.equal(t.candidates.find((c) => c.maxDepth === t.chosen)!.score, best);
    assert.equal(tuned.artifact.options.maxDepth, t.chosen);
    assert.ok(t.validationFrom! < evaluation.testFrom! && t.validationFrom! > evaluation.trainFrom!);
    assert.ok(tuned.evaluation.notes.some((n) => /chosen on \d+ validation rows of the training period/.test(n)));
    // Scrambling the test rows' features changes nothing in the choice.
    const scrambled: TrainingSet = {
      ...set,
      rows: set.rows.map((r) => (r.date >= evaluation.testFrom! ? { ...r, features: r.features.map((v) => -v) } : r)),
    };
    assert.deepEqual(trainRiskModel(scrambled, { ...FAST, tune: true, permutationRepeats: 0 }).artifact.options.tuning, t);
    assert.equal(artifact.options.tuning, null);
  });

  test('bad sets fail with a clear error', () => {
    assert.throws(() => trainRiskModel({ ...set, rows: [] }), /no rows/);
    const bad = { ...set, rows: set.rows.map((r, i) => (i === 5 ? { ...r, features: r.features.map((v, j) => (j === 2 ? NaN : v)) } : r)) };
    assert.throws(() => trainRiskModel(bad, FAST), /training row 6 .*feature 'vol_126' is NaN/);
    assert.throws(() => trainRiskModel({ ...set, rows: set.rows.slice(0, 20) }, FAST), /too few rows for the split/);
  });
});

describe('the CSV path trains the same model as the in-memory path', () => {
  test('dataset CSV → readTable → trainTable equals trainRiskModel (forest, thresholds, scores)', () => {
    const set = smallSet();
    const mem = trainRiskModel(set, { ...FAST, permutationRepeats: 0 });
    const { thresholds } = fitSetThresholds(set);
    const table = readTable(formatDatasetCsv(set, thresholds), { horizon: set.horizon });
    const csv = trainTable(table, { ...FAST, permutationRepeats: 0 }, { target: 'risk_level', horizon: set.horizon, thresholds });
    assert.equal(serializeArtifact({ ...csv.artifact, baselines: mem.artifact.baselines }), serializeArtifact(mem.artifact));
    assert.equal(csv.evaluation.accuracy, mem.evaluation.accuracy);
    assert.equal(csv.evaluation.logLoss, mem.evaluation.logLoss);
    // (The persistence probability table differs: in the CSV the first `horizon` training rows
    // of each instrument have no lagged label.) Persistence from lagged labels = persistence from trailing volatility on the test rows.
    assert.equal(csv.evaluation.baselines.persistence!.accuracy, mem.evaluation.baselines.persistence!.accuracy);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { laggedLabels } from '../../../lib/domain/model/baselines.ts';
import { featureDistribution } from '../../../lib/domain/model/drift.ts';
import { fitHar } from '../../../lib/domain/model/har.ts';
import {
  assembleArtifact,
  evaluateArtifact,
  parseArtifact,
  planWalkForward,
  refitOptions,
  runFold,
  scoresFromDate,
  serializeArtifact,
  summarizeWalkForward,
  TRAIN_DEFAULTS,
  trainRiskModel,
} from '../../../lib/domain/model/index.ts';
import { timeSplit } from '../../../lib/domain/model/split.ts';
import { DEPTH_CANDIDATES } from '../../../lib/domain/model/tuning.ts';
import type { TrainingSet } from '../../../lib/domain/model/types.ts';
import { fitPlannedForest, foldRows, harRowProbabilities, walkForwardDatesNeeded } from '../../../lib/domain/model/walk-forward.ts';
import { championComparison } from '../../../lib/domain/training/champion-comparison.ts';
import { decidePromotion } from '../../../lib/domain/training/gate.ts';
import { FAST, smallSet } from './fixtures.ts';
import { businessDays } from './synthetic.ts';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('trainRiskModel: walk-forward evaluation, refit on all rows (a set built from prices)', () => {
  const set = smallSet();
  const dates = [...new Set(set.rows.map((r) => r.date!))].sort();
  const { artifact, evaluation } = trainRiskModel(set, FAST);

  test('the default: 5 expanding folds over the last half of the dates, each purged by the horizon (10)', () => {
    assert.equal(TRAIN_DEFAULTS.split, 'walk-forward');
    assert.equal(evaluation.method, 'walk-forward');
    assert.equal(evaluation.purgeGap, 10);
    assert.equal(evaluation.folds.length, 5);
    const half = Math.round(dates.length / 2);
    assert.equal(evaluation.folds[0].testFrom, dates[dates.length - half]);
    assert.equal(evaluation.folds.at(-1)!.testTo, dates.at(-1));
    evaluation.folds.forEach((f, k) => {
      assert.equal(f.index, k + 1);
      assert.equal(f.trainFrom, dates[0], 'expanding: every fold trains from the first date');
      // Exactly `horizon` dates lie between the last training date and the first test date.
      assert.equal(dates.indexOf(f.testFrom!) - dates.indexOf(f.trainTo!) - 1, 10);
      if (k > 0) assert.equal(dates.indexOf(f.testFrom!), dates.indexOf(evaluation.folds[k - 1].testTo!) + 1, 'test blocks are contiguous');
    });
    assert.equal(evaluation.testRows, set.rows.filter((r) => r.date! >= evaluation.testFrom!).length);
  });

  test('pooled scores are the exact pool of the folds, for the model and every baseline', () => {
    for (const [name, pooled] of [
      ['model', evaluation.model],
      ['persistence', evaluation.baselines.persistence!],
      ['HAR', evaluation.baselines.har!],
      ['majority', evaluation.baselines.majority],
    ] as const) {
      assert.equal(sum(pooled.confusion.matrix.flat()), evaluation.testRows, name);
      const key = name === 'model' ? 'model' : name === 'HAR' ? 'har' : name;
      const folds = evaluation.folds.map((f) => f[key as 'model']!);
      const rows = evaluation.folds.map((f) => f.testRows);
      const weighted = (get: (m: (typeof folds)[number]) => number) => sum(folds.map((m, i) => get(m) * rows[i])) / evaluation.testRows;
      assert.ok(Math.abs(pooled.logLoss - weighted((m) => m.logLoss)) < 1e-12, `${name} log loss`);
      assert.ok(Math.abs(pooled.brier - weighted((m) => m.brier)) < 1e-12, `${name} Brier`);
      assert.ok(Math.abs(pooled.accuracy - weighted((m) => m.accuracy)) < 1e-12, `${name} accuracy`);
      assert.ok(pooled.ece >= 0 && pooled.ece < 1, `${name} ECE`);
      assert.equal(sum(pooled.reliability.count), evaluation.testRows);
    }
    assert.deepEqual(evaluation.classes, ['low', 'medium', 'high']);
    // Folds won, recounted from the per-fold scores.
    const won = evaluation.folds.filter((f) => f.model.logLoss < f.persistence!.logLoss).length;
    assert.equal(evaluation.foldsWon.persistence!.logLoss, won);
    assert.equal(
      evaluation.foldsWon.har!.all,
      evaluation.folds.filter((f) => f.model.balancedAccuracy > f.har!.balancedAccuracy && f.model.logLoss < f.har!.logLoss && f.model.brier < f.har!.brier)
        .length,
    );
    // On regime-switching data the model beats the majority class.
    assert.ok(evaluation.model.balancedAccuracy > evaluation.baselines.majority.balancedAccuracy);
    assert.ok(evaluation.model.logLoss < evaluation.baselines.majority.logLoss);
  });

  test('persistence by hand: the same instrument’s label `horizon` rows earlier', () => {
    const lagged = laggedLabels(set.rows, 10)!;
    const test = set.rows.map((r, i) => ({ r, p: lagged[i] })).filter(({ r }) => r.date! >= evaluation.testFrom!);
    assert.ok(test.every(({ p }) => p !== null));
    const hits = test.filter(({ r, p }) => p === r.label).length;
    assert.ok(Math.abs(evaluation.baselines.persistence!.accuracy - hits / test.length) < 1e-15);
  });

  test('HAR by hand in fold 3: OLS on the fold’s training rows only, Gaussian class probabilities, its log loss', () => {
    const plan = planWalkForward(set, FAST);
    const { train, test } = foldRows(set, plan.folds[2]);
    const har = fitHar(train.map((i) => set.rows[i].volatility!));
    const classes = evaluation.classes;
    const ll = sum(test.map((i) => -Math.log(harRowProbabilities(set, har, i, classes)![classes.indexOf(set.rows[i].label)]))) / test.length;
    assert.ok(Math.abs(evaluation.folds[2].har!.logLoss - ll) < 1e-12);
    assert.ok(har.coefficients[3] > 0, 'the monthly component carries forward volatility');
  });

  test('the refit: every labelled row, with the artifact stating the evaluation folds and the refit window', () => {
    assert.equal(artifact.formatVersion, 3);
    assert.equal(artifact.training.rows, set.rows.length);
    assert.equal(artifact.training.from, dates[0]);
    assert.equal(artifact.training.to, dates.at(-1));
    assert.equal(
      Object.values(artifact.training.classCounts).reduce((a, b) => a + b, 0),
      set.rows.length,
    );
    assert.deepEqual(
      artifact.evaluation.folds.map((f) => [f.testFrom, f.testTo]),
      evaluation.folds.map((f) => [f.testFrom, f.testTo]),
    );
    assert.equal(artifact.evaluation.pooled.model.logLoss, evaluation.model.logLoss);
    assert.equal(artifact.evaluation.pooled.har!.brier, evaluation.baselines.har!.brier);
    assert.deepEqual(artifact.evaluation.foldsWon, evaluation.foldsWon);
    assert.deepEqual(artifact.labelRule, set.labelRule);
    assert.equal(artifact.options.evaluation, 'walk-forward');
    assert.equal(artifact.options.folds, 5);
    // The baselines the artifact keeps are refit on all rows too.
    assert.deepEqual(artifact.baselines.har, fitHar(set.rows.map((r) => r.volatility!)));
    // Feature distributions for drift checks, one per feature, on all rows.
    assert.deepEqual(Object.keys(artifact.featureDistributions).sort(), [...set.featureNames].sort());
    assert.deepEqual(artifact.featureDistributions.vol_21, featureDistribution(set.rows.map((r) => r.features[set.featureNames.indexOf('vol_21')])));
    assert.equal(artifact.calibration.method, 'temperature');
    assert.ok(artifact.calibration.harWeight >= 0 && artifact.calibration.harWeight <= 1);
  });

  test('the workflow’s pieces (plan, folds, summary, refit, assemble) give the byte-identical artifact', () => {
    const plan = planWalkForward(set, FAST);
    const folds = JSON.parse(JSON.stringify(plan.folds.map((f) => runFold(set, f, FAST))));
    const report = summarizeWalkForward(set, folds, FAST);
    assert.deepEqual(report, evaluation);
    const refit = JSON.parse(JSON.stringify(refitOptions(set, report, FAST)));
    const forest = fitPlannedForest(
      set,
      set.rows.map((_, i) => i),
      refit,
    );
    const assembled = assembleArtifact(set, JSON.parse(JSON.stringify(forest.toJSON())), report, refit, FAST);
    assert.equal(serializeArtifact(assembled), serializeArtifact(artifact));
  });

  test('nested: scrambling a fold’s test rows changes neither its depth choice nor its calibration', () => {
    const plan = planWalkForward(set, { ...FAST, tune: true, trees: 4 });
    const fold = plan.folds[1];
    const opts = { trees: 4, seed: 7, permutationRepeats: 0 };
    const a = runFold(set, fold, opts);
    const scrambled: TrainingSet = {
      ...set,
      rows: set.rows.map((r) => (fold.kind === 'time' && r.date! >= fold.testFrom ? { ...r, features: r.features.map((v) => -v) } : r)),
    };
    const b = runFold(scrambled, fold, opts);
    assert.deepEqual(b.tuning, a.tuning);
    assert.deepEqual(b.calibration, a.calibration);
    assert.equal(a.tuning!.candidates.length, DEPTH_CANDIDATES.length);
    assert.equal(a.tuning!.metric, 'brier');
    const best = Math.min(...a.tuning!.candidates.map((c) => c.score));
    assert.equal(a.tuning!.candidates.find((c) => c.maxDepth === a.tuning!.chosen)!.score, best);
    assert.ok(a.tuning!.validationFrom! > a.trainFrom! && a.tuning!.validationFrom! < a.trainTo!);
  });

  test('same seed, same bytes; another seed, another forest', () => {
    const again = trainRiskModel(smallSet(), FAST);
    assert.equal(serializeArtifact(again.artifact), serializeArtifact(artifact));
    const other = trainRiskModel(smallSet(), { ...FAST, seed: 8 });
    assert.notEqual(serializeArtifact(other.artifact), serializeArtifact(artifact));
  });

  test("the gate's champion comparison: a stored model scored on later rows, and the challenger's per-date sums", () => {
    const loaded = parseArtifact(serializeArtifact(artifact));
    const from = evaluation.folds[3].testFrom!;
    const e = evaluateArtifact(loaded, set, { fromDate: from });
    assert.equal(e.testRows, set.rows.filter((r) => r.date! >= from).length);
    assert.ok(e.notes.some((n) => /not after the model's training period/.test(n)));
    assert.equal(sum(e.model.confusion.matrix.flat()), e.testRows);
    assert.ok(e.baselines.har !== null && e.baselines.persistence !== null);
    // The stored model's own per-date sums (what the gate pairs with the challenger's) pool to its scores on those rows.
    const own = scoresFromDate(e.byDate, e.classes, from)!;
    assert.deepEqual(
      e.byDate.map((d) => d.date),
      [...new Set(set.rows.filter((r) => r.date! >= from).map((r) => r.date!))].sort(),
    );
    assert.deepEqual(own.confusion.matrix, e.model.confusion.matrix);
    assert.ok(Math.abs(own.balancedAccuracy - e.model.balancedAccuracy) < 1e-12);
    assert.ok(Math.abs(own.logLoss - e.model.logLoss) < 1e-12 && Math.abs(own.brier - e.model.brier) < 1e-12);
    // Per-date sums of the walk-forward pool to the folds' scores over the same dates.
    const tail = scoresFromDate(artifact.evaluation.byDate, evaluation.classes, from)!;
    const folds = evaluation.folds.slice(3);
    const n = sum(folds.map((f) => f.testRows));
    assert.equal(sum(tail.confusion.matrix.flat()), n);
    assert.ok(Math.abs(tail.logLoss - sum(folds.map((f) => f.model.logLoss * f.testRows)) / n) < 1e-12);
  });

  test("the gate pairs a real champion's per-date sums with the challenger's on the dates after its refit window", () => {
    // A champion refit on the first 200 dates; the challenger (the model above) evaluated walk-forward on them all.
    const champion = trainRiskModel({ ...set, rows: set.rows.filter((r) => r.date! < dates[200]) }, FAST).artifact;
    const c = championComparison({ set, challenger: artifact, champion: { version: 'v0', artifact: champion }, evaluate: evaluateArtifact });
    const ch = c.gate.champion!;
    // The first date after its last training date (dates[199]) plus the 10-date purge.
    assert.equal(ch.from, dates[210]);
    assert.equal(ch.rows, set.rows.filter((r) => r.date! >= dates[210]).length);
    const d = ch.differences!;
    assert.deepEqual([d.dates, d.blockLength, d.seed], [dates.length - 210, 10, FAST.seed]);
    // The pairing's full-sample differences are the differences of the two pooled scores on those rows.
    assert.ok(Math.abs(d.balancedAccuracy.difference - (ch.challenger.balancedAccuracy - ch.scores.balancedAccuracy)) < 1e-12);
    assert.ok(Math.abs(d.logLoss.difference - (ch.scores.logLoss - ch.challenger.logLoss)) < 1e-12);
    assert.ok(d.balancedAccuracy.standardError > 0 && d.balancedAccuracy.lower <= d.balancedAccuracy.upper);
    const gate = decidePromotion(c.gate).comparisons!.find((x) => x.against === 'champion v0')!;
    assert.deepEqual(gate.balancedAccuracyInterval, {
      standardError: d.balancedAccuracy.standardError,
      lower: d.balancedAccuracy.lower,
      upper: d.balancedAccuracy.upper,
    });
  });

  test('a single time split is one fold; a random one says it is optimistic', () => {
    const t = trainRiskModel(set, { ...FAST, split: 'time' }).evaluation;
    const split = timeSplit(
      set.rows.map((r) => r.date!),
      0.3,
      10,
    );
    assert.equal(t.method, 'time');
    assert.equal(t.folds.length, 1);
    assert.equal(t.testFrom, split.testFrom);
    assert.equal(t.folds[0].trainRows, split.train.length);
    assert.equal(t.testRows, split.test.length);
    const r = trainRiskModel(set, { ...FAST, split: 'random' }).evaluation;
    assert.equal(r.method, 'random');
    assert.equal(r.purgeGap, 0);
    assert.ok(r.notes.some((n) => /optimistic/.test(n)));
  });

  test('depth tuning on by default (Brier on the calibration slice), off when a depth is given, refused with one', () => {
    assert.equal(TRAIN_DEFAULTS.tune, true);
    assert.equal(artifact.options.tuning, null);
    const given = trainRiskModel(set, { trees: 3, seed: 7, permutationRepeats: 0, maxDepth: 3, folds: 2 });
    assert.equal(given.artifact.options.maxDepth, 3);
    assert.ok(given.evaluation.folds.every((f) => f.maxDepth === 3));
    assert.throws(() => trainRiskModel(set, { trees: 4, tune: true, maxDepth: 3 }), /give either tune or maxDepth/);
  });

  test('progress counts every forest: per fold the calibration forest(s) and the refit, then the final ones', () => {
    const calls: [number, number][] = [];
    trainRiskModel(set, { ...FAST, trees: 2, folds: 2, onProgress: (d, t) => calls.push([d, t]) });
    const total = 2 * 2 * 3; // 2 trees × (calibration forest + refit) × (2 folds + final)
    assert.deepEqual(
      calls,
      Array.from({ length: total }, (_, i) => [i + 1, total]),
    );
  });

  test('bad sets fail with one clear error', () => {
    assert.throws(() => trainRiskModel({ ...set, rows: [] }), /no rows/);
    const bad = { ...set, rows: set.rows.map((r, i) => (i === 5 ? { ...r, features: r.features.map((v, j) => (j === 2 ? NaN : v)) } : r)) };
    assert.throws(() => trainRiskModel(bad, FAST), /training row 6 \(\w+ [\d-]+\): feature 'vol_126' is NaN/);
    const needed = walkForwardDatesNeeded(5, 10);
    assert.equal(needed, 78);
    const few = { ...set, rows: set.rows.filter((r) => r.date! < dates[needed - 1]) };
    assert.throws(
      () => trainRiskModel(few, FAST),
      /walk-forward evaluation with 5 folds and a purge gap of 10 dates needs at least 78 distinct dates; the set has 77 \(use fewer --folds, or --split time\|random\)/,
    );
    assert.doesNotThrow(() => planWalkForward({ ...set, rows: set.rows.filter((r) => r.date! <= dates[needed - 1]) }, FAST));
    assert.throws(() => trainRiskModel(set, { ...FAST, trees: 0 }), /trees must be a positive integer/);
    const undated = { ...set, rows: set.rows.map((r) => ({ ...r, date: null })) };
    assert.throws(() => trainRiskModel(undated, { ...FAST, split: 'time' }), /a time split needs a date on every row/);
  });
});

describe('trainRiskModel on given labels (a generic table)', () => {
  const rows = Array.from({ length: 60 }, (_, i) => ({ symbol: null, date: null, features: [i % 7, (i * 13) % 11], label: i % 3 === 0 ? 'yes' : 'no' }));
  const generic: TrainingSet = { labelRule: { kind: 'given', target: 'label', horizon: null }, featureNames: ['a', 'b'], rows };

  test('without dates: a random split (said so), no persistence or HAR baseline, the label rule kept', () => {
    const { artifact, evaluation } = trainRiskModel(generic, FAST);
    assert.equal(evaluation.method, 'random');
    assert.equal(evaluation.testRows, 18);
    assert.ok(evaluation.notes.includes('no date column: rows were split at random (no purge gap)'));
    assert.equal(evaluation.baselines.persistence, null);
    assert.equal(evaluation.baselines.har, null);
    assert.equal(evaluation.foldsWon.har, null);
    assert.equal(artifact.baselines.persistenceProbabilities, null);
    assert.equal(artifact.baselines.har, null);
    assert.deepEqual(artifact.labelRule, generic.labelRule);
    assert.deepEqual(artifact.classes, ['no', 'yes']);
    assert.deepEqual(evaluation.classes, ['no', 'yes']);
    // 42 training rows leave a 13-row calibration slice: too few for the Dirichlet map.
    assert.equal(artifact.calibration.method, 'temperature');
  });

  test('with dates and a horizon: walk-forward purged by the horizon, persistence from lagged labels', () => {
    const days = businessDays(60);
    const dated: TrainingSet = {
      labelRule: { kind: 'given', target: 'label', horizon: 2 },
      featureNames: ['a', 'b'],
      rows: rows.map((r, i) => ({ ...r, date: days[i], symbol: 'X' })),
    };
    const { evaluation } = trainRiskModel(dated, FAST);
    assert.equal(evaluation.method, 'walk-forward');
    assert.equal(evaluation.purgeGap, 2);
    assert.deepEqual(
      evaluation.folds.map((f) => f.testRows),
      [6, 6, 6, 6, 6],
    );
    assert.equal(evaluation.folds[0].trainRows, 30 - 2);
    assert.ok(evaluation.baselines.persistence !== null);
  });
});

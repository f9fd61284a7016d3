import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../../lib/domain/errors.ts';
import { type EvaluationReport, type ModelArtifact, ModelArtifactError, type TrainingSet } from '../../../lib/domain/model/index.ts';
import { championComparison, comparisonStart, NoComparableRowsError } from '../../../lib/domain/training/champion-comparison.ts';

// Ten trading days, two symbols each; horizon 2.
const dates = ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07', '2020-01-08', '2020-01-09', '2020-01-10', '2020-01-13', '2020-01-14'];
const set: TrainingSet = {
  labelRule: { kind: 'given', target: 'risk_level', horizon: 2 },
  featureNames: ['f'],
  rows: dates.flatMap((date) => ['A', 'B'].map((symbol) => ({ symbol, date, features: [1], label: 'low' }))),
};
const scores = (balancedAccuracy: number, logLoss: number, brier: number) => ({ accuracy: 0.5, balancedAccuracy, logLoss, brier, ece: 0.05 });
/** Per-date sums: every date 2 rows, both right ('low' predicted 'low'), log loss 0.2 and Brier 0.1 per row. */
const byDate = (from: string) => dates.filter((d) => d >= from).map((date) => ({ date, confusion: [0, 0, 0, 0, 2, 0, 0, 0, 0], logLoss: 0.4, brier: 0.2 }));
const artifact = (trainedTo: string | null, testFrom: string, pooled = scores(0.6, 0.7, 0.4)) =>
  ({
    training: { to: trainedTo },
    classes: ['high', 'low', 'medium'],
    options: { seed: 42 },
    evaluation: {
      testFrom,
      testRows: byDate(testFrom).length * 2,
      byDate: byDate(testFrom),
      pooled: { model: pooled, persistence: scores(0.5, 0.8, 0.5), har: scores(0.55, 0.75, 0.45), majority: scores(1 / 3, 1, 0.6) },
    },
  }) as unknown as ModelArtifact;

describe('comparisonStart', () => {
  test('rows the champion trained on, or whose labels overlap its training labels, are left out', () => {
    // Champion trained through 01-09: first date after it is 01-10; + horizon 2 dates -> 01-14.
    assert.equal(comparisonStart(set, artifact('2020-01-09', '2020-01-08')), '2020-01-14');
    assert.equal(comparisonStart(set, artifact('2020-01-01', '2020-01-08')), '2020-01-06');
  });

  test('a champion trained to the end leaves nothing to compare on (a DomainError: insufficient history)', () => {
    assert.throws(
      () => comparisonStart(set, artifact('2020-01-13', '2020-01-08')),
      (e: unknown) => e instanceof NoComparableRowsError && e instanceof DomainError && e.code === 'INSUFFICIENT_HISTORY',
    );
  });
});

describe('championComparison', () => {
  const challenger = artifact('2020-01-14', '2020-01-07');

  test("baselines and the challenger from the challenger's pooled walk-forward scores; no champion, nothing else", () => {
    const c = championComparison({ set, challenger, champion: null, evaluate: () => assert.fail('nothing to score') });
    assert.deepEqual(c.gate.challenger, { balancedAccuracy: 0.6, logLoss: 0.7, brier: 0.4 });
    assert.deepEqual(c.gate.baselines, {
      persistence: { balancedAccuracy: 0.5, logLoss: 0.8, brier: 0.5 },
      har: { balancedAccuracy: 0.55, logLoss: 0.75, brier: 0.45 },
      majority: { balancedAccuracy: 1 / 3, logLoss: 1, brier: 0.6 },
    });
    assert.equal(c.gate.champion, null);
    assert.equal(c.gate.comparedFrom, '2020-01-07');
    assert.equal(c.gate.comparedRows, 12);
  });

  test('the champion is scored on the dates it never saw, the challenger by its out-of-sample sums on the same dates', () => {
    const champion = artifact('2020-01-03', '2020-01-01');
    const calls: { model: ModelArtifact; fromDate?: string }[] = [];
    const c = championComparison({
      set,
      challenger,
      champion: { version: 'v1', artifact: champion },
      evaluate: (a, _s, opts) => {
        calls.push({ model: a, fromDate: opts.fromDate });
        // The champion's own per-date sums, over its two classes only: each date one of two 'medium' rows right, log loss 0.4 and Brier 0.2 per row.
        const byDate = dates.filter((d) => d >= opts.fromDate!).map((date) => ({ date, confusion: [0, 0, 1, 1], logLoss: 0.8, brier: 0.4 }));
        return { testRows: 8, classes: ['low', 'medium'], byDate, model: { balancedAccuracy: 0.4, logLoss: 0.9, brier: 0.55 } } as unknown as EvaluationReport;
      },
    });
    // First date after 01-03 is 01-06, + 2 dates -> 01-08 (later than the challenger's first test date 01-07).
    assert.deepEqual(calls, [{ model: champion, fromDate: '2020-01-08' }]);
    const ch = c.gate.champion!;
    assert.equal(ch.rows, 8);
    assert.equal(ch.from, '2020-01-08');
    assert.deepEqual(ch.scores, { balancedAccuracy: 0.4, logLoss: 0.9, brier: 0.55 });
    // 5 dates × 2 rows, all right: balanced accuracy over the present class 1; log loss 0.2, Brier 0.1 per row.
    assert.equal(ch.challenger.balancedAccuracy, 1);
    assert.ok(Math.abs(ch.challenger.logLoss - 0.2) < 1e-12 && Math.abs(ch.challenger.brier - 0.1) < 1e-12);
    assert.equal(c.championNote, null);
    // Paired date by date over the union of the classes (the challenger's 'medium' recall 1, the champion's 1/2): every
    // resample of the 5 shared dates gives the same differences, so the interval is a point.
    const d = ch.differences!;
    assert.deepEqual([d.dates, d.blockLength, d.seed], [5, 2, 42]);
    assert.deepEqual(
      [
        d.balancedAccuracy.difference,
        d.balancedAccuracy.lower,
        d.balancedAccuracy.upper,
        d.balancedAccuracy.standardError,
        d.balancedAccuracy.probabilityBetter,
      ],
      [0.5, 0.5, 0.5, 0, 1],
    );
    assert.ok(Math.abs(d.logLoss.difference - 0.2) < 1e-12 && Math.abs(d.brier.difference - 0.1) < 1e-12);
  });

  test('no unseen rows, or a champion that cannot be scored on this set: its recorded scores stand in, and the note says why', () => {
    const late = artifact('2020-01-13', '2020-01-01', scores(0.58, 0.72, 0.41));
    const c = championComparison({ set, challenger, champion: { version: 'v1', artifact: late }, evaluate: () => assert.fail('not scored') });
    assert.equal(c.gate.champion!.rows, 0);
    assert.deepEqual(c.gate.champion!.scores, { balancedAccuracy: 0.58, logLoss: 0.72, brier: 0.41 });
    assert.deepEqual(c.gate.champion!.challenger, c.gate.challenger);
    assert.match(c.championNote!, /no rows after the champion's training period \(to 2020-01-13\) plus the 2-day purge/);
    const foreign = championComparison({
      set,
      challenger,
      champion: { version: 'v1', artifact: artifact('2020-01-02', '2020-01-01') },
      evaluate: () => {
        throw new ModelArtifactError("the training set lacks feature 'vol_5' that the model needs", { field: 'featureNames' });
      },
    });
    assert.equal(foreign.gate.champion!.rows, 0);
    assert.match(foreign.championNote!, /the champion cannot be scored on this set: the training set lacks feature 'vol_5'/);
  });
});

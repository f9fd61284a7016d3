import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../../lib/domain/errors.ts';
import type { EvaluationReport, ModelArtifact, TrainingSet } from '../../../lib/domain/model/index.ts';
import { championComparison, comparisonStart, NoComparableRowsError } from '../../../lib/domain/training/champion-comparison.ts';

// Ten trading days, two symbols each; horizon 2.
const dates = ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07', '2020-01-08', '2020-01-09', '2020-01-10', '2020-01-13', '2020-01-14'];
const set: TrainingSet = {
  labelRule: { kind: 'given', target: 'risk_level', horizon: 2 },
  featureNames: ['f'],
  rows: dates.flatMap((date) => ['A', 'B'].map((symbol) => ({ symbol, date, features: [1], label: 'low' }))),
};
const artifact = (testFrom: string | null, trainedTo: string | null) =>
  ({ testFrom, training: { to: trainedTo }, classes: ['high', 'low', 'medium'] }) as unknown as ModelArtifact;

describe('comparisonStart', () => {
  test("without a champion the rows are the challenger's test period", () => {
    assert.equal(comparisonStart(set, artifact('2020-01-08', '2020-01-03'), null), '2020-01-08');
  });

  test('rows the champion trained on, or whose labels overlap its training labels, are left out', () => {
    // Champion trained through 01-09: first date after it is 01-10; + horizon 2 dates -> 01-14.
    assert.equal(comparisonStart(set, artifact('2020-01-08', '2020-01-03'), artifact(null, '2020-01-09')), '2020-01-14');
  });

  test('an older champion does not move the start', () => {
    assert.equal(comparisonStart(set, artifact('2020-01-08', '2020-01-03'), artifact(null, '2020-01-01')), '2020-01-08');
  });

  test('a champion trained to the end leaves nothing to compare on (a DomainError: insufficient history)', () => {
    assert.throws(
      () => comparisonStart(set, artifact('2020-01-08', '2020-01-03'), artifact(null, '2020-01-13')),
      (e: unknown) => e instanceof NoComparableRowsError && e instanceof DomainError && e.code === 'INSUFFICIENT_HISTORY',
    );
  });
});

test("both models are scored from the same date on the same set (its labels are the truth); baselines from the challenger's report", () => {
  const calls: { model: ModelArtifact; set: TrainingSet; fromDate?: string }[] = [];
  const report = (balancedAccuracy: number) =>
    ({
      balancedAccuracy,
      testRows: 6,
      baselines: { majority: { balancedAccuracy: 1 / 3 }, persistence: { balancedAccuracy: 0.5 } },
    }) as unknown as EvaluationReport;
  const challenger = artifact('2020-01-08', '2020-01-03');
  const champion = artifact(null, '2020-01-01');
  const c = championComparison({
    set,
    challenger,
    champion,
    evaluate: (a, s, opts) => {
      calls.push({ model: a, set: s, fromDate: opts.fromDate });
      return report(a === challenger ? 0.6 : 0.55);
    },
  });
  assert.deepEqual(calls, [
    { model: challenger, set, fromDate: '2020-01-08' },
    { model: champion, set, fromDate: '2020-01-08' },
  ]);
  assert.equal(calls[1].model, champion, 'the champion is scored as it is, not altered');
  assert.equal(c.challenger.balancedAccuracy, 0.6);
  assert.equal(c.champion?.balancedAccuracy, 0.55);
  assert.deepEqual(c.baselines, { majority: 1 / 3, persistence: 0.5 });
  assert.equal(c.rows, 6);
});

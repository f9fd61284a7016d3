import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planWalkForward, runFold, scoresFromDate, summarizeWalkForward } from '../../../lib/domain/model/index.ts';
import { formatEvaluation } from '../../../lib/domain/model/report-text.ts';
import { FAST, smallSet } from './fixtures.ts';

describe('walk-forward per-date statistics of the model and the baselines, and their paired differences', () => {
  const set = smallSet();
  const opts = { ...FAST, folds: 2, permutationRepeats: 0 };
  const folds = planWalkForward(set, opts).folds.map((f) => runFold(set, f, opts));
  const report = summarizeWalkForward(set, folds, opts);

  test("pooling a predictor's per-date statistics reproduces its pooled scores (balanced accuracy, log loss, Brier)", () => {
    const pooled = (pick: (f: (typeof folds)[number]) => Parameters<typeof scoresFromDate>[0] | null) =>
      scoresFromDate(
        folds.flatMap((f) => pick(f)!),
        report.classes,
        '',
      )!;
    for (const [name, perDate, scores] of [
      ['model', pooled((f) => f.byDate), report.model],
      ['persistence', pooled((f) => f.baselineByDate.persistence), report.baselines.persistence!],
      ['HAR', pooled((f) => f.baselineByDate.har), report.baselines.har!],
    ] as const) {
      assert.deepEqual(perDate.confusion.matrix, scores.confusion.matrix, name);
      assert.equal(perDate.balancedAccuracy, scores.balancedAccuracy, name);
      assert.ok(Math.abs(perDate.logLoss - scores.logLoss) < 1e-12, name);
      assert.ok(Math.abs(perDate.brier - scores.brier) < 1e-12, name);
    }
    // Persistence decides otherwise than the model: the per-date counts are its own.
    assert.notDeepEqual(report.baselines.persistence!.confusion.matrix, report.model.confusion.matrix);
  });

  test("the report's differences: the pooled scores' differences, blocks of the horizon, the model's seed", () => {
    for (const [name, d, b] of [
      ['persistence', report.differences.persistence!, report.baselines.persistence!],
      ['HAR', report.differences.har!, report.baselines.har!],
    ] as const) {
      assert.ok(Math.abs(d.balancedAccuracy.difference - (report.model.balancedAccuracy - b.balancedAccuracy)) < 1e-12, name);
      assert.ok(Math.abs(d.logLoss.difference - (b.logLoss - report.model.logLoss)) < 1e-12, name);
      assert.ok(Math.abs(d.brier.difference - (b.brier - report.model.brier)) < 1e-12, name);
      assert.deepEqual([d.blockLength, d.seed, d.resamples, d.dates], [10, FAST.seed, 1000, report.byDate.length], name);
      for (const s of [d.balancedAccuracy, d.logLoss, d.brier]) {
        assert.ok(s.standardError > 0 && s.lower < s.upper && s.probabilityBetter >= 0 && s.probabilityBetter <= 1, name);
      }
    }
  });

  test('the evaluation text has one line of differences per baseline', () => {
    const text = formatEvaluation(report);
    const h = report.differences.har!;
    const signed = (x: number, digits: number) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
    assert.ok(
      text.includes(
        `vs HAR: balanced accuracy ${signed(h.balancedAccuracy.difference, 3)} ± ${h.balancedAccuracy.standardError.toFixed(3)} ` +
          `(90 % ${signed(h.balancedAccuracy.lower, 3)}..${signed(h.balancedAccuracy.upper, 3)}), log loss ${signed(h.logLoss.difference, 4)} ± `,
      ),
      text,
    );
    assert.match(text, /\nvs persistence: balanced accuracy [+-]\d\.\d{3} ± /);
    assert.match(text, /paired block bootstrap over \d+ test dates, blocks of 10, 1000 resamples/);
  });

  test('fold results stay JSON', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(folds[0])), folds[0]);
  });
});

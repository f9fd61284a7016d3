import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationMetrics } from '../../../lib/domain/model/metrics.ts';
import { permutationImportance } from '../../../lib/domain/model/permutation-importance.ts';

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('classification metrics by hand (values as scikit-learn 1.2 gives them)', () => {
  const classes = ['a', 'b', 'c'];
  const yTrue = ['a', 'a', 'b', 'b', 'c', 'c'];
  const yPred = ['a', 'b', 'b', 'b', 'a', 'a'];
  const proba = [
    [0.7, 0.2, 0.1],
    [0.4, 0.5, 0.1],
    [0.1, 0.8, 0.1],
    [0.2, 0.6, 0.2],
    [0.5, 0.2, 0.3],
    [0.6, 0.4, 0.0],
  ];
  const m = classificationMetrics(classes, yTrue, yPred, proba);
  assert.deepEqual(m.confusion.matrix, [
    [1, 1, 0],
    [0, 2, 0],
    [2, 0, 0],
  ]);
  near(m.accuracy, 3 / 6, 'accuracy');
  // recalls 0.5, 1, 0 -> balanced accuracy 0.5
  near(m.balancedAccuracy, 0.5, 'balanced accuracy');
  near(m.perClass.a.precision, 1 / 3, 'precision a');
  near(m.perClass.b.precision, 2 / 3, 'precision b');
  assert.equal(m.perClass.c.precision, 0); // nothing predicted c: zero_division=0
  near(m.perClass.b.f1, (2 * (2 / 3) * 1) / (2 / 3 + 1), 'f1 b');
  assert.equal(m.perClass.c.f1, 0);
  assert.equal(m.perClass.a.support, 2);
  // log loss: mean -ln p(true), the zero clipped to 1e-15 (sklearn log_loss, eps=1e-15)
  const ll = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3) + Math.log(1e-15)) / 6;
  near(m.logLoss, ll, 'log loss');
  const brier =
    (0.3 ** 2 +
      0.2 ** 2 +
      0.1 ** 2 +
      (0.6 ** 2 + 0.5 ** 2 + 0.1 ** 2) +
      (0.1 ** 2 + 0.2 ** 2 + 0.1 ** 2) +
      (0.2 ** 2 + 0.4 ** 2 + 0.2 ** 2) +
      (0.5 ** 2 + 0.2 ** 2 + 0.7 ** 2) +
      (0.6 ** 2 + 0.4 ** 2 + 1)) /
    6;
  near(m.brier, brier, 'brier');
});

test('balanced accuracy averages only classes present in the truth', () => {
  const m = classificationMetrics(
    ['a', 'b', 'c'],
    ['a', 'a', 'b'],
    ['a', 'b', 'b'],
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ],
  );
  near(m.balancedAccuracy, (0.5 + 1) / 2, 'balanced accuracy');
});

test('permutation importance: a used feature matters, an unused one scores exactly 0', () => {
  const X = Array.from({ length: 60 }, (_, i) => [i % 2, (i * 7) % 13]);
  const y = X.map((r) => (r[0] === 1 ? 'up' : 'down'));
  // Predictor reads feature 0 only.
  const predict = (rows: number[][]) => rows.map((r) => (r[0] === 1 ? [0, 1] : [1, 0]));
  const imp = permutationImportance(predict, ['down', 'up'], X, y, ['signal', 'noise'], { repeats: 4, seed: 1 });
  assert.equal(imp[1].mean, 0);
  assert.equal(imp[1].std, 0);
  assert.ok(imp[0].mean > 0.3, `signal importance ${imp[0].mean}`);
  // A cap at or above the rows changes nothing; below them, only that many rows are scored, the same ones every time.
  assert.deepEqual(permutationImportance(predict, ['down', 'up'], X, y, ['signal', 'noise'], { repeats: 4, seed: 1, maxSamples: 60 }), imp);
  const seen: number[] = [];
  const counting = (rows: number[][]) => {
    seen.push(rows.length);
    return predict(rows);
  };
  const capped = permutationImportance(counting, ['down', 'up'], X, y, ['signal', 'noise'], { repeats: 4, seed: 1, maxSamples: 20 });
  assert.deepEqual(seen, new Array(1 + 2 * 4).fill(20));
  assert.equal(capped[1].mean, 0);
  assert.ok(capped[0].mean > 0.2, `signal importance on 20 rows ${capped[0].mean}`);
  assert.deepEqual(permutationImportance(predict, ['down', 'up'], X, y, ['signal', 'noise'], { repeats: 4, seed: 1, maxSamples: 20 }), capped);
});

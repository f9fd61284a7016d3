import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { type DateScore, pairedBootstrap } from '../../../lib/domain/model/paired-bootstrap.ts';
import { Xoshiro128 } from '../../../lib/util/prng.ts';
import { businessDays } from './synthetic.ts';

const CLASSES = ['low', 'high'];
/** One row on a date: true class `t`, predicted `p`, with the given log loss and Brier. */
const row = (date: string, t: number, p: number, logLoss: number, brier: number): DateScore => {
  const confusion = [0, 0, 0, 0];
  confusion[t * 2 + p] = 1;
  return { date, confusion, logLoss, brier };
};

describe('pairedBootstrap: circular block bootstrap over dates of the model against a baseline', () => {
  test('point differences of a small fixture, computed by hand (positive: the model is better)', () => {
    // Model: dates 1-3 with 2 rows each. True classes low, low, high, high, low, high.
    const model: DateScore[] = [
      { date: '2024-01-02', confusion: [2, 0, 0, 0], logLoss: 0.4, brier: 0.2 }, // low→low twice
      { date: '2024-01-03', confusion: [0, 0, 1, 1], logLoss: 1.0, brier: 0.9 }, // high→low, high→high
      { date: '2024-01-04', confusion: [0, 1, 0, 1], logLoss: 1.2, brier: 0.8 }, // low→high, high→high
    ];
    const baseline: DateScore[] = [
      { date: '2024-01-02', confusion: [1, 1, 0, 0], logLoss: 0.9, brier: 0.5 },
      { date: '2024-01-03', confusion: [0, 0, 0, 2], logLoss: 0.5, brier: 0.3 },
      { date: '2024-01-04', confusion: [1, 0, 1, 0], logLoss: 1.6, brier: 1.0 },
    ];
    const d = pairedBootstrap(model, baseline, CLASSES, { blockLength: 1, resamples: 50, seed: 1 });
    // Model recall: low 2/3, high 2/3 → 2/3. Baseline recall: low 2/3, high 2/3 → 2/3. Difference 0.
    assert.ok(Math.abs(d.balancedAccuracy.difference) < 1e-15);
    // Log loss per row: model 2.6 / 6, baseline 3.0 / 6 → baseline − model = 0.4 / 6.
    assert.ok(Math.abs(d.logLoss.difference - 0.4 / 6) < 1e-12);
    // Brier per row: model 1.9 / 6, baseline 1.8 / 6 → −0.1 / 6 (the baseline is better).
    assert.ok(Math.abs(d.brier.difference + 0.1 / 6) < 1e-12);
    assert.deepEqual([d.dates, d.blockLength, d.resamples, d.seed], [3, 1, 50, 1]);
  });

  test('block length 1, iid dates: the SE of a log-loss difference matches sd / sqrt(n) within 10 %', () => {
    const n = 400;
    const rng = new Xoshiro128(3);
    const dates = businessDays(n);
    const model: DateScore[] = [];
    const baseline: DateScore[] = [];
    const diffs: number[] = [];
    for (const date of dates) {
      const a = 0.3 + rng.nextFloat();
      const b = 0.3 + 1.5 * rng.nextFloat();
      model.push(row(date, 0, 0, a, 0.2));
      baseline.push(row(date, 0, 0, b, 0.2));
      diffs.push(b - a);
    }
    const mean = diffs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
    const d = pairedBootstrap(model, baseline, CLASSES, { blockLength: 1, resamples: 2000, seed: 42 });
    assert.ok(Math.abs(d.logLoss.difference - mean) < 1e-12);
    const analytic = sd / Math.sqrt(n);
    assert.ok(Math.abs(d.logLoss.standardError / analytic - 1) < 0.1, `SE ${d.logLoss.standardError} vs ${analytic}`);
    // The 90 % interval of a near-normal mean is about ±1.645 SE around it.
    assert.ok(Math.abs((d.logLoss.upper - d.logLoss.lower) / (2 * 1.645 * analytic) - 1) < 0.15);
  });

  test('identical predictors: every difference 0, SE 0, never strictly better', () => {
    const dates = businessDays(30);
    const a = dates.map((date, i) => row(date, i % 2, (i * 7) % 3 === 0 ? 1 : 0, 0.5 + (i % 5) / 10, 0.3));
    const d = pairedBootstrap(a, structuredClone(a), CLASSES, { blockLength: 5, resamples: 200, seed: 9 });
    for (const s of [d.balancedAccuracy, d.logLoss, d.brier]) {
      assert.deepEqual([s.difference, s.standardError, s.lower, s.upper, s.probabilityBetter], [0, 0, 0, 0, 0]);
    }
  });

  test('a model better on every date: the whole interval is above 0 and P(better) is 1', () => {
    const dates = businessDays(60);
    const model = dates.map((date, i) => row(date, i % 2, i % 2, 0.3, 0.1));
    const baseline = dates.map((date, i) => row(date, i % 2, 1 - (i % 2), 0.3 + 0.2 * ((i % 7) + 1), 0.4 + (i % 3) / 10));
    const d = pairedBootstrap(model, baseline, CLASSES, { blockLength: 21, resamples: 300, seed: 5 });
    for (const s of [d.balancedAccuracy, d.logLoss, d.brier]) {
      assert.ok(s.lower > 0, `lower ${s.lower}`);
      assert.equal(s.probabilityBetter, 1);
    }
    assert.equal(d.balancedAccuracy.difference, 1);
  });

  test('blocks keep dependence between neighbouring dates: persistent differences get a larger SE with longer blocks', () => {
    // Per-date differences in runs of 20 equal values (as overlapping 21-day labels make them).
    const dates = businessDays(400);
    const rng = new Xoshiro128(8);
    let level = 0;
    const model: DateScore[] = [];
    const baseline: DateScore[] = [];
    dates.forEach((date, i) => {
      if (i % 20 === 0) level = rng.nextFloat() - 0.5;
      model.push(row(date, 0, 0, 1, 0.2));
      baseline.push(row(date, 0, 0, 1 + level, 0.2));
    });
    const se = (blockLength: number) => pairedBootstrap(model, baseline, CLASSES, { blockLength, resamples: 500, seed: 1 }).logLoss.standardError;
    assert.ok(se(20) > 2.5 * se(1), `${se(20)} vs ${se(1)}`);
  });

  test('seeded: the same seed gives the same numbers, another seed others', () => {
    const dates = businessDays(40);
    const model = dates.map((date, i) => row(date, i % 2, 0, 0.5 + (i % 4) / 10, 0.3));
    const baseline = dates.map((date, i) => row(date, i % 2, i % 3 === 0 ? 1 : 0, 0.6 + (i % 5) / 10, 0.35));
    const run = (seed: number) => pairedBootstrap(model, baseline, CLASSES, { blockLength: 3, resamples: 100, seed });
    assert.deepEqual(run(4), run(4));
    assert.notEqual(run(4).logLoss.standardError, run(5).logLoss.standardError);
  });

  test('refuses predictors scored on different dates, or no dates', () => {
    const a = [row('2024-01-02', 0, 0, 1, 0.1)];
    const b = [row('2024-01-03', 0, 0, 1, 0.1)];
    assert.throws(() => pairedBootstrap(a, b, CLASSES, { blockLength: 1, seed: 1 }), TrainingDataError);
    assert.throws(() => pairedBootstrap(a, [...b, ...b], CLASSES, { blockLength: 1, seed: 1 }), TrainingDataError);
    assert.throws(() => pairedBootstrap([], [], CLASSES, { blockLength: 1, seed: 1 }), TrainingDataError);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  calibrate,
  fitCalibration,
  fitHarWeight,
  harTrust,
  harWeightAt,
  MIN_TEMPERATURE_ROWS,
  outsideTrust,
  poolWithHar,
} from '../../../lib/domain/model/calibration.ts';
import { addBins, expectedCalibrationError, reliabilityBins } from '../../../lib/domain/model/reliability.ts';
import { Xoshiro128 } from '../../../lib/util/prng.ts';

const CLASSES = ['low', 'medium', 'high'];
const logLoss = (p: number[][], t: number[]) => -p.reduce((a, row, i) => a + Math.log(row[t[i]]), 0) / p.length;

/** Over-confident vote shares of 10 trees: right 60 % of the time, always certain. */
function overconfident(n: number, seed: number): { p: number[][]; t: number[] } {
  const rng = new Xoshiro128(seed);
  const t = Array.from({ length: n }, (_, i) => i % 3);
  const p = t.map((c) => {
    const said = rng.nextFloat() < 0.6 ? c : (c + 1 + Math.floor(rng.nextFloat() * 2)) % 3;
    return CLASSES.map((_, k) => (k === said ? 1 : 0));
  });
  return { p, t };
}

describe('calibration map', () => {
  test('temperature: tames over-confident shares (lower log loss and ECE on the rows), probabilities sum to 1', () => {
    const { p, t } = overconfident(300, 1);
    const cal = fitCalibration(CLASSES, p, t, 10);
    assert.equal(cal.method, 'temperature');
    assert.ok(cal.method === 'temperature' && cal.temperature > 1, 'over-confident shares are softened');
    assert.equal(cal.harWeight, 0);
    const q = p.map((row) => calibrate(cal, row));
    for (const row of q) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const smoothed = p.map((row) => row.map((v) => (v + 0.05) / 1.15));
    assert.ok(logLoss(q, t) < logLoss(smoothed, t));
    // Right 60 % of the time: the calibrated confidence of the said class is close to 0.6.
    assert.ok(Math.abs(q[0][0] - 0.6) < 0.1 || Math.abs(Math.max(...q[0]) - 0.6) < 0.1);
    assert.ok(expectedCalibrationError(reliabilityBins(q, t)) < expectedCalibrationError(reliabilityBins(p, t)) / 3);
  });

  test('a slice without one class still calibrates; a tiny slice -> none (smoothing only)', () => {
    const { p, t } = overconfident(120, 2);
    const noHigh = t.map((c) => (c === 2 ? 0 : c));
    const a = fitCalibration(CLASSES, p, noHigh, 10);
    assert.equal(a.method, 'temperature');
    // The missing class keeps a positive probability, and the ranking of the classes is the forest's.
    const q = calibrate(a, [0.7, 0.2, 0.1]);
    assert.ok(q[2] > 0 && q[0] > q[1] && q[1] > q[2]);
    const tiny = fitCalibration(CLASSES, p.slice(0, MIN_TEMPERATURE_ROWS - 1), t.slice(0, MIN_TEMPERATURE_ROWS - 1), 10);
    assert.equal(tiny.method, 'none');
    calibrate(tiny, [1, 0, 0]).forEach((v, k) => {
      assert.ok(Math.abs(v - [1.05, 0.05, 0.05][k] / 1.15) < 1e-15);
    });
  });

  test('pooling with HAR: (1 − w) · calibrated + w · HAR, the forest alone when HAR is unavailable', () => {
    const { p, t } = overconfident(100, 3);
    const cal = { ...fitCalibration(CLASSES, p, t, 10), harWeight: 0.25 };
    assert.deepEqual(poolWithHar(cal, [0.8, 0.2, 0], [0, 0.4, 0.6]), [0.6000000000000001, 0.25, 0.15]);
    assert.deepEqual(poolWithHar(cal, [0.8, 0.2, 0], null), [0.8, 0.2, 0]);
  });

  test('trust region: HAR alone beyond the training forecasts; the credibility ramp in the tails; the rarest class discounts everywhere', () => {
    // 1000 training forecasts 0, 1, …, 999 (only ranks matter); horizon 2 → k = 20 rows, L = 200; rarest class 180 rows → c = 20/200.
    const trust = harTrust(
      Array.from({ length: 1000 }, (_, i) => 999 - i),
      2,
      180,
    );
    assert.equal(trust.prior, 20);
    assert.equal(trust.span, 200);
    assert.deepEqual(trust.lowest.slice(0, 3), [0, 1, 2]);
    assert.equal(trust.lowest.length, 200);
    assert.deepEqual(trust.highest.slice(-2), [998, 999]);
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
    assert.equal(outsideTrust(trust, 1000), 1);
    assert.equal(outsideTrust(trust, -5), 1);
    assert.equal(outsideTrust(trust, 999), 1, 'no training row strictly beyond the largest');
    near(outsideTrust(trust, 500), 0.1, 'deep inside: only the class discount c');
    // 20 rows strictly below 19.5: t = (k/(k+m) − k/(k+L)) / (1 − k/(k+L)) = (1/2 − 1/11) / (10/11) = 0.45; u = 1 − 0.55 · 0.9.
    near(outsideTrust(trust, 19.5), 1 - 0.55 * 0.9, 'lower tail');
    near(outsideTrust(trust, 999 - 19.5), 1 - 0.55 * 0.9, 'symmetric in the upper tail');
    near(outsideTrust(trust, 199.5), 0.1, 'L rows beyond: the position costs nothing');
    assert.ok(outsideTrust(trust, 198.5) > 0.1 && outsideTrust(trust, 198.5) < 0.101);
    const cal = { ...fitCalibration(CLASSES, [], [], 10), harWeight: 0.2, harTrust: trust };
    near(harWeightAt(cal, 19.5), 1 - 0.8 * 0.55 * 0.9, 'served weight in the tail');
    near(harWeightAt(cal, 500), 1 - 0.8 * 0.9, 'served weight inside');
    assert.equal(harWeightAt(cal, 2000), 1);
    assert.equal(harWeightAt({ ...cal, harTrust: undefined }, 2000), 0.2, 'no trust region: the fitted weight everywhere');
    assert.equal(outsideTrust(harTrust([1, 2, 3], 2, 0), 2), 1, 'a class the forest never saw: HAR alone');
    // Fewer training rows than L: all of them are kept on each side.
    assert.deepEqual(harTrust([3, 1, 2], 1, 5).highest, [1, 2, 3]);
  });

  test('fitting the HAR weight as served: rows outside the trust region count as HAR already', () => {
    // Forest right on the first 8 rows, HAR right on the last 2; with those 2 outside (t = 1), the weight need not cover them.
    const calibrated = [...Array.from({ length: 8 }, () => [0.9, 0.05, 0.05]), [0.9, 0.05, 0.05], [0.9, 0.05, 0.05]];
    const har = [...Array.from({ length: 8 }, () => [0.3, 0.4, 0.3]), [0.05, 0.05, 0.9], [0.05, 0.05, 0.9]];
    const truth = [0, 0, 0, 0, 0, 0, 0, 0, 2, 2];
    const plain = fitHarWeight(calibrated, har, truth);
    const trusted = fitHarWeight(calibrated, har, truth, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    assert.ok(plain > 0.1, `without the trust region the weight covers the misses (${plain})`);
    assert.ok(trusted < 1e-3, `with it the forest keeps its rows (${trusted})`);
  });

  test('reliability bins add up over folds to the bins of the pooled rows', () => {
    const { p, t } = overconfident(90, 4);
    const q = p.map((row) => row.map((v) => 0.1 + 0.7 * v));
    const whole = reliabilityBins(q, t);
    const added = addBins([reliabilityBins(q.slice(0, 40), t.slice(0, 40)), reliabilityBins(q.slice(40), t.slice(40))]);
    assert.deepEqual(added.count, whole.count);
    assert.deepEqual(added.correct, whole.correct);
    added.confidence.forEach((c, b) => {
      assert.ok(Math.abs(c - whole.confidence[b]) < 1e-9);
    });
    // Confidence 0.8 falls in the bin (0.7, 0.8]: index 7.
    assert.equal(whole.count[7], 90);
    assert.ok(Math.abs(expectedCalibrationError(whole) - Math.abs(whole.correct[7] / 90 - 0.8)) < 1e-12);
  });
});

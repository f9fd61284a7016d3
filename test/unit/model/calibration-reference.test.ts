/**
 * HAR, calibration and ECE against independent references (numpy, scipy):
 * test/fixtures/model/make_calibration_reference.py wrote the numbers; no Python at test time.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { calibrate, fitCalibration, fitHarWeight } from '../../../lib/domain/model/calibration.ts';
import { fitHar, harClassProbabilities } from '../../../lib/domain/model/har.ts';
import { expectedCalibrationError, reliabilityBins } from '../../../lib/domain/model/reliability.ts';
import type { RowVolatility } from '../../../lib/domain/model/types.ts';

const ref = JSON.parse(readFileSync(new URL('../../fixtures/model/calibration-reference.json', import.meta.url), 'utf8')) as {
  har: {
    rows: RowVolatility[];
    coefficients: number[];
    sigma: number;
    thresholds: { lowMax: number; mediumMax: number };
    probe: { daily: number; weekly: number; monthly: number }[];
    probabilities: number[][];
  };
  calibration: {
    trees: number;
    votes: number[][];
    truth: number[];
    temperature: number;
    temperedProbabilities: number[][];
    temperatureFolded: number;
    harSlice: number[][];
    harWeight: number;
    eceVotes: number;
    eceTempered: number;
  };
};

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const CLASSES = ['low', 'medium', 'high'];

describe('HAR baseline against numpy lstsq and scipy norm', () => {
  const model = fitHar(ref.har.rows);
  test('OLS coefficients and residual standard deviation', () => {
    model.coefficients.forEach((b, i) => {
      close(b, ref.har.coefficients[i], 1e-10, `b${i}`);
    });
    close(model.sigma, ref.har.sigma, 1e-12, 'sigma');
    assert.equal(model.rows, 80);
  });
  test('class probabilities from the Gaussian predictive distribution', () => {
    ref.har.probe.forEach((v, r) => {
      const p = harClassProbabilities(model, v, ref.har.thresholds);
      p.forEach((x, k) => {
        close(x, ref.har.probabilities[r][k], 1e-10, `row ${r} class ${k}`);
      });
    });
  });
});

describe('calibration against scipy', () => {
  const { votes, truth, trees } = ref.calibration;
  test('temperature scaling: softmax(ln(p + 0.5/trees) / T), T minimising the log loss', () => {
    const cal = fitCalibration(CLASSES, votes, truth, trees);
    assert.equal(cal.method, 'temperature');
    assert.equal(cal.epsilon, 0.5 / trees);
    close(cal.method === 'temperature' ? cal.temperature : NaN, ref.calibration.temperature, 1e-6, 'temperature');
    votes.forEach((p, i) => {
      calibrate(cal, p).forEach((q, k) => {
        close(q, ref.calibration.temperedProbabilities[i][k], 1e-6, `row ${i} class ${k}`);
      });
    });
  });
  test('a slice without one class still calibrates (the same rows with class 2 folded into 0)', () => {
    const t = fitCalibration(
      CLASSES,
      votes,
      truth.map((c) => (c === 2 ? 0 : c)),
      trees,
    );
    close(t.method === 'temperature' ? t.temperature : NaN, ref.calibration.temperatureFolded, 1e-6, 'temperature');
  });
  test('HAR pool weight minimises the pooled log loss (scipy bounded search)', () => {
    close(fitHarWeight(ref.calibration.temperedProbabilities, ref.calibration.harSlice, truth), ref.calibration.harWeight, 1e-5, 'weight');
  });
  test('top-label ECE with 10 equal-width bins', () => {
    close(expectedCalibrationError(reliabilityBins(votes, truth)), ref.calibration.eceVotes, 1e-12, 'ECE of the vote shares');
    close(expectedCalibrationError(reliabilityBins(ref.calibration.temperedProbabilities, truth)), ref.calibration.eceTempered, 1e-12, 'ECE calibrated');
  });
});

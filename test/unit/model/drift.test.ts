import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DRIFT_BINS,
  driftReport,
  featureDistribution,
  PSI_EMPTY_BIN_SHARE,
  PSI_RETRAIN_THRESHOLD,
  populationStabilityIndex,
} from '../../../lib/domain/model/drift.ts';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';

const range = <T = number>(n: number, f: (i: number) => T = (i) => i as T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('featureDistribution', () => {
  test('decile edges of 1..100 and a tenth of the rows per bin', () => {
    const d = featureDistribution(range(100, (i) => i + 1));
    assert.deepEqual(d.edges, [10, 20, 30, 40, 50, 60, 70, 80, 90]);
    assert.equal(d.edges.length, DRIFT_BINS - 1);
    assert.deepEqual(
      d.proportions,
      range(DRIFT_BINS, () => 0.1),
    );
  });

  test('ties merge bins: a 0/1 feature has two bins with its two shares', () => {
    const d = featureDistribution([...range(30, () => 0), ...range(70, () => 1)]);
    assert.deepEqual(d.edges, [0]);
    assert.deepEqual(d.proportions, [0.3, 0.7]);
  });

  test('a constant feature is one bin holding everything', () => {
    assert.deepEqual(featureDistribution([2, 2, 2]), { edges: [], proportions: [1] });
  });

  test('input order does not matter', () => {
    const values = range(57, (i) => Math.sin(i * 1.7) * 3);
    assert.deepEqual(featureDistribution(values), featureDistribution([...values].reverse()));
  });

  test('empty or non-finite values are refused', () => {
    assert.throws(() => featureDistribution([]), TrainingDataError);
    assert.throws(() => featureDistribution([1, Number.NaN]), /value NaN at row 1 is not a finite number/);
  });
});

describe('populationStabilityIndex', () => {
  const train = featureDistribution(range(1000, (i) => i / 1000));

  test('0 on the training values themselves', () => {
    assert.equal(
      populationStabilityIndex(
        train,
        range(1000, (i) => i / 1000),
      ),
      0,
    );
  });

  test('recent values all above the training range: every row in the last bin', () => {
    // last bin: share 1 vs 0.1; the nine others: 1e-4 (floored) vs 0.1
    const expected = (1 - 0.1) * Math.log(1 / 0.1) + 9 * (PSI_EMPTY_BIN_SHARE - 0.1) * Math.log(PSI_EMPTY_BIN_SHARE / 0.1);
    assert.ok(Math.abs(populationStabilityIndex(train, [5, 6, 7]) - expected) < 1e-12);
    assert.ok(expected > PSI_RETRAIN_THRESHOLD);
  });

  test('a mild shift stays under the retrain threshold', () => {
    const psi = populationStabilityIndex(
      train,
      range(1000, (i) => i / 1000 + 0.02),
    );
    assert.ok(psi > 0 && psi < 0.1, `psi ${psi}`);
  });
});

describe('driftReport', () => {
  const distributions = { a: featureDistribution(range(100)), b: featureDistribution(range(100)) };

  test('PSI per column, drifted names and the maximum', () => {
    const rows = range(100, (i) => [i, i + 1000]);
    const r = driftReport(distributions, ['a', 'b'], rows);
    assert.equal(r.rows, 100);
    assert.equal(r.features[0].psi, 0);
    assert.deepEqual(r.drifted, ['b']);
    assert.equal(r.maxPsi, r.features[1].psi);
    assert.equal(r.threshold, PSI_RETRAIN_THRESHOLD);
  });

  test('columns the model has no distribution for are named in the error', () => {
    assert.throws(
      () => driftReport(distributions, ['a', 'vol_z', 'c'], [[1, 2, 3]]),
      (e: unknown) => e instanceof TrainingDataError && e.message.endsWith('feature(s): vol_z, c'),
    );
  });

  test('no recent rows is an error', () => {
    assert.throws(() => driftReport(distributions, ['a'], []), /no recent rows/);
  });
});

/**
 * `riskfn drift MODEL PRICEFILE...` as the real bin/riskfn.js in child processes: the PSI report
 * of recent data against the model's training distributions, its exit code, and the errors.
 */

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { driftReport, recentFeatureRows } from '../../../lib/domain/model/drift.ts';
import { buildTrainingSet, type ModelArtifact, serializeArtifact, trainRiskModel } from '../../../lib/domain/model/index.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { priceFileText, syntheticSeries } from '../model/synthetic.ts';
import { riskfn, scratchDir } from './run-cli.ts';

describe('riskfn drift', () => {
  const tmp = scratchDir('drift-cli');
  const cli = (...argv: string[]) => riskfn(argv, { cwd: tmp.path() });
  let featureNames: string[];
  let model: ModelArtifact;
  let series: PriceSeries[];

  before(() => {
    series = [syntheticSeries({ symbol: 'AAA', days: 400, seed: 31 }), syntheticSeries({ symbol: 'BBB', days: 400, seed: 32 })];
    for (const s of series) tmp.write(`${s.symbol}.csv`, priceFileText(s));
    const { artifact } = trainRiskModel(buildTrainingSet(series, { horizon: 10 }), { trees: 3, seed: 1, maxDepth: 3, permutationRepeats: 0, folds: 2 });
    model = artifact;
    featureNames = artifact.featureNames;
    tmp.write('model.json', serializeArtifact(artifact));
  });

  test("--json: the PSI of every feature on the files' last --days days, as driftReport computes it; exit 0 below the threshold", () => {
    const r = cli('drift', 'model.json', 'AAA.csv', 'BBB.csv', '--days', '40', '--threshold', '100', '--json');
    assert.equal(r.status, 0, r.stderr);
    const expected = driftReport(model.featureDistributions, featureNames, recentFeatureRows(series, featureNames, 40), 100);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(expected)));
    assert.equal(expected.rows, 80);
    assert.ok(expected.maxPsi > 0);
  });

  test('a feature above the threshold: the report, then exit 1 naming the drifted features', () => {
    const r = cli('drift', 'model.json', 'AAA.csv', '--threshold', '0.000001', '--features', 'vol_21,vol_63');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^Drift \(population stability index of 63 recent rows against the training distribution; retrain above 0\.000001\):\n {2}vol_/);
    assert.match(r.stderr, /2 feature\(s\) drifted above PSI 0\.000001: vol_21, vol_63/);
  });

  test('features the model does not have are named (exit 1, no report)', () => {
    const r = cli('drift', 'model.json', 'AAA.csv', '--features', `${featureNames[0]},vol_999,foo`);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /the model has no feature\(s\) vol_999, foo; its features: vol_21/);
  });

  test('bad options are usage errors (exit 2)', () => {
    assert.equal(cli('drift', 'model.json', 'AAA.csv', '--days', '2').status, 2);
    assert.equal(cli('drift', 'model.json', 'AAA.csv', '--threshold', '0').status, 2);
    assert.equal(cli('drift', 'model.json').status, 2);
  });
});

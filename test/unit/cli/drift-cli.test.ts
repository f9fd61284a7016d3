/**
 * `riskfn drift MODEL PRICEFILE...` as the real bin/riskfn.js in child processes: the PSI report
 * of recent data against the model's training distributions, its exit code, and the errors.
 */

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { buildTrainingSet, serializeArtifact, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { priceFileText, syntheticSeries } from '../model/synthetic.ts';
import { riskfn, scratchDir } from './run-cli.ts';

describe('riskfn drift', () => {
  const tmp = scratchDir('drift-cli');
  const cli = (...argv: string[]) => riskfn(argv, { cwd: tmp.path() });
  let featureNames: string[];

  before(() => {
    const series = [syntheticSeries({ symbol: 'AAA', days: 400, seed: 31 }), syntheticSeries({ symbol: 'BBB', days: 400, seed: 32 })];
    for (const s of series) tmp.write(`${s.symbol}.csv`, priceFileText(s));
    const { artifact } = trainRiskModel(buildTrainingSet(series, { horizon: 10 }), { trees: 3, seed: 1, maxDepth: 3, permutationRepeats: 0 });
    featureNames = artifact.featureNames;
    tmp.write('model.json', serializeArtifact(artifact));
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

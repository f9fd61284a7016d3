/**
 * The CLI and the workflow train on the same thing: what `riskfn dataset` writes decodes into
 * the TrainingSet the workflow builds in memory from the same prices, and `riskfn train` on
 * those files writes the model the workflow's trainer makes from that set, byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { buildTrainingSet, parseArtifact, serializeArtifact, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { decodeTrainingSet, parseTrainingSet, serializeTrainingSet } from '../../../lib/domain/training/training-set-codec.ts';
import { riskfn, scratchDir } from '../cli/run-cli.ts';
import { priceFileText, syntheticSeries } from '../model/synthetic.ts';

const SERIES = [
  syntheticSeries({ symbol: 'AAA', days: 360, seed: 31, ohlc: true, volume: true }),
  syntheticSeries({ symbol: 'BBB', days: 360, seed: 32, ohlc: true, volume: true }),
];
const BENCHMARK = syntheticSeries({ symbol: 'IDX', days: 360, seed: 33 });
const tmp = scratchDir('dataset-files');
const p = (name: string) => tmp.path(name);

before(() => {
  for (const s of [...SERIES, BENCHMARK]) tmp.write(`${s.symbol}.csv`, priceFileText(s));
});

test("riskfn dataset output → TrainingSet = the in-memory set; riskfn train on it = the workflow trainer's model", () => {
  const ds = riskfn(['dataset', 'AAA.csv', 'BBB.csv', '--horizon', '10', '--benchmark', 'IDX.csv', '-o', 'ds.csv'], { cwd: tmp.path() });
  assert.equal(ds.status, 0, ds.stderr);
  const inMemory = buildTrainingSet(SERIES, { horizon: 10, benchmark: BENCHMARK });
  const fromFiles = decodeTrainingSet(readFileSync(p('ds.csv'), 'utf8'), readFileSync(p('ds.meta.json'), 'utf8'), { source: 'ds.csv' });
  assert.deepEqual(fromFiles, inMemory);
  // The workflow stores the same set as one object: it decodes to the same set too.
  assert.deepEqual(parseTrainingSet(serializeTrainingSet(inMemory)), inMemory);

  const tr = riskfn(['train', 'ds.csv', '--trees', '4', '--seed', '3', '-o', 'model'], { cwd: tmp.path() });
  assert.equal(tr.status, 0, tr.stderr);
  const workflow = trainRiskModel(inMemory, { trees: 4, seed: 3 });
  assert.equal(readFileSync(p('model/model.json'), 'utf8'), serializeArtifact(workflow.artifact));
  assert.equal(parseArtifact(readFileSync(p('model/model.json'), 'utf8')).options.tuning?.candidates.length, 6, 'both tune the depth by default');
});

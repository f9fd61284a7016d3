/**
 * `riskfn dataset` → `riskfn train` → `riskfn predict` end to end on small synthetic price
 * files, in-process through the CLI dispatcher (console output captured).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../bin/cli/main.ts';
import { formatCsv } from '../../../lib/util/csv.ts';
import { syntheticSeries } from '../model/synthetic.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('riskfn dataset / train / predict', () => {
  let dir: string;
  const p = (name: string) => join(dir, name);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'riskfn-model-cli-'));
    for (const [sym, seed] of [
      ['AAA', 21],
      ['BBB', 22],
    ] as const) {
      const s = syntheticSeries({ symbol: sym, days: 380, seed, ohlc: true, volume: true });
      const rows = s.dates.map((d, i) => [d, s.open![i], s.high![i], s.low![i], s.close[i], s.volume![i]]);
      writeFileSync(p(`${sym}.csv`), formatCsv(['Date', 'Open', 'High', 'Low', 'Close', 'Volume'], rows));
    }
    const b = syntheticSeries({ symbol: 'IDX', days: 380, seed: 23 });
    writeFileSync(p('IDX.csv'), formatCsv(['Date', 'Close'], b.dates.map((d, i) => [d, b.close[i]])));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('dataset writes the CSV (OHLC, volume and beta features) and its meta file', async () => {
    const r = await cli('dataset', p('AAA.csv'), p('BBB.csv'), '--horizon', '10', '--benchmark', p('IDX.csv'), '-o', p('ds/dataset.csv'));
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(p('ds/dataset.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 2), ['date', 'symbol']);
    assert.equal(header.at(-1), 'risk_level');
    for (const f of ['parkinson_vol_21', 'atr_pct_14', 'volume_z_63', 'beta_63']) assert.ok(header.includes(f), f);
    assert.ok(!header.includes('forward_vol'), 'the label source must not be a column (it would leak)');
    assert.equal(lines.length - 1, 2 * (380 - 126 - 10));
    const meta = JSON.parse(readFileSync(p('ds/dataset.meta.json'), 'utf8'));
    assert.equal(meta.horizon, 10);
    assert.ok(meta.thresholds.lowMax < meta.thresholds.mediumMax);
    assert.match(r.out, /tertiles of \d+ training rows/);
  });

  test('train: evaluation side by side, three files, byte-identical on a rerun', async () => {
    const r1 = await cli('train', p('ds/dataset.csv'), '--trees', '8', '--seed', '3', '-o', p('m1'));
    assert.equal(r1.code, 0, r1.err);
    assert.match(r1.out, /model\s+majority \((low|medium|high)\)\s+persistence/);
    assert.match(r1.out, /time split, purge gap 10 dates/);
    assert.match(r1.out, /balanced accuracy/);
    assert.match(r1.out, /out-of-bag accuracy/);
    const r2 = await cli('train', p('ds/dataset.csv'), '--trees', '8', '--seed', '3', '-o', p('m2'));
    assert.equal(r2.code, 0);
    for (const f of ['model.json', 'evaluation_metrics.json', 'model-summary.txt']) {
      assert.ok(readFileSync(p(`m1/${f}`)).equals(readFileSync(p(`m2/${f}`))), `${f} differs between identical runs`);
    }
    const metrics = JSON.parse(readFileSync(p('m1/evaluation_metrics.json'), 'utf8'));
    assert.equal(metrics.purgeGap, 10);
    assert.ok(metrics.baselines.persistence.accuracy > 0);
    const model = JSON.parse(readFileSync(p('m1/model.json'), 'utf8'));
    assert.ok(model.thresholds, 'thresholds carried over from the dataset meta');
    const r3 = await cli('train', p('ds/dataset.csv'), '--trees', '8', '--seed', '4', '-o', p('m3'));
    assert.equal(r3.code, 0);
    assert.ok(!readFileSync(p('m1/model.json')).equals(readFileSync(p('m3/model.json'))));
  });

  test('train --split random warns that it flatters', async () => {
    const r = await cli('train', p('ds/dataset.csv'), '--trees', '4', '--split', 'random', '-o', p('mr'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /random split/);
    assert.match(r.out, /optimistic/);
  });

  test('predict prints class, probabilities and top contributions per row', async () => {
    const lines = readFileSync(p('ds/dataset.csv'), 'utf8').trim().split('\n');
    writeFileSync(p('rows.csv'), [lines[0], ...lines.slice(-2)].join('\n'));
    const r = await cli('predict', p('m1'), p('rows.csv'), '--top', '2');
    assert.equal(r.code, 0, r.err);
    const out = r.out.split('\n');
    assert.equal(out.length, 2);
    assert.match(out[0], /^row 1 \d{4}-\d{2}-\d{2} (AAA|BBB)\s+(low|medium|high)\s+low [01]\.\d{3}\s+medium [01]\.\d{3}\s+high [01]\.\d{3}\s+\| base 0\.\d{3}; top: \w+=\S+ \([+-]\d\.\d{3}\), \w+=\S+ \([+-]\d\.\d{3}\)$/);
    const j = await cli('predict', p('m1'), '--prices', p('AAA.csv'), '--benchmark', p('IDX.csv'), '--json');
    assert.equal(j.code, 0, j.err);
    const [res] = JSON.parse(j.out);
    assert.equal(res.symbol, 'AAA');
    const pred = res.prediction;
    assert.equal(pred.contributions.length, 3);
    const probs = pred.probabilities as Record<string, number>;
    assert.ok(Math.abs(probs.low + probs.medium + probs.high - 1) < 1e-12);
    assert.equal(probs[pred.label], Math.max(probs.low, probs.medium, probs.high));
    const abs = pred.contributions.map((c: { contribution: number }) => Math.abs(c.contribution));
    assert.ok(abs[0] >= abs[1] && abs[1] >= abs[2]);
  });

  test('bad input: one clear line and a non-zero exit', async () => {
    const noTarget = await cli('train', p('ds/dataset.csv'), '--target', 'nope', '-o', p('x'));
    assert.equal(noTarget.code, 1);
    assert.match(noTarget.err, /^riskfn train: .*dataset\.csv: no target column 'nope'/);
    writeFileSync(p('bad.csv'), 'date,f,risk_level\n2020-01-01,1,low\n2020-01-02,oops,high\n');
    const bad = await cli('train', p('bad.csv'), '-o', p('x'));
    assert.equal(bad.code, 1);
    assert.match(bad.err, /row 2, column 'f': 'oops' is not a finite number/);
    writeFileSync(p('corrupt.json'), readFileSync(p('m1/model.json'), 'utf8').slice(0, 500));
    const corrupt = await cli('predict', p('corrupt.json'), p('rows.csv'));
    assert.equal(corrupt.code, 1);
    assert.match(corrupt.err, /corrupt\.json: model file is not valid JSON/);
    writeFileSync(p('v9.json'), readFileSync(p('m1/model.json'), 'utf8').replace('"formatVersion":1', '"formatVersion":9'));
    const v9 = await cli('predict', p('v9.json'), p('rows.csv'));
    assert.equal(v9.code, 1);
    assert.match(v9.err, /model format version 9 is not supported/);
    writeFileSync(p('norows.csv'), 'date,symbol,vol_21\n2020-01-01,A,0.1\n');
    const missing = await cli('predict', p('m1'), p('norows.csv'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /the model needs feature column 'vol_63', which is missing/);
    const usage = await cli('train', p('ds/dataset.csv'));
    assert.equal(usage.code, 2);
    const missingFile = await cli('dataset', p('nothere.csv'), '-o', p('y.csv'));
    assert.equal(missingFile.code, 1);
    assert.match(missingFile.err, /nothere\.csv/);
  });

  test('train works on a generic numeric CSV without dates (random split, no persistence)', async () => {
    const rows: (string | number)[][] = [];
    for (let i = 0; i < 60; i++) rows.push([i % 7, (i * 13) % 11, i % 3 === 0 ? 'yes' : 'no']);
    writeFileSync(p('generic.csv'), formatCsv(['a', 'b', 'label'], rows));
    const r = await cli('train', p('generic.csv'), '--target', 'label', '--trees', '5', '-o', p('g'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /random split/);
    assert.match(r.out, /no date column/);
    const metrics = JSON.parse(readFileSync(p('g/evaluation_metrics.json'), 'utf8'));
    assert.equal(metrics.baselines.persistence, null);
    assert.equal(metrics.testRows, 18);
  });
});

/**
 * `riskfn dataset` → `riskfn train` → `riskfn predict` end to end on small synthetic price
 * files, run as the real bin/riskfn.js in child processes.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { formatCsv } from '../../../lib/util/csv.ts';
import { priceFileText, syntheticSeries } from '../model/synthetic.ts';
import { riskfn, scratchDir } from './run-cli.ts';

describe('riskfn dataset / train / predict', () => {
  const tmp = scratchDir('model-cli');
  const p = (name: string) => tmp.path(name);
  const cli = (...argv: string[]) => riskfn(argv, { cwd: tmp.path() });

  before(() => {
    for (const [symbol, seed] of [
      ['AAA', 21],
      ['BBB', 22],
    ] as const) {
      tmp.write(`${symbol}.csv`, priceFileText(syntheticSeries({ symbol, days: 380, seed, ohlc: true, volume: true })));
    }
    tmp.write('IDX.csv', priceFileText(syntheticSeries({ symbol: 'IDX', days: 380, seed: 23 })));
  });

  test('dataset writes the CSV (OHLC, volume and beta features) and its meta file', () => {
    const r = cli('dataset', 'AAA.csv', 'BBB.csv', '--horizon', '10', '--benchmark', 'IDX.csv', '-o', 'ds/dataset.csv');
    assert.equal(r.status, 0, r.stderr);
    const lines = readFileSync(p('ds/dataset.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 2), ['date', 'symbol']);
    // After the label: the HAR baseline's realised volatilities and the label's source, never features.
    assert.deepEqual(header.slice(-5), ['risk_level', 'rv_daily', 'rv_weekly', 'rv_monthly', 'forward_vol']);
    for (const f of ['parkinson_vol_21', 'atr_pct_14', 'volume_z_63', 'beta_63']) assert.ok(header.includes(f), f);
    assert.equal(lines.length - 1, 2 * (380 - 126 - 10));
    const meta = JSON.parse(readFileSync(p('ds/dataset.meta.json'), 'utf8'));
    assert.equal(meta.labelRule.horizon, 10);
    assert.deepEqual(meta.labelRule.thresholds, { lowMax: 0.15, mediumMax: 0.25 });
    assert.match(r.stdout, /low <= 15 % < medium <= 25 % < high/);
    assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  });

  test('dataset --bands sets the volatility bands; bands that do not increase are a usage error', () => {
    const r = cli('dataset', 'AAA.csv', '--horizon', '10', '--bands', '0.1,0.3', '-o', 'bands/dataset.csv');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(readFileSync(p('bands/dataset.meta.json'), 'utf8')).labelRule.thresholds, { lowMax: 0.1, mediumMax: 0.3 });
    const bad = cli('dataset', 'AAA.csv', '--bands', '0.3,0.1', '-o', 'bands/bad.csv');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--bands must be two increasing positive annualised volatilities like 0.15,0.25, got '0.3,0.1'/);
  });

  test('dataset -o - writes the CSV to stdout and its messages to stderr', () => {
    const r = cli('dataset', 'AAA.csv', 'BBB.csv', '--horizon', '10', '--benchmark', 'IDX.csv', '-o', '-');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(p('ds/dataset.csv'), 'utf8'));
    assert.match(r.stderr, /^wrote stdout: 488 rows/);
    assert.match(r.stderr, /no meta file with -o -/);
  });

  test('train: walk-forward evaluation beside persistence, HAR and majority, five files (model, report, summary, card and its page), byte-identical on a rerun', () => {
    const r1 = cli('train', 'ds/dataset.csv', '--trees', '8', '--seed', '3', '--max-depth', '4', '-o', 'm1');
    assert.equal(r1.status, 0, r1.stderr);
    assert.match(r1.stdout, /model\s+persistence\s+HAR\s+majority \((low|medium|high)(, (low|medium|high))*\)/);
    assert.match(r1.stdout, /Evaluation: walk-forward, 5 folds \(expanding window\), purge gap 10 dates/);
    assert.match(r1.stdout, /^balanced accuracy\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$/m);
    assert.match(r1.stdout, /^calibration error \(ECE\)/m);
    assert.match(r1.stdout, /^refit on all labelled rows: 488 rows/m);
    const r2 = cli('train', 'ds/dataset.csv', '--trees', '8', '--seed', '3', '--max-depth', '4', '-o', 'm2');
    assert.equal(r2.status, 0, r2.stderr);
    for (const f of ['model.json', 'evaluation_metrics.json', 'model-summary.txt', 'model-card.json', 'model-card.html']) {
      assert.ok(readFileSync(p(`m1/${f}`)).equals(readFileSync(p(`m2/${f}`))), `${f} differs between identical runs`);
    }
    const metrics = JSON.parse(readFileSync(p('m1/evaluation_metrics.json'), 'utf8'));
    assert.equal(metrics.purgeGap, 10);
    assert.equal(metrics.folds.length, 5);
    for (const m of [metrics.model, metrics.baselines.persistence, metrics.baselines.har]) {
      for (const k of ['balancedAccuracy', 'logLoss', 'brier']) assert.ok(Number.isFinite(m[k]) && m[k] > 0, k);
    }
    const model = JSON.parse(readFileSync(p('m1/model.json'), 'utf8'));
    const meta = JSON.parse(readFileSync(p('ds/dataset.meta.json'), 'utf8'));
    assert.deepEqual(model.labelRule, meta.labelRule, 'the label rule carried over from the dataset meta');
    // The model minus each baseline with its block-bootstrap uncertainty, in the report and one line per baseline in the output.
    assert.equal(metrics.differences.har.blockLength, 10);
    assert.equal(metrics.differences.har.seed, 3);
    assert.match(
      r1.stdout,
      /^vs HAR: balanced accuracy [+-][\d.]+ ± [\d.]+ \(90 % [+-][\d.]+\.\.[+-][\d.]+\), log loss [+-][\d.]+ ± [\d.]+ \(90 % .*\), Brier [+-][\d.]+ ± /m,
    );
    assert.match(r1.stdout, /^vs persistence: balanced accuracy /m);
    // The verdict comes from the workflow's promotion gate.
    assert.match(
      r1.stdout,
      /^verdict: the challenger (does not beat|beats) .*\(walk-forward; balanced accuracy [+-][\d.]+, log loss [+-][\d.]+, Brier [+-][\d.]+\).*: the workflow's gate would (reject it|accept it as a first champion)$/m,
    );
    const r3 = cli('train', 'ds/dataset.csv', '--trees', '8', '--seed', '4', '--max-depth', '4', '-o', 'm3');
    assert.equal(r3.status, 0, r3.stderr);
    assert.ok(!readFileSync(p('m1/model.json')).equals(readFileSync(p('m3/model.json'))));
  });

  test('train reads the dataset from stdin and writes the model file to stdout with -o -', () => {
    const r = riskfn(['train', '-', '--trees', '8', '--seed', '3', '--max-depth', '4', '--horizon', '10', '-o', '-'], {
      cwd: tmp.path(),
      input: readFileSync(p('ds/dataset.csv'), 'utf8'),
    });
    assert.equal(r.status, 0, r.stderr);
    const model = JSON.parse(r.stdout);
    assert.deepEqual(model.labelRule, { kind: 'given', target: 'risk_level', horizon: 10 }, 'no meta file on stdin: labels as given');
    assert.match(r.stderr, /balanced accuracy/);
  });

  test('train --split random warns that it flatters', () => {
    const r = cli('train', 'ds/dataset.csv', '--trees', '4', '--max-depth', '4', '--split', 'random', '-o', 'mr');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /random split/);
    assert.match(r.stdout, /optimistic/);
  });

  test('predict prints class, probabilities and top contributions per row', () => {
    const lines = readFileSync(p('ds/dataset.csv'), 'utf8').trim().split('\n');
    tmp.write('rows.csv', [lines[0], ...lines.slice(-2)].join('\n'));
    const r = cli('predict', 'm1', 'rows.csv', '--top', '2');
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.trimEnd().split('\n');
    assert.equal(out.length, 2);
    assert.match(
      out[0],
      /^row 1 \d{4}-\d{2}-\d{2} (AAA|BBB)\s+(low|medium|high)\s+low [01]\.\d{3}\s+medium [01]\.\d{3}\s+high [01]\.\d{3}\s+\| base 0\.\d{3}, calibration [+-]\d\.\d{3}; top: \w+=\S+ \([+-]\d\.\d{3}\), \w+=\S+ \([+-]\d\.\d{3}\)$/,
    );
    const fromStdin = riskfn(['predict', 'm1', '-', '--top', '2'], { cwd: tmp.path(), input: readFileSync(p('rows.csv'), 'utf8') });
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, r.stdout);
    const j = cli('predict', 'm1', '--prices', 'AAA.csv', '--benchmark', 'IDX.csv', '--json');
    assert.equal(j.status, 0, j.stderr);
    const [res] = JSON.parse(j.stdout);
    assert.equal(res.symbol, 'AAA');
    const pred = res.prediction;
    assert.equal(pred.contributions.length, 3);
    const probs = pred.probabilities as Record<string, number>;
    assert.ok(Math.abs(probs.low + probs.medium + probs.high - 1) < 1e-12);
    // The answered level: the highest probability relative to its share of the training rows.
    const model = JSON.parse(readFileSync(p('m1/model.json'), 'utf8'));
    const prior = (c: string) => model.baselines.classPriors[model.classes.indexOf(c)];
    const ratio = (c: string) => probs[c] / prior(c);
    assert.equal(ratio(pred.label), Math.max(ratio('low'), ratio('medium'), ratio('high')));
    const sum = pred.baseRate + pred.contributions.reduce((a: number, c: { contribution: number }) => a + c.contribution, 0) + pred.calibration;
    assert.ok(pred.contributions.length < model.featureNames.length || Math.abs(sum - probs[pred.label]) < 1e-12);
    const abs = pred.contributions.map((c: { contribution: number }) => Math.abs(c.contribution));
    assert.ok(abs[0] >= abs[1] && abs[1] >= abs[2]);
  });

  test('bad input: one clear line and exit 1; a bad command line: exit 2', () => {
    const noTarget = cli('train', 'ds/dataset.csv', '--target', 'nope', '-o', 'x');
    assert.equal(noTarget.status, 1);
    assert.match(noTarget.stderr, /^riskfn train: .*dataset\.csv: no target column 'nope'/);
    tmp.write('bad.csv', 'date,f,risk_level\n2020-01-01,1,low\n2020-01-02,oops,high\n');
    const bad = cli('train', 'bad.csv', '-o', 'x');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /row 2, column 'f': 'oops' is not a finite number/);
    tmp.write('ragged.csv', 'date,f,risk_level\n2020-01-01,1\n');
    const ragged = cli('train', 'ragged.csv', '-o', 'x');
    assert.equal(ragged.status, 1);
    assert.equal(ragged.stderr, 'riskfn train: ragged.csv: row 1 (line 2) has 2 fields, the header has 3\n');
    tmp.write('corrupt.json', readFileSync(p('m1/model.json'), 'utf8').slice(0, 500));
    const corrupt = cli('predict', 'corrupt.json', 'rows.csv');
    assert.equal(corrupt.status, 1);
    assert.match(corrupt.stderr, /corrupt\.json: model file is not valid JSON/);
    tmp.write('v9.json', readFileSync(p('m1/model.json'), 'utf8').replace('"formatVersion":3', '"formatVersion":9'));
    const v9 = cli('predict', 'v9.json', 'rows.csv');
    assert.equal(v9.status, 1);
    assert.match(v9.stderr, /model format version 9 is not supported/);
    tmp.write('norows.csv', 'date,symbol,vol_21\n2020-01-01,A,0.1\n');
    const missing = cli('predict', 'm1', 'norows.csv');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /the model needs feature column 'vol_63', which is missing/);
    const missingFile = cli('dataset', 'nothere.csv', '-o', 'y.csv');
    assert.equal(missingFile.status, 1);
    assert.equal(missingFile.stderr, 'riskfn dataset: nothere.csv: cannot read file (ENOENT)\n');
    for (const [args, message] of [
      [['train', 'ds/dataset.csv'], "required option '-o, --output <dir>' not specified"],
      [['train', 'ds/dataset.csv', '--trees', '2.5', '-o', 'x'], "--trees must be an integer >= 1, got '2.5'"],
      [['train', 'ds/dataset.csv', '--horizon', '-1', '-o', 'x'], "--horizon must be a non-negative integer, got '-1'"],
      [['train', 'ds/dataset.csv', '--split', 'sideways', '-o', 'x'], "--split must be one of walk-forward, time, random, got 'sideways'"],
      [['train', 'ds/dataset.csv', '--tune', '--max-depth', '3', '-o', 'x'], '--tune chooses the depth itself; give either --tune or --max-depth'],
      [['dataset', 'AAA.csv', '--horizon', '1', '-o', 'y.csv'], "--horizon must be an integer >= 2 (trading days), got '1'"],
      [['predict', 'm1'], 'missing ROWS.csv (or give --prices PRICEFILE)'],
      [['predict', 'm1', 'rows.csv', '--prices', 'AAA.csv'], 'give either ROWS.csv or --prices, not both'],
    ] as const) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, `riskfn ${args[0]}: ${message} (see: riskfn ${args[0]} --help)\n`);
    }
  });

  test('train works on a generic numeric CSV without dates (random split, no persistence)', () => {
    const rows: (string | number)[][] = [];
    for (let i = 0; i < 60; i++) rows.push([i % 7, (i * 13) % 11, i % 3 === 0 ? 'yes' : 'no']);
    tmp.write('generic.csv', formatCsv(['a', 'b', 'label'], rows));
    const r = cli('train', 'generic.csv', '--target', 'label', '--trees', '5', '-o', 'g');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /random split/);
    assert.match(r.stdout, /no date column/);
    const metrics = JSON.parse(readFileSync(p('g/evaluation_metrics.json'), 'utf8'));
    assert.equal(metrics.baselines.persistence, null);
    assert.equal(metrics.testRows, 18);
  });
});

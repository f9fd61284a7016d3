/**
 * `riskfn` in pipelines, with real processes and pipes: `-` reads stdin, `-o -` writes stdout,
 * and a reader that stops early (`| head -1`) ends the command quietly with exit 0.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { riskfn, sample, scratchDir, shell } from './run-cli.ts';

const tmp = scratchDir('pipes');

describe('stdin and stdout', () => {
  test("'-' reads the price file from stdin: the same metrics as the file, symbol 'stdin'", () => {
    const fromFile = JSON.parse(riskfn(['metrics', sample('eustock_DAX.csv'), '--json']).stdout);
    const r = shell(`riskfn metrics - --json < '${sample('eustock_DAX.csv')}'`);
    assert.equal(r.status, 0, r.stderr);
    const fromStdin = JSON.parse(r.stdout);
    assert.equal(fromStdin.period.symbol, 'stdin');
    assert.equal(fromStdin.sharpeRatio, fromFile.sharpeRatio);
    assert.equal(fromStdin.historicalEs, fromFile.historicalEs);
  });
  test('a pipe into `-` works as well (cat FILE | riskfn backtest -)', () => {
    const r = shell(`cat '${sample('eustock_FTSE.csv')}' | riskfn backtest - --json`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).observations, 1609);
  });
  test('errors in stdin data name <stdin>', () => {
    const r = riskfn(['metrics', '-'], { input: 'Date,Close\n2024-01-02,1\n2024-01-03,x\n' });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "riskfn metrics: <stdin>: row 3, column Close: unparseable number 'x'\n");
  });
  test('stdin can be only one of the inputs', () => {
    const r = riskfn(['portfolio', '-', '-'], { input: '' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "riskfn portfolio: '-' (stdin) can be given as one input only (see: riskfn portfolio --help)\n");
  });
  test('-o - writes the dataset CSV to stdout, ready for the next program', () => {
    const r = shell(`riskfn dataset '${sample('eustock_DAX.csv')}' -o - | wc -l`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(Number(r.stdout.trim()), 1 + 1860 - 126 - 21);
    assert.match(r.stderr, /^wrote stdout: 1713 rows/m);
  });
  test('dataset | train: the dataset streams from one command into the next', () => {
    const r = shell(`riskfn dataset '${sample('eustock_DAX.csv')}' '${sample('eustock_SMI.csv')}' -o - 2>/dev/null | riskfn train - --trees 5 -o model`, {
      cwd: tmp.path(),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote model\/model\.json/);
    assert.equal(JSON.parse(readFileSync(tmp.path('model/model.json'), 'utf8')).labelRule.target, 'risk_level');
  });
});

describe('a closed pipe ends the command quietly', () => {
  test('riskfn dataset -o - | head -1: exit 0, only the header line, nothing on stderr but the report', () => {
    // 3 instruments make ~5000 rows (~1 MB): far more than a pipe buffer, so writes hit the closed pipe.
    const files = ['DAX', 'SMI', 'CAC'].map((n) => `'${sample(`eustock_${n}.csv`)}'`).join(' ');
    const r = shell(`riskfn dataset ${files} -o - 2>"${tmp.path('err.txt')}" | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`);
    assert.match(r.stdout, /^date,symbol,vol_21,/);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.equal(r.stderr, 'exit=0\n');
    const err = readFileSync(tmp.path('err.txt'), 'utf8');
    assert.doesNotMatch(err, /EPIPE|Error|at /);
  });
  test('riskfn predict … | head -1 on a large rows file: exit 0, no stack trace', () => {
    const model = tmp.path('model');
    const rows = tmp.path('rows.csv');
    const made = shell(`riskfn dataset '${sample('eustock_CAC.csv')}' -o '${rows}' >/dev/null && riskfn train '${rows}' --trees 3 -o '${model}' >/dev/null`);
    assert.equal(made.status, 0, made.stderr);
    const r = shell(`riskfn predict '${model}' '${rows}' | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`);
    assert.match(r.stdout, /^row 1 \d{4}-\d{2}-\d{2} eustock_CAC /);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.equal(r.stderr, 'exit=0\n');
  });
});

/**
 * The risk commands of the `riskfn` CLI (metrics, portfolio, backtest), run as the real
 * bin/riskfn.js in a child process: output, JSON keys, one-line errors and exit codes.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { computeSeriesMetrics } from '../../../lib/domain/risk/index.ts';
import { samplePrices } from '../risk/approx.ts';
import { riskfn, sample, scratchDir } from './run-cli.ts';

const tmp = scratchDir('risk-cli');

describe('riskfn metrics', () => {
  test('--json prints the camelCase metric object of docs/metrics.md', () => {
    const r = riskfn(['metrics', sample('eustock_DAX.csv'), '--json', '--confidence', '0.99', '--rf', '0.02']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const expected = computeSeriesMetrics(samplePrices('eustock_DAX.csv'), { confidence: 0.99, riskFree: 0.02 });
    assert.equal(j.sharpeRatio, expected.sharpeRatio);
    assert.equal(j.historicalVar, expected.historicalVar);
    assert.equal(j.parameters.confidence, 0.99);
    assert.equal(j.maxDrawdownDetails.peakDate, '1992-05-25');
    assert.equal(j.benchmark, null);
    for (const k of Object.keys(j)) assert.match(k, /^[a-z][A-Za-z0-9]*$/);
  });
  test('the table shows the sections and values', () => {
    const r = riskfn(['metrics', sample('eustock_DAX.csv'), '--benchmark', sample('eustock_FTSE.csv')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^eustock_DAX: 1991-07-01 \.\. 1998-08-14/);
    assert.match(r.stdout, /annualized return \(geometric\)\s+17\.86%/);
    assert.match(r.stdout, /max drawdown\s+22\.62%/);
    assert.match(r.stdout, /Relative to eustock_FTSE/);
    assert.match(r.stdout, /beta\s+0\.8234/);
    assert.equal(r.stderr, '');
  });
  test('OHLC files add the range-based estimators', () => {
    const r = riskfn(['metrics', sample('xts_sample_ohlc.csv')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Yang-Zhang/);
  });
  test('a dated return file is accepted (wealth index from 1)', () => {
    const f = tmp.write('r.csv', 'Date,Return\n2024-01-02,0.01\n2024-01-03,-0.02\n2024-01-04,0.015\n');
    const r = riskfn(['metrics', f, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.period.returns, 3);
    assert.equal(j.maxDrawdownDetails.troughDate, '2024-01-03');
  });
  test('-o FILE writes the result to a file instead of stdout', () => {
    const out = tmp.path('out/m.json');
    const r = riskfn(['metrics', sample('eustock_DAX.csv'), '--json', '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).period.prices, 1860);
  });
  test("-o under a folder that cannot be made is one line and exit 1, not a hang (Node's recursive mkdir loops under /proc)", () => {
    const r = riskfn(['metrics', sample('eustock_DAX.csv'), '--json', '-o', '/proc/riskfn-no-such/m.json']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'riskfn metrics: cannot mkdir /proc/riskfn-no-such: ENOENT\n');
  });
  test('a bad row is one line naming file, row and column; exit 1', () => {
    const f = tmp.write('bad.csv', 'Date,Close\n2024-01-02,100\n2024-01-03,-5\n2024-01-04,101\n');
    const r = riskfn(['metrics', f]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `riskfn metrics: ${f}: row 3, column Close: price must be > 0, got -5\n`);
    assert.equal(r.stdout, '');
  });
  test('a missing file is a data error (1); a bad option value a usage error (2); both one line', () => {
    const a = riskfn(['metrics', 'nope.csv']);
    assert.equal(a.status, 1);
    assert.equal(a.stderr, 'riskfn metrics: nope.csv: cannot read file (ENOENT)\n');
    const b = riskfn(['metrics', sample('eustock_DAX.csv'), '--confidence', '95']);
    assert.equal(b.status, 2);
    assert.equal(b.stderr, "riskfn metrics: --confidence must be in (0, 1), got '95' (see: riskfn metrics --help)\n");
    const c = riskfn(['metrics', sample('eustock_DAX.csv'), '--bogus']);
    assert.equal(c.status, 2);
    assert.equal(c.stderr, "riskfn metrics: unknown option '--bogus' (see: riskfn metrics --help)\n");
  });
});

describe('riskfn portfolio', () => {
  const three = ['DAX', 'SMI', 'CAC'].map((n) => sample(`eustock_${n}.csv`));

  test('--json: components sum to the totals', () => {
    const r = riskfn(['portfolio', ...three, '--weights', '0.5,0.3,0.2', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const sum = (k: string) => j.assets.reduce((s: number, a: Record<string, number>) => s + a[k], 0);
    assert.ok(Math.abs(sum('gaussianComponentVar') - j.gaussianVar) < 1e-15);
    assert.ok(Math.abs(sum('historicalComponentVar') - j.historicalVar) < 1e-15);
    assert.equal(j.assets[0].symbol, 'eustock_DAX');
    assert.equal(j.parameters.weightsSum, 1);
  });
  test('table with Ledoit-Wolf; wrong weight count is a usage error', () => {
    const two = ['DAX', 'FTSE'].map((n) => sample(`eustock_${n}.csv`));
    const r = riskfn(['portfolio', ...two, '--covariance', 'ledoit-wolf']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ledoit-wolf \(shrinkage 0\.\d+\)/);
    const bad = riskfn(['portfolio', ...two, '--weights', '1,2,3']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--weights has 3 values for 2 files/);
  });
  test('weights summing far from 1 (percentages) are refused with the fractions to use instead', () => {
    const r = riskfn(['portfolio', ...three, '--weights', '40,30,30']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'riskfn portfolio: --weights sum to 100, not 1: give fractions of capital (--weights 0.4,0.3,0.3) or add --normalize (see: riskfn portfolio --help)\n',
    );
  });
  test('--normalize scales the weights to sum 1: the same result as the fractions', () => {
    const pct = riskfn(['portfolio', ...three, '--weights', '40,30,30', '--normalize', '--json']);
    const frac = riskfn(['portfolio', ...three, '--weights', '0.4,0.3,0.3', '--json']);
    assert.equal(pct.status, 0, pct.stderr);
    const a = JSON.parse(pct.stdout);
    const b = JSON.parse(frac.stdout);
    assert.deepEqual(
      a.assets.map((x: { weight: number }) => x.weight),
      [0.4, 0.3, 0.3],
    );
    assert.ok(Math.abs(a.annualizedVolatility - b.annualizedVolatility) < 1e-15);
    assert.ok(a.annualizedVolatility < 0.2, `volatility ${a.annualizedVolatility} is a fraction, not 100× it`);
  });
  test('weights that sum to 1 only up to rounding are accepted as they are', () => {
    const r = riskfn(['portfolio', ...three, '--weights', '0.1,0.2,0.7', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).assets[2].weight, 0.7);
  });
  test('too few common dates is a data error (exit 1)', () => {
    const a = tmp.write('a.csv', 'Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-04,3\n');
    const b = tmp.write('b.csv', 'Date,Close\n2024-01-04,1\n2024-01-05,2\n2024-01-08,3\n');
    const r = riskfn(['portfolio', a, b]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'riskfn portfolio: the files have only 1 dates in common (need 3)\n');
  });
});

describe('riskfn backtest', () => {
  test('--json with exception dates and the Basel zone', () => {
    const r = riskfn(['backtest', sample('eustock_DAX.csv'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.observations, 1609);
    assert.equal(j.exceptionCount, j.exceptionDates.length);
    assert.equal(j.basel.observations, 250);
    assert.ok(['green', 'yellow', 'red'].includes(j.basel.zone));
  });
  test('table; a window longer than the data is a data error (1), an unknown method a usage error (2)', () => {
    const r = riskfn(['backtest', sample('eustock_DAX.csv'), '--method', 'ewma', '--confidence', '0.95', '--window', '100']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Kupiec/);
    const bad = riskfn(['backtest', sample('xts_sample_ohlc.csv'), '--window', '500']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /xts_sample_ohlc\.csv has 179 returns; --window 500 needs at least 502\n$/);
    const m = riskfn(['backtest', sample('eustock_DAX.csv'), '--method', 'monte-carlo']);
    assert.equal(m.status, 2);
    assert.match(m.stderr, /^riskfn backtest: --method must be one of historical, gaussian, cornish-fisher, ewma, got 'monte-carlo'/);
  });
});

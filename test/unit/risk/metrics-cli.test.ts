/**
 * `riskfn metrics` for the up/down-market metrics, the stability and `--rolling N`, run as the
 * real CLI in a child process: JSON equal to the engine's numbers, the text table, one-line errors.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as risk from '../../../lib/domain/risk/index.ts';
import { riskfn, sample, scratchDir } from '../cli/run-cli.ts';
import { samplePrices } from './approx.ts';

scratchDir('metrics-rolling');

describe('riskfn metrics: capture, up/down beta, stability', () => {
  test('--json carries the new keys with the engine values; the table shows them', () => {
    const args = ['metrics', sample('eustock_SMI.csv'), '--benchmark', sample('eustock_DAX.csv')];
    const j = JSON.parse(riskfn([...args, '--json']).stdout);
    const m = risk.computeSeriesMetrics(samplePrices('eustock_SMI.csv'), { benchmark: samplePrices('eustock_DAX.csv') });
    assert.equal(j.stability, m.stability);
    for (const k of ['upCaptureRatio', 'downCaptureRatio', 'upBeta', 'downBeta'] as const) assert.equal(j.benchmark[k], m.benchmark?.[k], k);
    const text = riskfn(args).stdout;
    assert.match(text, /stability \(R² of log wealth trend\)\s+0\.9181/);
    assert.match(text, /up \/ down capture\s+0\.4363 \/ 0\.7622/);
    assert.match(text, /up \/ down beta\s+0\.5700 \/ 0\.7451/);
  });
});

describe('riskfn metrics --rolling N', () => {
  test('--json: one object with the dates and every series, null until the window is full', () => {
    const r = riskfn(['metrics', sample('eustock_SMI.csv'), '--rolling', '63', '--benchmark', sample('eustock_DAX.csv'), '--rf', '0.02', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const e = risk.rollingSeries(samplePrices('eustock_SMI.csv'), { window: 63, riskFree: 0.02, benchmark: samplePrices('eustock_DAX.csv') });
    assert.deepEqual(Object.keys(j), ['symbol', 'benchmarkSymbol', 'window', 'parameters', 'dates', 'volatility', 'var', 'sharpe', 'beta']);
    assert.deepEqual(j.parameters, { periodsPerYear: 252, confidence: 0.95, riskFree: 0.02, varMethod: 'historical' });
    assert.deepEqual(j.dates, e.dates);
    for (const k of ['volatility', 'var', 'sharpe', 'beta'] as const) {
      assert.deepEqual(
        j[k],
        Array.from(e[k] ?? [], (v) => (Number.isNaN(v) ? null : v)),
        k,
      );
    }
    assert.equal(j.volatility[61], null);
    assert.equal(typeof j.beta[62], 'number');
  });
  test('text: the last values and the range of each series', () => {
    const r = riskfn(['metrics', sample('eustock_SMI.csv'), '--rolling', '63', '--benchmark', sample('eustock_DAX.csv')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^eustock_SMI: rolling 63-return window, 1991-09-26 \.\. 1998-08-14 \(common dates\)/);
    assert.match(r.stdout, /Last value \(1998-08-14\)\n {2}volatility \(annualized\)\s+19\.71%/);
    assert.match(r.stdout, /beta to eustock_DAX\s+0\.7812\n/);
    assert.match(r.stdout, /volatility \(annualized\)\s+8\.37% \(1993-06-25\) \.\. 27\.04% \(1997-11-07\)/);
  });
  test('a window longer than the data is a data error (1); below 2 a usage error (2); one line each', () => {
    const long = riskfn(['metrics', sample('eustock_SMI.csv'), '--rolling', '5000']);
    assert.equal(long.status, 1);
    assert.equal(long.stderr, `riskfn metrics: ${sample('eustock_SMI.csv')} has 1859 returns; --rolling 5000 needs at least 5000\n`);
    const small = riskfn(['metrics', sample('eustock_SMI.csv'), '--rolling', '1']);
    assert.equal(small.status, 2);
    assert.equal(small.stderr.trim().split('\n').length, 1);
  });
});

/**
 * The risk commands of the `riskfn` CLI (metrics, portfolio, backtest): output, JSON keys,
 * one-line errors and exit codes. Commands run in-process with console captured; one test runs
 * the real bin/riskfn.js in a child process.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as metrics from '../../../bin/cli/commands/metrics.ts';
import * as portfolio from '../../../bin/cli/commands/portfolio.ts';
import * as backtest from '../../../bin/cli/commands/backtest.ts';
import { computeSeriesMetrics } from '../../../lib/domain/risk/index.ts';
import { samplePrices } from '../risk/approx.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sample = (f: string) => join(root, 'data/sample', f);

async function capture(t: TestContext, fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, 'log', (...a: unknown[]) => out.push(a.join(' ')));
  t.mock.method(console, 'error', (...a: unknown[]) => err.push(a.join(' ')));
  const code = await fn();
  t.mock.restoreAll();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('riskfn metrics', () => {
  test('--json prints the camelCase metric object of docs/metrics.md', async (t) => {
    const r = await capture(t, () => metrics.run([sample('eustock_DAX.csv'), '--json', '--confidence', '0.99', '--rf', '0.02']));
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    const expected = computeSeriesMetrics(samplePrices('eustock_DAX.csv'), { confidence: 0.99, riskFree: 0.02 });
    assert.equal(j.sharpeRatio, expected.sharpeRatio);
    assert.equal(j.historicalVar, expected.historicalVar);
    assert.equal(j.parameters.confidence, 0.99);
    assert.equal(j.maxDrawdownDetails.peakDate, '1992-05-25');
    assert.equal(j.benchmark, null);
    for (const k of Object.keys(j)) assert.match(k, /^[a-z][A-Za-z0-9]*$/);
  });
  test('the table shows the sections and values', async (t) => {
    const r = await capture(t, () => metrics.run([sample('eustock_DAX.csv'), '--benchmark', sample('eustock_FTSE.csv')]));
    assert.equal(r.code, 0);
    assert.match(r.out, /annualized return \(geometric\)\s+17\.86%/);
    assert.match(r.out, /max drawdown\s+22\.62%/);
    assert.match(r.out, /Relative to eustock_FTSE/);
    assert.match(r.out, /beta\s+0\.8234/);
  });
  test('OHLC files add the range-based estimators', async (t) => {
    const r = await capture(t, () => metrics.run([sample('xts_sample_ohlc.csv')]));
    assert.equal(r.code, 0);
    assert.match(r.out, /Yang-Zhang/);
  });
  test('a dated return file is accepted (wealth index from 1)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-cli-'));
    try {
      const f = join(dir, 'r.csv');
      writeFileSync(f, 'Date,Return\n2024-01-02,0.01\n2024-01-03,-0.02\n2024-01-04,0.015\n');
      const r = await capture(t, () => metrics.run([f, '--json']));
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.period.returns, 3);
      assert.equal(j.maxDrawdownDetails.troughDate, '2024-01-03');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
  test('a bad row is one line naming file, row and column; exit 1', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-cli-'));
    try {
      const f = join(dir, 'bad.csv');
      writeFileSync(f, 'Date,Close\n2024-01-02,100\n2024-01-03,-5\n2024-01-04,101\n');
      const r = await capture(t, () => metrics.run([f]));
      assert.equal(r.code, 1);
      assert.equal(r.err, `riskfn metrics: ${f}: row 3, column Close: price must be > 0, got -5`);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
  test('missing file and bad options', async (t) => {
    const a = await capture(t, () => metrics.run(['nope.csv']));
    assert.equal(a.code, 1);
    assert.equal(a.err, 'riskfn metrics: nope.csv: cannot read file (ENOENT)');
    const b = await capture(t, () => metrics.run([sample('eustock_DAX.csv'), '--confidence', '95']));
    assert.equal(b.code, 2);
    assert.match(b.err, /--confidence must be in \(0, 1\), got '95'/);
    assert.ok(!b.err.includes('\n'));
    const c = await capture(t, () => metrics.run([sample('eustock_DAX.csv'), '--bogus']));
    assert.equal(c.code, 2);
  });
});

describe('riskfn portfolio', () => {
  test('--json: components sum to the totals', async (t) => {
    const files = ['DAX', 'SMI', 'CAC'].map((n) => sample(`eustock_${n}.csv`));
    const r = await capture(t, () => portfolio.run([...files, '--weights', '0.5,0.3,0.2', '--json']));
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    const sum = (k: string) => j.assets.reduce((s: number, a: Record<string, number>) => s + a[k], 0);
    assert.ok(Math.abs(sum('gaussianComponentVar') - j.gaussianVar) < 1e-15);
    assert.ok(Math.abs(sum('historicalComponentVar') - j.historicalVar) < 1e-15);
    assert.equal(j.assets[0].symbol, 'eustock_DAX');
  });
  test('table with Ledoit-Wolf; wrong weight count is a usage error', async (t) => {
    const files = ['DAX', 'FTSE'].map((n) => sample(`eustock_${n}.csv`));
    const r = await capture(t, () => portfolio.run([...files, '--covariance', 'ledoit-wolf']));
    assert.equal(r.code, 0);
    assert.match(r.out, /ledoit-wolf \(shrinkage 0\.\d+\)/);
    const bad = await capture(t, () => portfolio.run([...files, '--weights', '1,2,3']));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--weights has 3 values for 2 files/);
  });
});

describe('riskfn backtest', () => {
  test('--json with exception dates and the Basel zone', async (t) => {
    const r = await capture(t, () => backtest.run([sample('eustock_DAX.csv'), '--json']));
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.observations, 1609);
    assert.equal(j.exceptionCount, j.exceptionDates.length);
    assert.equal(j.basel.observations, 250);
    assert.ok(['green', 'yellow', 'red'].includes(j.basel.zone));
  });
  test('table, and a window longer than the data is a usage error', async (t) => {
    const r = await capture(t, () => backtest.run([sample('eustock_DAX.csv'), '--method', 'ewma', '--confidence', '0.95', '--window', '100']));
    assert.equal(r.code, 0);
    assert.match(r.out, /Kupiec/);
    const bad = await capture(t, () => backtest.run([sample('xts_sample_ohlc.csv'), '--window', '500']));
    assert.equal(bad.code, 2);
    const m = await capture(t, () => backtest.run([sample('eustock_DAX.csv'), '--method', 'monte-carlo']));
    assert.equal(m.code, 2);
  });
});

test('bin/riskfn.js metrics runs as a process (what `npx riskfn` invokes)', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/riskfn.js'), 'metrics', 'data/sample/eustock_DAX.csv'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /eustock_DAX: 1991-07-01 \.\. 1998-08-14/);
  const bad = spawnSync(process.execPath, [join(root, 'bin/riskfn.js'), 'metrics', 'missing.csv'], { cwd: root, encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim(), 'riskfn metrics: missing.csv: cannot read file (ENOENT)');
});

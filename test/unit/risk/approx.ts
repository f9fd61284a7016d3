/**
 * Test helpers for the risk engine: relative-tolerance comparison (default 1e-9, the project's
 * bar) and the committed reference fixtures (made by test/fixtures/risk/make-reference-*.{R,py}).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePriceCsv } from '../../../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Relative tolerance used unless a test says why it needs another. */
const REL = 1e-9;

/** Largest relative difference seen (reported when RISK_TOL_REPORT is set). */
const worst = { rel: 0, label: '' };
if (process.env.RISK_TOL_REPORT) process.on('exit', () => console.log(`# worst relative difference ${worst.rel.toExponential(2)} (${worst.label})`));

/** |actual − expected| ≤ rel·|expected| (or ≤ abs when expected is 0). */
export function assertClose(actual: number | null | undefined, expected: number | null | undefined, label: string, rel = REL, abs = 1e-15): void {
  if (expected === null || expected === undefined) {
    assert.equal(actual ?? null, null, `${label}: expected null/undefined, got ${actual}`);
    return;
  }
  assert.equal(typeof actual, 'number', `${label}: expected a number near ${expected}, got ${actual}`);
  const a = actual as number;
  const tol = Math.max(rel * Math.abs(expected), abs);
  if (process.env.RISK_TOL_REPORT && expected !== 0) {
    const r = Math.abs(a - expected) / Math.abs(expected);
    if (r > worst.rel) Object.assign(worst, { rel: r, label });
  }
  assert.ok(
    Math.abs(a - expected) <= tol,
    `${label}: ${a} vs ${expected} (diff ${Math.abs(a - expected)}, rel ${Math.abs(a - expected) / Math.abs(expected)}, tol ${tol})`,
  );
}

/** Element-wise {@link assertClose}; null in `expected` means NaN (R's NA) in `actual`. */
export function assertAllClose(actual: ArrayLike<number>, expected: readonly (number | null)[], label: string, rel = REL): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e === null) assert.ok(Number.isNaN(actual[i]), `${label}[${i}]: expected NaN (NA), got ${actual[i]}`);
    else assertClose(actual[i], e, `${label}[${i}]`, rel);
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The R reference fixture. */
export const refR: any = JSON.parse(readFileSync(join(root, 'test/fixtures/risk/reference-r.json'), 'utf8'));
/** The numpy/scipy/pandas/sklearn reference fixture. */
export const refPy: any = JSON.parse(readFileSync(join(root, 'test/fixtures/risk/reference-py.json'), 'utf8'));

/** The up/down-market, stability and rolling-series fixture (numpy/scipy/pandas, empyrical transcribed). */
export const refCaptureRolling: any = JSON.parse(readFileSync(join(root, 'test/fixtures/risk/reference-capture-rolling.json'), 'utf8'));

/** A sample price file from data/sample/, parsed. */
export function samplePrices(file: string): PriceSeries {
  return parsePriceCsv(readFileSync(join(root, 'data/sample', file), 'utf8'), { source: file, symbol: file.replace(/\.csv$/, '') });
}

/** The reference numbers of one VaR backtest, as both fixture scripts write them. */
export interface BacktestReference {
  observations: number;
  exceptionCount: number;
  forecastsHead: number[];
  forecastsTail: number[];
  transitions: number[];
  lrUc: number;
  pUc: number;
  lrInd: number;
  pInd: number;
  lrCc: number;
  pCc: number;
}

/** Compares a backtest's counts, forecast ends, transition table and LR statistics with a reference. */
export function assertBacktestMatches(
  bt: {
    observations: number;
    exceptionCount: number;
    forecasts: Float64Array;
    kupiec: { statistic: number; pValue: number };
    christoffersen: {
      transitions: { n00: number; n01: number; n10: number; n11: number };
      independence: { statistic: number; pValue: number };
      conditionalCoverage: { statistic: number; pValue: number };
    };
  },
  ref: BacktestReference,
): void {
  assert.equal(bt.observations, ref.observations);
  assert.equal(bt.exceptionCount, ref.exceptionCount);
  assertAllClose(bt.forecasts.subarray(0, 5), ref.forecastsHead, 'forecast head');
  assertAllClose(bt.forecasts.subarray(bt.observations - 5), ref.forecastsTail, 'forecast tail');
  const t = bt.christoffersen.transitions;
  assert.deepEqual([t.n00, t.n01, t.n10, t.n11], ref.transitions);
  assertClose(bt.kupiec.statistic, ref.lrUc, 'LR_uc');
  assertClose(bt.kupiec.pValue, ref.pUc, 'p_uc');
  assertClose(bt.christoffersen.independence.statistic, ref.lrInd, 'LR_ind');
  assertClose(bt.christoffersen.independence.pValue, ref.pInd, 'p_ind');
  assertClose(bt.christoffersen.conditionalCoverage.statistic, ref.lrCc, 'LR_cc');
  assertClose(bt.christoffersen.conditionalCoverage.pValue, ref.pCc, 'p_cc');
}

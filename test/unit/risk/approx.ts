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
export const REL = 1e-9;

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
  assert.ok(Math.abs(a - expected) <= tol, `${label}: ${a} vs ${expected} (diff ${Math.abs(a - expected)}, rel ${Math.abs(a - expected) / Math.abs(expected)}, tol ${tol})`);
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

/** A sample price file from data/sample/, parsed. */
export function samplePrices(file: string): PriceSeries {
  return parsePriceCsv(readFileSync(join(root, 'data/sample', file), 'utf8'), { source: file, symbol: file.replace(/\.csv$/, '') });
}

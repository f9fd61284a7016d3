/**
 * The return that sits exactly at the type-7 quantile belongs to the historical ES tail for
 * every confidence, including those whose tail probability 1 − c is not a binary fraction
 * (0.9 and 0.8 give α = 0.0999…98 and 0.1999…96, which put h = (N−1)α one ulp below an integer).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as risk from '../../../lib/domain/risk/index.ts';
import { assertClose } from './approx.ts';

/** Strictly increasing, so the k-th order statistic is x[k]. */
const increasing = (n: number) => Array.from({ length: n }, (_, i) => -0.05 + i * 0.001 + (i % 3) * 0.0001);
const meanOf = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;

describe('type-7 position on an order statistic', () => {
  test('c = 0.9, N = 11: h = 10·0.1 = 1, VaR = −x₍₁₎ = 2%, ES = mean(5%, 2%) = 3.5%', () => {
    const r = [-0.05, -0.02, 0, 0.01, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09];
    assertClose(risk.historicalEs(r, 0.9), 0.035, 'es');
    assert.equal(risk.historicalVar(r, 0.9), 0.02);
  });

  test('c = 0.8, N = 6: h = 5·0.2 = 1, VaR = 2%, ES = 3.5%', () => {
    const r = [0.04, -0.02, 0.01, -0.05, 0.03, 0];
    assertClose(risk.historicalEs(r, 0.8), 0.035, 'es');
    assert.equal(risk.historicalVar(r, 0.8), 0.02);
  });

  test('every confidence 0.01…0.99 and N ≤ 201 with (N−1)(1−c) = k an integer: VaR = −x₍k₎, ES averages x₍0₎…x₍k₎', () => {
    let cases = 0;
    for (let pct = 1; pct < 100; pct++) {
      const c = pct / 100;
      for (let n = 2; n <= 201; n++) {
        if (((n - 1) * (100 - pct)) % 100 !== 0) continue;
        const k = ((n - 1) * (100 - pct)) / 100;
        const x = increasing(n);
        const label = `c = ${c}, N = ${n}, k = ${k}`;
        assertClose(risk.historicalEs(x, c), -meanOf(x.slice(0, k + 1)), `ES ${label}`);
        assert.equal(risk.historicalVar(x, c), -x[k], `VaR ${label}`);
        cases++;
      }
    }
    assert.equal(cases, 840);
  });

  test('rolling and portfolio historical VaR/ES use the same order statistic', () => {
    const x = [-0.05, -0.02, 0, 0.01, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09];
    const p = risk.historicalPortfolioVar([x], [1], { confidence: 0.9 });
    assertClose(p.es, 0.035, 'portfolio es');
    assert.equal(p.var, 0.02);
    assert.equal(risk.rollingVar(x, 11, { confidence: 0.9 })[10], 0.02);
  });

  test('a position that is genuinely between two order statistics still interpolates', () => {
    // N = 11, c = 0.95: h = 0.5 → halfway between x₍0₎ and x₍1₎
    const x = increasing(11);
    assertClose(risk.historicalVar(x, 0.95), -(x[0] + x[1]) / 2, 'var');
    assertClose(risk.historicalEs(x, 0.95), -x[0], 'es');
  });
});

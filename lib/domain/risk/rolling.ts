/**
 * Rolling-window versions of the metrics. Output arrays are as long as the input; the value at
 * index t is computed from the window of `window` returns ENDING AT t (inclusive), and is NaN for
 * t < window − 1 (not enough data yet), so a value never depends on later data. The historical
 * VaR keeps one sorted copy of the window and updates it by binary-search insert/delete (no
 * re-sort per step).
 */

import { beta } from './benchmark.ts';
import { DEFAULT_CONFIDENCE } from './defaults.ts';
import { normalPpf } from './distributions.ts';
import { InvalidParameterError, requireConfidence, requirePositiveInteger } from './errors.ts';
import { ewmaStartVariance, lambdaOf } from './ewma.ts';
import { moments, sampleStandardDeviation } from './moments.ts';
import { quantileSorted } from './quantile.ts';
import { sharpeRatio } from './ratios.ts';
import { type AnnualizationOptions, annualizeVolatility, periodsOf } from './returns.ts';
import { cornishFisherVar, gaussianVar } from './var.ts';

/** VaR methods for rolling estimates and backtests. */
export type VarMethod = 'historical' | 'gaussian' | 'cornish-fisher' | 'ewma';

/** The VaR methods, for argument validation. */
export const VAR_METHODS: readonly VarMethod[] = ['historical', 'gaussian', 'cornish-fisher', 'ewma'];

/** A fixed-capacity ascending multiset of numbers, updated in O(window) per step. */
class SortedWindow {
  readonly values: Float64Array;
  private count = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }
  get size(): number {
    return this.count;
  }
  /** The current contents, ascending (a view; valid until the next change). */
  view(): Float64Array {
    return this.values.subarray(0, this.count);
  }
  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.values[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(x: number): void {
    if (this.count === this.values.length) throw new Error('SortedWindow: full (remove before insert)');
    const i = this.lowerBound(x);
    this.values.copyWithin(i + 1, i, this.count);
    this.values[i] = x;
    this.count++;
  }
  remove(x: number): void {
    const i = this.lowerBound(x);
    if (i >= this.count || this.values[i] !== x) throw new Error(`SortedWindow: ${x} not present`);
    this.values.copyWithin(i, i + 1, this.count);
    this.count--;
  }
}

function checkWindow(window: number, min: number): void {
  requirePositiveInteger('window', window);
  if (window < min) throw new InvalidParameterError('window', window, `≥ ${min}`);
}

/**
 * Any window statistic at every index: `fn(view, t)` of x[t−w+1..t] (a zero-copy view, valid
 * during the call; `t` is the window's last index) for t ≥ first + w − 1, NaN before. `first`
 * skips leading entries that are not data (returns aligned with prices start with a NaN).
 */
export function rollingApply(x: Float64Array, window: number, fn: (window: Float64Array, end: number) => number, first = 0): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let t = first + window - 1; t < x.length; t++) out[t] = fn(x.subarray(t - window + 1, t + 1), t);
  return out;
}

/** Rolling annualised volatility: sd (ddof 1) of each window × √A, as `annualizedVolatility`. */
export function rollingVolatility(returns: ArrayLike<number>, window: number, opts?: AnnualizationOptions): Float64Array {
  checkWindow(window, 2);
  const a = periodsOf(opts);
  return rollingApply(Float64Array.from(returns), window, (w) => annualizeVolatility(sampleStandardDeviation(moments(w)), a));
}

/** Options of {@link rollingSharpe}. */
export interface RollingSharpeOptions extends AnnualizationOptions {
  /** Annual risk-free rate (default 0), converted to per period geometrically. */
  riskFree?: number;
}

/**
 * Rolling annualised Sharpe ratio √A·mean(r − rf_p)/sd(r) of each window (ddof 1), as
 * `sharpeRatio` — quantstats `rolling_sharpe`. NaN where the window's volatility is 0.
 */
export function rollingSharpe(returns: ArrayLike<number>, window: number, opts?: RollingSharpeOptions): Float64Array {
  checkWindow(window, 2);
  const ratioOpts = { periodsPerYear: periodsOf(opts), riskFree: opts?.riskFree ?? 0 };
  return rollingApply(Float64Array.from(returns), window, (w) => sharpeRatio(w, ratioOpts) ?? Number.NaN);
}

/**
 * Rolling beta cov(r, b)/var(b) of each window of aligned returns and benchmark returns, as
 * `beta` — empyrical `roll_beta`. NaN where the benchmark is constant in the window.
 */
export function rollingBeta(returns: ArrayLike<number>, benchmark: ArrayLike<number>, window: number): Float64Array {
  checkWindow(window, 2);
  if (returns.length !== benchmark.length) {
    throw new InvalidParameterError('benchmark length', benchmark.length, `equal to the series length ${returns.length} (align them first)`);
  }
  const b = Float64Array.from(benchmark);
  return rollingApply(Float64Array.from(returns), window, (w, end) => beta(w, b.subarray(end - window + 1, end + 1)) ?? Number.NaN);
}

/** Options of {@link rollingVar}. */
export interface RollingVarOptions {
  confidence?: number;
  method?: VarMethod;
  /** EWMA decay for `method: 'ewma'` (default 0.94). */
  lambda?: number;
}

/**
 * Rolling one-period VaR (positive loss fraction) by `method`, from the window ending at t:
 * historical = type-7 quantile; gaussian / cornish-fisher = the single-series formulas on the
 * window; ewma = −Φ⁻¹(α)·σₜ₊₁ (zero mean), σ² the RiskMetrics recursion started from the backcast
 * of the first min(75, window) returns and run through t (so only data up to t is used).
 */
export function rollingVar(returns: ArrayLike<number>, window: number, opts?: RollingVarOptions): Float64Array {
  const method = opts?.method ?? 'historical';
  if (!VAR_METHODS.includes(method)) throw new InvalidParameterError('method', method, VAR_METHODS.join(' | '));
  checkWindow(window, method === 'historical' || method === 'ewma' ? 1 : 2);
  const confidence = opts?.confidence ?? DEFAULT_CONFIDENCE;
  requireConfidence(confidence);
  const n = returns.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (n < window) return out;
  const alpha = 1 - confidence;
  if (method === 'historical') {
    const w = new SortedWindow(window);
    for (let t = 0; t < n; t++) {
      if (t >= window) w.remove(returns[t - window]);
      w.insert(returns[t]);
      if (t >= window - 1) out[t] = -quantileSorted(w.view(), alpha);
    }
    return out;
  }
  if (method === 'ewma') {
    const lambda = lambdaOf(opts);
    const z = -normalPpf(alpha);
    let v = ewmaStartVariance(Float64Array.from(returns).subarray(0, window), lambda);
    for (let t = 0; t < n; t++) {
      v = lambda * v + (1 - lambda) * returns[t] * returns[t];
      if (t >= window - 1) out[t] = z * Math.sqrt(v);
    }
    return out;
  }
  const f = method === 'gaussian' ? gaussianVar : cornishFisherVar;
  return rollingApply(Float64Array.from(returns), window, (w) => f(w, confidence));
}

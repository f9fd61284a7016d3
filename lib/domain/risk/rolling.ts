/**
 * Rolling-window versions of volatility and VaR. Output arrays are as long as the input; the
 * value at index t is computed from the window of `window` returns ENDING AT t (inclusive), and
 * is NaN for t < window − 1 (not enough data yet). The historical VaR keeps one sorted copy of the
 * window and updates it by binary-search insert/delete (no re-sort per step).
 */
import { InvalidParameterError, requireConfidence, requirePositiveInteger } from './errors.ts';
import { normalPpf } from './distributions.ts';
import { ewmaStartVariance, lambdaOf } from './ewma.ts';
import { moments } from './moments.ts';
import { quantileSorted } from './quantile.ts';
import { TRADING_DAYS_PER_YEAR } from './returns.ts';
import { cornishFisherVar, DEFAULT_CONFIDENCE, gaussianVar } from './var.ts';

/** VaR methods for rolling estimates and backtests. */
export type VarMethod = 'historical' | 'gaussian' | 'cornish-fisher' | 'ewma';

/** The VaR methods, for argument validation. */
export const VAR_METHODS: readonly VarMethod[] = ['historical', 'gaussian', 'cornish-fisher', 'ewma'];

/** A fixed-capacity ascending multiset of numbers, updated in O(window) per step. */
export class SortedWindow {
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

/** Rolling annualised volatility: sd (ddof 1) of each window × √A. */
export function rollingVolatility(returns: ArrayLike<number>, window: number, opts?: { periodsPerYear?: number }): Float64Array {
  checkWindow(window, 2);
  const a = opts?.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  const n = returns.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const src = Float64Array.from(returns);
  for (let t = window - 1; t < n; t++) {
    const m = moments(src.subarray(t - window + 1, t + 1));
    out[t] = Math.sqrt(((m.m2 * window) / (window - 1)) * a);
  }
  return out;
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
  const src = Float64Array.from(returns);
  const f = method === 'gaussian' ? gaussianVar : cornishFisherVar;
  for (let t = window - 1; t < n; t++) {
    const win = src.subarray(t - window + 1, t + 1);
    out[t] = f(win, confidence, { moments: moments(win) });
  }
  return out;
}

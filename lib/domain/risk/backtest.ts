/**
 * VaR backtesting: a rolling one-period VaR forecast against the next period's realised return.
 *
 * Forecast for period t uses returns t−window … t−1 only; an EXCEPTION is rₜ < −VaRₜ (strict, as
 * rugarch `VaRTest`: actual < VaR quantile). On the 0/1 exception series (T forecasts, x
 * exceptions, p = 1 − confidence):
 * - Kupiec unconditional coverage LR_uc, χ²(1);
 * - Christoffersen independence LR_ind over the T−1 transitions, χ²(1), and conditional
 *   coverage LR_cc = LR_uc + LR_ind, χ²(2);
 * all in log space with 0·log 0 = 0, so zero exceptions or a lone exception in the last row give
 * finite statistics (rugarch crashes on the first and underflows to NaN for large T).
 * p-values are chi-square survival functions; "reject" means p < significance (default 0.05).
 */

import { binomialCdf, chiSquareSf } from './distributions.ts';
import { InvalidParameterError, requireConfidence, requirePositiveInteger } from './errors.ts';
import { rollingVar, VAR_METHODS, type VarMethod } from './rolling.ts';

/** x·ln(y) with 0·ln(anything) = 0. */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/** A likelihood-ratio test outcome. */
export interface LrTest {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** pValue < significance. */
  reject: boolean;
}

function lr(statistic: number, df: number, significance: number): LrTest {
  const s = Math.max(0, statistic); // rounding can leave −1e-15 for a perfect fit
  const pValue = chiSquareSf(s, df);
  return { statistic: s, degreesOfFreedom: df, pValue, reject: pValue < significance };
}

/**
 * Kupiec (1995) proportion-of-failures test:
 * LR_uc = −2[(T−x)ln(1−p) + x ln p − (T−x)ln(1−x/T) − x ln(x/T)], χ²(1).
 */
export function kupiecTest(exceptions: number, observations: number, confidence: number, significance = 0.05): LrTest {
  requireConfidence(confidence);
  if (!(Number.isInteger(observations) && observations > 0)) throw new InvalidParameterError('observations', observations, 'a positive integer');
  if (!(Number.isInteger(exceptions) && exceptions >= 0 && exceptions <= observations)) {
    throw new InvalidParameterError('exceptions', exceptions, `an integer in [0, ${observations}]`);
  }
  const t = observations;
  const x = exceptions;
  const p = 1 - confidence;
  const ll0 = xlogy(t - x, 1 - p) + xlogy(x, p);
  const ll1 = xlogy(t - x, 1 - x / t) + xlogy(x, x / t);
  return lr(-2 * (ll0 - ll1), 1, significance);
}

/** Transition counts nᵢⱼ = #{t ≥ 1 : Iₜ₋₁ = i, Iₜ = j}. */
export interface Transitions {
  n00: number;
  n01: number;
  n10: number;
  n11: number;
}

/** Counts the transitions of a 0/1 exception series. */
function exceptionTransitions(exceptions: ArrayLike<number>): Transitions {
  const c = { n00: 0, n01: 0, n10: 0, n11: 0 };
  for (let t = 1; t < exceptions.length; t++) {
    const a = exceptions[t - 1] ? 1 : 0;
    const b = exceptions[t] ? 1 : 0;
    if (a === 0) b === 0 ? c.n00++ : c.n01++;
    else b === 0 ? c.n10++ : c.n11++;
  }
  return c;
}

/** Result of {@link christoffersenTest}. */
export interface ChristoffersenResult {
  transitions: Transitions;
  independence: LrTest;
  conditionalCoverage: LrTest;
  unconditionalCoverage: LrTest;
}

/**
 * Christoffersen (1998) independence and conditional-coverage tests on a 0/1 exception series:
 * π₀₁ = n₀₁/(n₀₀+n₀₁), π₁₁ = n₁₁/(n₁₀+n₁₁), π = (n₀₁+n₁₁)/(T−1);
 * LR_ind = −2[(n₀₀+n₁₀)ln(1−π) + (n₀₁+n₁₁)ln π − n₀₀ln(1−π₀₁) − n₀₁ln π₀₁ − n₁₀ln(1−π₁₁) − n₁₁ln π₁₁],
 * LR_cc = LR_uc + LR_ind (rugarch `LR.cc.test`).
 */
export function christoffersenTest(exceptions: ArrayLike<number>, confidence: number, significance = 0.05): ChristoffersenResult {
  requireConfidence(confidence);
  const t = exceptions.length;
  if (t < 2) throw new InvalidParameterError('observations', t, 'at least 2');
  let x = 0;
  for (let i = 0; i < t; i++) if (exceptions[i]) x++;
  const tr = exceptionTransitions(exceptions);
  const { n00, n01, n10, n11 } = tr;
  const pi01 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi11 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const pi = (n01 + n11) / (t - 1);
  const ll0 = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const ll1 = xlogy(n00, 1 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1 - pi11) + xlogy(n11, pi11);
  const independence = lr(-2 * (ll0 - ll1), 1, significance);
  const uc = kupiecTest(x, t, confidence, significance);
  return {
    transitions: tr,
    independence,
    unconditionalCoverage: uc,
    conditionalCoverage: lr(uc.statistic + independence.statistic, 2, significance),
  };
}

/** Basel traffic-light zone. */
export type BaselZone = 'green' | 'yellow' | 'red';

/** Result of {@link baselTrafficLight}. */
export interface BaselResult {
  zone: BaselZone;
  exceptions: number;
  observations: number;
  /** P(X ≤ exceptions), X ~ Binomial(observations, 1 − confidence). */
  cumulativeProbability: number;
  /** Increase of the ×3 capital multiplier (BCBS 1996 table); null unless 250 observations at 99%. */
  plusFactor: number | null;
  /** 3 + plusFactor, or null. */
  multiplier: number | null;
}

/** BCBS (1996) plus factors for 250 observations of a 99% VaR, by exception count (index ≥ 10 → 1). */
const BASEL_PLUS_FACTORS: readonly number[] = [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85, 1];

/**
 * Basel traffic light: green while P(X ≤ k) < 95%, yellow while < 99.99%, red above (the BCBS
 * boundaries for 250 days at 99% — green 0–4, yellow 5–9, red ≥ 10 — generalised as MathWorks
 * `varbacktest.tl` does). The plus factor is the BCBS table, defined only for 250 days at 99%.
 */
export function baselTrafficLight(exceptions: number, observations = 250, confidence = 0.99): BaselResult {
  requireConfidence(confidence);
  requirePositiveInteger('observations', observations);
  const cdf = binomialCdf(exceptions, observations, 1 - confidence);
  const zone: BaselZone = cdf < 0.95 ? 'green' : cdf < 0.9999 ? 'yellow' : 'red';
  const standard = observations === 250 && Math.abs(confidence - 0.99) < 1e-12;
  const plusFactor = standard ? BASEL_PLUS_FACTORS[Math.min(exceptions, 10)] : null;
  return {
    zone,
    exceptions,
    observations,
    cumulativeProbability: cdf,
    plusFactor,
    multiplier: plusFactor === null ? null : 3 + plusFactor,
  };
}

/** Options of {@link backtestVar}. */
export interface VarBacktestOptions {
  /** Estimation window in periods (default 250). */
  window?: number;
  /** VaR confidence (default 0.99 — the Basel backtest level). */
  confidence?: number;
  /** Forecast method (default 'historical'). */
  method?: VarMethod;
  /** EWMA decay for 'ewma' (default 0.94). */
  lambda?: number;
  /** Test size for the reject flags (default 0.05). */
  significance?: number;
}

/** Result of {@link backtestVar}. */
export interface VarBacktestResult {
  method: VarMethod;
  window: number;
  confidence: number;
  /** Number of forecasts T = N − window. */
  observations: number;
  /** Index into the input returns of the first forecast period (= window). */
  firstIndex: number;
  /** VaRₜ forecasts (positive loss fractions), one per forecast period. */
  forecasts: Float64Array;
  /** 1 where rₜ < −VaRₜ. */
  exceptions: Uint8Array;
  exceptionCount: number;
  /** (1 − confidence)·T (rugarch prints ⌊(1 − confidence)·T⌋). */
  expectedExceptions: number;
  exceptionRate: number;
  kupiec: LrTest;
  christoffersen: ChristoffersenResult;
  /** Traffic light over the last min(250, T) forecasts. */
  basel: BaselResult;
}

/**
 * Backtests a rolling VaR forecast on a return series (see the module doc). Needs more than
 * `window` + 1 returns.
 */
export function backtestVar(returns: ArrayLike<number>, opts?: VarBacktestOptions): VarBacktestResult {
  const window = opts?.window ?? 250;
  const confidence = opts?.confidence ?? 0.99;
  const method = opts?.method ?? 'historical';
  const significance = opts?.significance ?? 0.05;
  requirePositiveInteger('window', window);
  requireConfidence(confidence);
  if (!VAR_METHODS.includes(method)) throw new InvalidParameterError('method', method, VAR_METHODS.join(' | '));
  const n = returns.length;
  if (n < window + 2) throw new InvalidParameterError('returns', n, `more than window + 1 = ${window + 1} returns`);
  const rv = rollingVar(returns, window, { confidence, method, lambda: opts?.lambda });
  const t = n - window;
  const forecasts = new Float64Array(t);
  const exceptions = new Uint8Array(t);
  let x = 0;
  for (let k = 0; k < t; k++) {
    forecasts[k] = rv[window - 1 + k];
    if (returns[window + k] < -forecasts[k]) {
      exceptions[k] = 1;
      x++;
    }
  }
  const last = Math.min(250, t);
  let xLast = 0;
  for (let k = t - last; k < t; k++) xLast += exceptions[k];
  return {
    method,
    window,
    confidence,
    observations: t,
    firstIndex: window,
    forecasts,
    exceptions,
    exceptionCount: x,
    expectedExceptions: (1 - confidence) * t,
    exceptionRate: x / t,
    kupiec: kupiecTest(x, t, confidence, significance),
    christoffersen: christoffersenTest(exceptions, confidence, significance),
    basel: baselTrafficLight(xLast, last, confidence),
  };
}

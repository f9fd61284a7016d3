/**
 * Portfolio risk of weighted positions.
 *
 * Alignment: price series are INNER-JOINED on their dates (a date missing from any series is
 * dropped from all), then simple returns are taken over consecutive common dates — so a return
 * may span a holiday of another market. Portfolio return rₚ,ₜ = Σ wᵢ rᵢ,ₜ (weights held constant,
 * i.e. rebalanced every period). Weights are fractions of capital and are used as given (they
 * need not sum to 1; negative = short).
 *
 * VaR/ES are positive loss fractions of capital per period (× horizon by √-time for the
 * parametric ones). Marginal VaR is ∂VaR/∂wᵢ and component VaR wᵢ·∂VaR/∂wᵢ; because VaR is
 * homogeneous of degree 1 in w, the components sum to the total (Euler allocation).
 */
import type { PriceSeries } from '../prices/price-series.ts';
import { type CovarianceMatrix, type ReturnColumns, shapeOf } from './covariance.ts';
import { DEFAULT_CONFIDENCE } from './defaults.ts';
import { normalPdf, normalPpf } from './distributions.ts';
import { InvalidParameterError, requireConfidence } from './errors.ts';
import { quantilePosition, quantileSorted } from './quantile.ts';
import { safeRatio } from './ratios.ts';
import { type AnnualizationOptions, annualizeVolatility, periodsOf, simpleReturns } from './returns.ts';

/** Price series aligned on their common dates. */
export interface AlignedPrices {
  dates: string[];
  /** prices[i][t]: series i's `close` on dates[t]. */
  prices: Float64Array[];
}

/** Aligned simple returns; `dates[t]` is the END date of return t. */
export interface AlignedReturns {
  /** The common dates of the prices (one more than the returns; `priceDates[0]` starts return 0). */
  priceDates: string[];
  dates: string[];
  columns: Float64Array[];
}

/** Inner join of several price series on their dates (each must be ascending and unique). */
export function alignPriceSeries(series: readonly PriceSeries[]): AlignedPrices {
  if (series.length === 0) throw new InvalidParameterError('series', 0, 'at least one price series');
  let common = new Set(series[0].dates);
  for (let i = 1; i < series.length; i++) {
    const next = new Set<string>();
    for (const d of series[i].dates) if (common.has(d)) next.add(d);
    common = next;
  }
  const dates = series[0].dates.filter((d) => common.has(d));
  const prices = series.map((s) => {
    const out = new Float64Array(dates.length);
    let k = 0;
    for (let t = 0; t < s.dates.length && k < dates.length; t++) if (s.dates[t] === dates[k]) out[k++] = s.close[t];
    return out;
  });
  return { dates, prices };
}

/**
 * Aligned simple returns of several price series (inner join first, then returns). Series with
 * fewer than 2 dates in common give no returns (empty columns): the caller says how many it needs.
 */
export function alignedReturns(series: readonly PriceSeries[]): AlignedReturns {
  const a = alignPriceSeries(series);
  const columns = a.dates.length < 2 ? a.prices.map(() => new Float64Array(0)) : a.prices.map((p) => simpleReturns(p));
  return { priceDates: a.dates, dates: a.dates.slice(1), columns };
}

function checkWeights(weights: ArrayLike<number>, p: number): void {
  if (weights.length !== p) throw new InvalidParameterError('weights', weights.length, `one weight per asset (${p})`);
  for (let i = 0; i < p; i++) {
    if (!Number.isFinite(weights[i])) throw new InvalidParameterError(`weight ${i}`, weights[i], 'a finite number');
  }
}

/** Portfolio returns Σ wᵢ rᵢ,ₜ. */
function portfolioReturns(columns: ReturnColumns, weights: ArrayLike<number>): Float64Array {
  const [p, t] = shapeOf(columns, 'portfolioReturns', 1);
  checkWeights(weights, p);
  const out = new Float64Array(t);
  for (let i = 0; i < p; i++) {
    const w = weights[i];
    const c = columns[i];
    for (let k = 0; k < t; k++) out[k] += w * c[k];
  }
  return out;
}

/** Σw (the covariance-weighted exposure vector). */
function covTimes(cov: CovarianceMatrix, w: ArrayLike<number>): Float64Array {
  const p = cov.size;
  const out = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    const row = i * p;
    for (let j = 0; j < p; j++) s += cov.data[row + j] * w[j];
    out[i] = s;
  }
  return out;
}

/** Per-period portfolio standard deviation √(wᵀΣw). */
function portfolioStdDev(weights: ArrayLike<number>, cov: CovarianceMatrix): number {
  checkWeights(weights, cov.size);
  const sw = covTimes(cov, weights);
  let v = 0;
  for (let i = 0; i < cov.size; i++) v += weights[i] * sw[i];
  return Math.sqrt(Math.max(0, v));
}

/** Annualised portfolio volatility √(wᵀΣw)·√A, Σ the per-period covariance. */
export function portfolioVolatility(weights: ArrayLike<number>, cov: CovarianceMatrix, opts?: AnnualizationOptions): number {
  return annualizeVolatility(portfolioStdDev(weights, cov), periodsOf(opts));
}

/**
 * Diversification ratio Σ wᵢσᵢ / σₚ (Choueifaty–Coignard): 1 for a single asset or perfectly
 * correlated assets, larger with diversification. Null if σₚ = 0.
 */
export function diversificationRatio(weights: ArrayLike<number>, cov: CovarianceMatrix): number | null {
  const sp = portfolioStdDev(weights, cov);
  let s = 0;
  for (let i = 0; i < cov.size; i++) s += weights[i] * Math.sqrt(cov.data[i * cov.size + i]);
  return safeRatio(s, sp);
}

/** VaR/ES of a portfolio with its Euler decomposition. */
export interface PortfolioVarResult {
  confidence: number;
  /** Total VaR, positive loss fraction of capital. */
  var: number;
  /** Total ES, positive loss fraction (≥ var). */
  es: number;
  /** ∂VaR/∂wᵢ. */
  marginalVar: Float64Array;
  /** wᵢ·∂VaR/∂wᵢ; sums to `var`. */
  componentVar: Float64Array;
  /** wᵢ·∂ES/∂wᵢ; sums to `es`. */
  componentEs: Float64Array;
}

/** Options of the parametric portfolio VaR. */
export interface GaussianPortfolioOptions {
  confidence?: number;
  /** Per-period mean return of each asset (default: zero means). */
  means?: ArrayLike<number>;
  /** Horizon in periods (√-time rule; default 1). */
  horizon?: number;
}

/**
 * Gaussian (delta-normal) portfolio VaR and ES from a per-period covariance matrix Σ and means μ:
 * VaR = −wᵀμH + z·σₚ√H, ES = −wᵀμH + φ(z)/α·σₚ√H, z = −Φ⁻¹(α), σₚ = √(wᵀΣw);
 * marginal VaRᵢ = −μᵢH + z√H·(Σw)ᵢ/σₚ (PerformanceAnalytics `VaR(portfolio_method="component",
 * method="gaussian")`, which uses mean returns and `cov()`, ddof 1).
 */
export function gaussianPortfolioVar(weights: ArrayLike<number>, cov: CovarianceMatrix, opts?: GaussianPortfolioOptions): PortfolioVarResult {
  const p = cov.size;
  checkWeights(weights, p);
  const confidence = opts?.confidence ?? DEFAULT_CONFIDENCE;
  requireConfidence(confidence);
  const h = opts?.horizon ?? 1;
  if (!(h > 0)) throw new InvalidParameterError('horizon', h, 'a positive number of periods');
  const mu = opts?.means;
  if (mu && mu.length !== p) throw new InvalidParameterError('means', mu.length, `one mean per asset (${p})`);
  const alpha = 1 - confidence;
  const z = -normalPpf(alpha);
  const k = normalPdf(z) / alpha;
  const sw = covTimes(cov, weights);
  let v = 0;
  for (let i = 0; i < p; i++) v += weights[i] * sw[i];
  const sp = Math.sqrt(Math.max(0, v));
  const sh = Math.sqrt(h);
  const marginalVar = new Float64Array(p);
  const componentVar = new Float64Array(p);
  const componentEs = new Float64Array(p);
  let mean = 0;
  for (let i = 0; i < p; i++) {
    const m = mu ? -mu[i] * h : 0;
    if (mu) mean += weights[i] * mu[i];
    // σₚ = 0 (riskless mix): the volatility term has no gradient; only the means contribute.
    const d = sp > 0 ? (sw[i] / sp) * sh : 0;
    marginalVar[i] = m + z * d;
    componentVar[i] = weights[i] * marginalVar[i];
    componentEs[i] = weights[i] * (m + k * d);
  }
  // Totals from the closed form; the components sum to them up to rounding.
  return { confidence, var: -mean * h + z * sp * sh, es: -mean * h + k * sp * sh, marginalVar, componentVar, componentEs };
}

/**
 * Historical portfolio VaR and ES on the portfolio return series (type-7 quantile, ES = mean of
 * returns ≤ the quantile, as the single-series measures), decomposed by scenario: with
 * VaR = −[(1−f)·r₍lo₎ + f·r₍hi₎], component VaRᵢ = −wᵢ[(1−f)·Rᵢ,lo + f·Rᵢ,hi] (the assets' returns in
 * the two scenarios that set the quantile; tied scenarios are averaged), component ESᵢ = −wᵢ·mean
 * of Rᵢ over the tail scenarios. Both sum to their totals; marginal VaRᵢ = −[(1−f)·Rᵢ,lo + f·Rᵢ,hi].
 */
export function historicalPortfolioVar(columns: ReturnColumns, weights: ArrayLike<number>, opts?: { confidence?: number }): PortfolioVarResult {
  const [p, t] = shapeOf(columns, 'historicalPortfolioVar', 1);
  const confidence = opts?.confidence ?? DEFAULT_CONFIDENCE;
  requireConfidence(confidence);
  const rp = portfolioReturns(columns, weights);
  const sorted = Float64Array.from(rp).sort();
  const { lo, hi, weight: f } = quantilePosition(t, 1 - confidence);
  const qLo = sorted[lo];
  const qHi = sorted[hi];
  const q = quantileSorted(sorted, 1 - confidence);
  const avgAt = (value: number): Float64Array => {
    const s = new Float64Array(p);
    let c = 0;
    for (let k = 0; k < t; k++) {
      if (rp[k] !== value) continue;
      c++;
      for (let i = 0; i < p; i++) s[i] += columns[i][k];
    }
    for (let i = 0; i < p; i++) s[i] /= c;
    return s;
  };
  const aLo = avgAt(qLo);
  const aHi = f === 0 ? aLo : avgAt(qHi);
  const tail = new Float64Array(p);
  let nTail = 0;
  let tailSum = 0;
  for (let k = 0; k < t; k++) {
    if (rp[k] > q) continue;
    nTail++;
    tailSum += rp[k];
    for (let i = 0; i < p; i++) tail[i] += columns[i][k];
  }
  const marginalVar = new Float64Array(p);
  const componentVar = new Float64Array(p);
  const componentEs = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    marginalVar[i] = -((1 - f) * aLo[i] + f * aHi[i]);
    componentVar[i] = weights[i] * marginalVar[i];
    componentEs[i] = (-weights[i] * tail[i]) / nTail;
  }
  return { confidence, var: -q, es: -tailSum / nTail, marginalVar, componentVar, componentEs };
}

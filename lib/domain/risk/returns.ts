/**
 * Returns from prices, compounding and the risk-free-rate conversion.
 *
 * Conventions: returns are simple per-period returns rₜ = Pₜ/Pₜ₋₁ − 1 unless a function says
 * "log"; the return at index i (0-based) spans price i to price i+1, so N prices give N−1
 * returns. Rates given "per year" are converted to per period geometrically:
 * r_p = (1 + r_annual)^(1/A) − 1 (quantstats' convention; empyrical expects per-period input).
 */
import { InsufficientDataError, InvalidParameterError, requireLength } from './errors.ts';

/**
 * The annualisation factor of daily data: trading days per year, the periods-per-year A every
 * annualised figure uses unless told otherwise (empyrical `APPROX_BDAYS_PER_YEAR`; TTR uses 260).
 */
export const TRADING_DAYS_PER_YEAR = 252;

/** Simple returns Pₜ/Pₜ₋₁ − 1 (length N−1). Prices must be finite and > 0. */
export function simpleReturns(prices: ArrayLike<number>): Float64Array {
  requireLength('simpleReturns', prices, 2);
  const n = prices.length - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = prices[i + 1] / prices[i] - 1;
  return out;
}

/** Log returns ln(Pₜ/Pₜ₋₁) (length N−1). */
export function logReturns(prices: ArrayLike<number>): Float64Array {
  requireLength('logReturns', prices, 2);
  const n = prices.length - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.log(prices[i + 1] / prices[i]);
  return out;
}

/** Growth factor ∏(1 + rᵢ) (1 for an empty series). */
function growthFactor(returns: ArrayLike<number>): number {
  let g = 1;
  for (let i = 0; i < returns.length; i++) g *= 1 + returns[i];
  return g;
}

/** Options shared by annualised metrics. */
export interface AnnualizationOptions {
  /** Periods per year A (252 for daily data, 52 weekly, 12 monthly). */
  periodsPerYear?: number;
}

/**
 * Annualises a per-period volatility (any standard-deviation-like figure): σ·√A. The one
 * square-root-of-time annualisation of the engine and of the model features.
 */
export function annualizeVolatility(perPeriod: number, periodsPerYear: number = TRADING_DAYS_PER_YEAR): number {
  return perPeriod * Math.sqrt(periodsPerYear);
}

/** @internal The validated A of the options (default {@link TRADING_DAYS_PER_YEAR}). */
export function periodsOf(opts?: AnnualizationOptions): number {
  const a = opts?.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  if (!(a > 0 && Number.isFinite(a))) throw new InvalidParameterError('periodsPerYear', a, 'a positive number');
  return a;
}

/**
 * Annualised geometric return (CAGR) (∏(1 + rᵢ))^(A/N) − 1, as empyrical `annual_return` and
 * PerformanceAnalytics `Return.annualized(geometric=TRUE)`. Unlike quantstats `cagr` there is no
 * `abs()`: a total loss beyond −100% cannot occur with positive prices.
 */
export function annualizedReturn(returns: ArrayLike<number>, opts?: AnnualizationOptions): number {
  if (returns.length === 0) throw new InsufficientDataError('annualizedReturn', 1, 0);
  return annualizeGrowth(growthFactor(returns), returns.length, periodsOf(opts));
}

/** @internal (growth)^(A/N) − 1. */
export function annualizeGrowth(growth: number, n: number, periodsPerYear: number): number {
  return growth ** (periodsPerYear / n) - 1;
}

/** Converts an annual rate to a per-period rate geometrically: (1 + r)^(1/A) − 1. */
export function perPeriodRate(annualRate: number, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  if (!(annualRate > -1)) throw new InvalidParameterError('annual rate', annualRate, '> −1');
  return annualRate === 0 ? 0 : (1 + annualRate) ** (1 / periodsPerYear) - 1;
}

/**
 * The rolling series a report plots — volatility, VaR, Sharpe ratio and beta — for one price
 * series on one date axis, from the single-metric rolling functions of rolling.ts.
 */
import type { PriceSeries } from '../prices/price-series.ts';
import { DEFAULT_CONFIDENCE } from './defaults.ts';
import { InsufficientDataError, requireConfidence } from './errors.ts';
import { alignPriceSeries } from './portfolio.ts';
import { periodsOf, simpleReturns } from './returns.ts';
import { rollingBeta, rollingSharpe, rollingVar, rollingVolatility, type VarMethod } from './rolling.ts';

/** Options of {@link rollingSeries}. */
export interface RollingSeriesOptions {
  /** Window length in RETURNS (an integer ≥ 2), e.g. 63 for about a quarter of daily data. */
  window: number;
  /** VaR confidence c (default 0.95); the VaR is one-period. */
  confidence?: number;
  /** VaR method (default `'historical'`, the type-7 quantile). */
  varMethod?: VarMethod;
  /** Periods per year A (default 252), for the annualised volatility and Sharpe ratio. */
  periodsPerYear?: number;
  /** Annual risk-free rate for the Sharpe ratio (default 0), per period (1+rf)^(1/A) − 1. */
  riskFree?: number;
  /**
   * Benchmark prices. Adds `beta`, and then BOTH series are inner-joined on their dates first (as
   * for the benchmark metrics), so every array is on the common dates.
   */
  benchmark?: PriceSeries;
}

/** Result of {@link rollingSeries}: arrays aligned with `dates`, NaN (null in JSON) until the window is full. */
export interface RollingSeries {
  symbol: string | null;
  /** The benchmark's symbol; null without a benchmark (or when it has none). */
  benchmarkSymbol: string | null;
  /** Window length in returns. */
  window: number;
  /** The values actually used. */
  parameters: { periodsPerYear: number; confidence: number; riskFree: number; varMethod: VarMethod };
  /** The date of each return: the date of the price it ends at (price dates from the second one on). */
  dates: string[];
  /** Annualised volatility sd(r, ddof 1)·√A of the window (fraction: 0.2 = 20 %). */
  volatility: Float64Array;
  /** One-period VaR at `confidence`, a positive loss fraction, from the window ending at the date. */
  var: Float64Array;
  /** Annualised Sharpe ratio √A·mean(r − rf_p)/sd(r); NaN also where the window's volatility is 0. */
  sharpe: Float64Array;
  /** Beta cov(r, b)/var(b) against the benchmark; null without a benchmark; NaN where b is constant in the window. */
  beta: Float64Array | null;
}

/**
 * Rolling volatility, VaR, Sharpe ratio and (with a benchmark) beta of a price series, on simple
 * returns of `close`. Element t of every array is computed from the `window` returns ending at
 * `dates[t]` inclusive — never from later data — and is NaN for t < window − 1. So `var[t]` is the
 * VaR forecast for the NEXT period, the forecast `backtestVar` compares with return t + 1.
 * A series with fewer than `window` returns gives arrays of NaN only (callers say why nothing is
 * plotted); fewer than 2 prices (or common dates with the benchmark) is an `InsufficientDataError`.
 * @example
 * const s = rollingSeries(prices, { window: 63, benchmark: dax });
 * s.dates[62]; s.volatility[62]; s.beta?.[62] // the first full window
 */
export function rollingSeries(series: PriceSeries, opts: RollingSeriesOptions): RollingSeries {
  const periodsPerYear = periodsOf(opts);
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  requireConfidence(confidence);
  const riskFree = opts.riskFree ?? 0;
  const varMethod = opts.varMethod ?? 'historical';
  const { window } = opts;

  let dates = series.dates;
  let prices = series.close;
  let benchPrices: Float64Array | null = null;
  if (opts.benchmark) {
    const al = alignPriceSeries([series, opts.benchmark]);
    if (al.dates.length < 2) throw new InsufficientDataError('benchmark overlap (common dates)', 2, al.dates.length);
    dates = al.dates;
    [prices, benchPrices] = al.prices;
  } else if (prices.length < 2) {
    throw new InsufficientDataError('rollingSeries (prices)', 2, prices.length);
  }
  const r = simpleReturns(prices);
  return {
    symbol: series.symbol ?? null,
    benchmarkSymbol: opts.benchmark?.symbol ?? null,
    window,
    parameters: { periodsPerYear, confidence, riskFree, varMethod },
    dates: dates.slice(1),
    volatility: rollingVolatility(r, window, { periodsPerYear }),
    var: rollingVar(r, window, { confidence, method: varMethod }),
    sharpe: rollingSharpe(r, window, { periodsPerYear, riskFree }),
    beta: benchPrices ? rollingBeta(r, simpleReturns(benchPrices), window) : null,
  };
}

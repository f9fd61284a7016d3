/**
 * `computeSeriesMetrics`: the full single-series metric set of one price series, computed with
 * one pass for the moments, ONE sort feeding every quantile (VaR, ES, tail ratio) and one walk of
 * the price path for drawdowns. Keys are the camelCase names documented in docs/metrics.md.
 * Undefined ratios are `null`, never NaN or ±Infinity.
 */
import type { PriceSeries } from '../prices/price-series.ts';
import { type BenchmarkMetrics, benchmarkMetrics } from './benchmark.ts';
import { DEFAULT_CONFIDENCE } from './defaults.ts';
import { type DrawdownEpisode, drawdownEpisodesOfWealth, worstDrawdowns } from './drawdown.ts';
import { InsufficientDataError, InvalidParameterError, requireConfidence } from './errors.ts';
import { ewmaVolatility, RISKMETRICS_LAMBDA } from './ewma.ts';
import { excessKurtosisFromMoments, moments, skewnessFromMoments, unbiasedExcessKurtosisFromMoments, unbiasedSkewnessFromMoments } from './moments.ts';
import {
  averageTrueRange,
  closeToCloseVolatility,
  garmanKlassVolatility,
  type Ohlc,
  parkinsonVolatility,
  rogersSatchellVolatility,
  yangZhangVolatility,
} from './ohlc-volatility.ts';
import { alignPriceSeries } from './portfolio.ts';
import { sortedCopy } from './quantile.ts';
import { marOf, omegaRatio, safeRatio, sharpeRatio, sortinoRatio, tailRatio } from './ratios.ts';
import { annualizeGrowth, periodsOf, simpleReturns } from './returns.ts';
import { stabilityOfTimeseries } from './stability.ts';
import { cornishFisherEs, cornishFisherVar, gaussianEs, gaussianVar, historicalEs, historicalVar } from './var.ts';
import { annualizedVolatility, downsideDeviation, semideviation } from './volatility.ts';

/** Options of {@link computeSeriesMetrics}. */
export interface SeriesMetricsOptions {
  /** Periods per year A (default 252). */
  periodsPerYear?: number;
  /** VaR/ES confidence (default 0.95). */
  confidence?: number;
  /** Annual risk-free rate (default 0). */
  riskFree?: number;
  /** Annual minimum acceptable return for Sortino, Omega, downside deviation (default: riskFree). */
  mar?: number;
  /** Horizon in periods for the parametric VaR/ES (√-time rule; default 1). */
  horizon?: number;
  /** EWMA decay (default 0.94). */
  ewmaLambda?: number;
  /** How many of the worst drawdowns to list (default 5). */
  topDrawdowns?: number;
  /** Benchmark prices; inner-joined with the series on dates for the relative metrics. */
  benchmark?: PriceSeries;
  /** ATR window (default 14, Wilder). */
  atrWindow?: number;
}

/** Full-sample OHLC volatility estimates (annualised), see ohlc-volatility.ts. */
export interface OhlcVolatilitySummary {
  /** Rows used by close-to-close/Parkinson/Garman–Klass/Rogers–Satchell (all of them). */
  rows: number;
  closeToClose: number;
  parkinson: number;
  garmanKlass: number;
  rogersSatchell: number;
  /** Over the last rows − 1 rows (it needs each row's previous close). */
  yangZhang: number;
}

/** Benchmark-relative metrics plus the overlap they were computed on. */
export interface BenchmarkSummary extends BenchmarkMetrics {
  symbol: string | null;
  /** Returns in the date overlap (inner join of the two price series on dates). */
  observations: number;
  /** First and last common price date. */
  startDate: string;
  endDate: string;
}

/** A drawdown episode with its dates (see {@link DrawdownEpisode} for the index convention). */
export interface DatedDrawdown extends DrawdownEpisode {
  /** Date of the peak (the last close at the running high). */
  peakDate: string;
  /** Date of the trough. */
  troughDate: string;
  /** Date the price first closed at or above the peak again; null if not yet. */
  recoveryDate: string | null;
}

/** Result of {@link computeSeriesMetrics}; every value is a number, null or an object. */
export type SeriesMetrics = {
  period: { symbol: string | null; startDate: string; endDate: string; prices: number; returns: number };
  parameters: { periodsPerYear: number; confidence: number; riskFree: number; mar: number; horizon: number; ewmaLambda: number };
  cumulativeReturn: number;
  annualizedReturn: number;
  annualizedVolatility: number;
  downsideDeviation: number;
  semideviation: number;
  sharpeRatio: number | null;
  sortinoRatio: number | null;
  calmarRatio: number | null;
  omegaRatio: number | null;
  tailRatio: number | null;
  /** R² of the OLS line through log wealth (empyrical `stability_of_timeseries`); null if log wealth is constant. */
  stability: number | null;
  skewness: number | null;
  excessKurtosis: number | null;
  skewnessUnbiased: number | null;
  excessKurtosisUnbiased: number | null;
  maxDrawdown: number;
  maxDrawdownDetails: DatedDrawdown | null;
  worstDrawdowns: DatedDrawdown[];
  historicalVar: number;
  gaussianVar: number;
  cornishFisherVar: number;
  historicalEs: number;
  gaussianEs: number;
  cornishFisherEs: number;
  ewmaVolatility: number;
  /** Null unless the series has open/high/low. */
  ohlcVolatility: OhlcVolatilitySummary | null;
  /** Wilder ATR (price units) at the last date; null without high/low or with too few rows. */
  atr: number | null;
  /** Null without a benchmark. */
  benchmark: BenchmarkSummary | null;
};

function dated(e: DrawdownEpisode, dates: string[]): DatedDrawdown {
  return {
    ...e,
    peakDate: dates[e.peakIndex],
    troughDate: dates[e.troughIndex],
    recoveryDate: e.recoveryIndex === null ? null : dates[e.recoveryIndex],
  };
}

/**
 * The full single-series metric set of a price series (returns = simple returns of `close`,
 * i.e. `Adj Close` when the file had it). Needs at least 3 prices (2 returns).
 */
export function computeSeriesMetrics(series: PriceSeries, opts?: SeriesMetricsOptions): SeriesMetrics {
  const prices = series.close;
  if (prices.length < 3) throw new InsufficientDataError('computeSeriesMetrics', 3, prices.length);
  if (series.dates.length !== prices.length) {
    throw new InvalidParameterError('dates length', series.dates.length, `equal to close length ${prices.length}`);
  }
  // The PriceSeries invariant, checked because callers may build series by hand (one cheap pass).
  for (let i = 0; i < prices.length; i++) {
    if (!(prices[i] > 0 && prices[i] < Infinity)) throw new InvalidParameterError(`close[${i}] (${series.dates[i]})`, prices[i], 'a finite price > 0');
  }
  const a = periodsOf(opts);
  const confidence = opts?.confidence ?? DEFAULT_CONFIDENCE;
  requireConfidence(confidence);
  const riskFree = opts?.riskFree ?? 0;
  const mar = marOf(opts);
  const horizon = opts?.horizon ?? 1;
  const lambda = opts?.ewmaLambda ?? RISKMETRICS_LAMBDA;

  const r = simpleReturns(prices);
  const n = r.length;
  // One moment pass and one sort, shared by every metric below.
  const m = moments(r);
  const sorted = sortedCopy(r);
  const growth = prices[prices.length - 1] / prices[0];
  const annRet = annualizeGrowth(growth, n, a);
  const ratioOpts = { periodsPerYear: a, riskFree, mar, moments: m };
  const pOpts = { moments: m, horizon };

  // The price path itself is the wealth path (Wᵢ ∝ Pᵢ), see docs/metrics.md §4.
  const episodes = drawdownEpisodesOfWealth(prices);
  const ranked = worstDrawdowns(episodes, Math.max(1, opts?.topDrawdowns ?? 5));
  const worst = ranked[0] ?? null;

  return {
    period: {
      symbol: series.symbol ?? null,
      startDate: series.dates[0],
      endDate: series.dates[series.dates.length - 1],
      prices: prices.length,
      returns: n,
    },
    parameters: { periodsPerYear: a, confidence, riskFree, mar, horizon, ewmaLambda: lambda },
    cumulativeReturn: growth - 1,
    annualizedReturn: annRet,
    annualizedVolatility: annualizedVolatility(r, ratioOpts),
    downsideDeviation: downsideDeviation(r, ratioOpts),
    semideviation: semideviation(r, ratioOpts),
    sharpeRatio: sharpeRatio(r, ratioOpts),
    sortinoRatio: sortinoRatio(r, ratioOpts),
    calmarRatio: safeRatio(annRet, worst?.depth ?? 0),
    omegaRatio: omegaRatio(r, ratioOpts),
    tailRatio: tailRatio(r, { sorted }),
    stability: stabilityOfTimeseries(r),
    skewness: skewnessFromMoments(m),
    excessKurtosis: excessKurtosisFromMoments(m),
    skewnessUnbiased: unbiasedSkewnessFromMoments(m),
    excessKurtosisUnbiased: unbiasedExcessKurtosisFromMoments(m),
    maxDrawdown: worst?.depth ?? 0,
    maxDrawdownDetails: worst ? dated(worst, series.dates) : null,
    worstDrawdowns: ranked.slice(0, opts?.topDrawdowns ?? 5).map((e) => dated(e, series.dates)),
    historicalVar: historicalVar(r, confidence, { sorted }),
    gaussianVar: gaussianVar(r, confidence, pOpts),
    cornishFisherVar: cornishFisherVar(r, confidence, pOpts),
    historicalEs: historicalEs(r, confidence, { sorted }),
    gaussianEs: gaussianEs(r, confidence, pOpts),
    cornishFisherEs: cornishFisherEs(r, confidence, pOpts),
    ewmaVolatility: ewmaVolatility(r, { lambda, periodsPerYear: a }),
    ohlcVolatility: ohlcSummary(series, a),
    atr: atrLast(series, opts?.atrWindow ?? 14),
    benchmark: opts?.benchmark ? benchmarkSummary(series, opts.benchmark, a, riskFree) : null,
  };
}

function ohlcOf(series: PriceSeries): Ohlc | null {
  const { open, high, low } = series;
  // OHLC estimators need the unadjusted close that matches open/high/low.
  const close = series.rawClose ?? series.close;
  return open && high && low ? { open, high, low, close } : null;
}

function last(x: Float64Array): number {
  return x[x.length - 1];
}

function ohlcSummary(series: PriceSeries, a: number): OhlcVolatilitySummary | null {
  const o = ohlcOf(series);
  const rows = series.close.length;
  if (!o || rows < 4) return null;
  const full = { window: rows, periodsPerYear: a };
  return {
    rows,
    closeToClose: last(closeToCloseVolatility(o.close, full)),
    parkinson: last(parkinsonVolatility(o, full)),
    garmanKlass: last(garmanKlassVolatility(o, full)),
    rogersSatchell: last(rogersSatchellVolatility(o, full)),
    yangZhang: last(yangZhangVolatility(o, { window: rows - 1, periodsPerYear: a })),
  };
}

function atrLast(series: PriceSeries, window: number): number | null {
  const o = ohlcOf(series);
  if (!o || o.close.length < window + 1) return null;
  return last(averageTrueRange(o, window).atr);
}

function benchmarkSummary(series: PriceSeries, bench: PriceSeries, a: number, riskFree: number): BenchmarkSummary {
  const al = alignPriceSeries([series, bench]);
  // Three common prices = two returns: the least the ddof-1 statistics need.
  if (al.dates.length < 3) throw new InsufficientDataError('benchmark overlap (common dates)', 3, al.dates.length);
  return {
    symbol: bench.symbol ?? null,
    observations: al.dates.length - 1,
    startDate: al.dates[0],
    endDate: al.dates[al.dates.length - 1],
    ...benchmarkMetrics(simpleReturns(al.prices[0]), simpleReturns(al.prices[1]), { periodsPerYear: a, riskFree }),
  };
}

/**
 * Risk of a weighted portfolio of price histories, as one report: the one implementation behind
 * `riskfn portfolio` and `POST /v1/risk/portfolio` (pure; the numbers are the risk engine's).
 *
 * Steps: the histories are inner-joined on their dates and turned into simple returns over
 * consecutive common dates ({@link alignHoldings}); weights are fractions of capital that must
 * sum to 1 unless the caller asks to normalise them ({@link resolveWeights}), or come from
 * quantities valued at the last common close ({@link weightsFromQuantities}); then covariance
 * (sample ddof 1, EWMA RiskMetrics λ 0.94 with zero means, or Ledoit–Wolf), volatility, Gaussian
 * and historical VaR/ES with their marginal and component (Euler) parts, and the diversification
 * ratio ({@link portfolioRisk}).
 */

import { DomainError } from '../errors.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import {
  alignedReturns,
  type CovarianceMatrix,
  diversificationRatio,
  ewmaCovariance,
  gaussianPortfolioVar,
  historicalPortfolioVar,
  ledoitWolfCovariance,
  mean,
  portfolioVolatility,
  sampleCovariance,
  simpleReturns,
} from '../risk/index.ts';

/** Covariance estimators of a portfolio: sample (ddof 1), EWMA (RiskMetrics, λ 0.94), Ledoit–Wolf shrinkage. */
export const COVARIANCE_METHODS = ['sample', 'ewma', 'ledoit-wolf'] as const;
export type CovarianceMethod = (typeof COVARIANCE_METHODS)[number];

/** How far from 1 the weights may sum before they are refused (rounding in typed fractions). */
const WEIGHT_SUM_TOLERANCE = 1e-6;

/** Fewest common dates a portfolio needs: 3 prices = 2 returns, the least a ddof-1 covariance needs. */
const MIN_COMMON_DATES = 3;

/**
 * Weights that do not sum to 1 (and normalising was not asked for), or that sum to 0 and so
 * cannot be normalised (code `INVALID_PARAMETER`). `scaled` holds the weights divided by their
 * sum, rounded to 6 decimals, as a suggestion; null when the sum is 0.
 */
export class WeightSumError extends DomainError {
  readonly code = 'INVALID_PARAMETER';
  constructor(
    readonly sum: number,
    readonly scaled: number[] | null,
  ) {
    super(
      scaled === null
        ? `the weights sum to ${+sum.toFixed(6)}; weights that sum to 0 cannot be scaled to 1`
        : `the weights sum to ${+sum.toFixed(6)}, not 1: give fractions of capital (${scaled.join(', ')}) or ask for them to be normalised`,
    );
  }
}

/** The holdings share fewer than {@link MIN_COMMON_DATES} dates (code `INSUFFICIENT_HISTORY`). */
export class TooFewCommonDatesError extends DomainError {
  readonly code = 'INSUFFICIENT_HISTORY';
  constructor(
    readonly available: number,
    readonly needed: number,
  ) {
    super(`the holdings have only ${available} dates in common (need ${needed})`);
  }
}

/** The market value of the holdings at the last common close is 0, so quantities give no weights (code `INVALID_PARAMETER`). */
export class ZeroMarketValueError extends DomainError {
  readonly code = 'INVALID_PARAMETER';
  constructor(readonly date: string) {
    super(`the holdings are worth 0 in total on ${date} (longs and shorts cancel), so their quantities give no weights`);
  }
}

/**
 * `weights` when they sum to 1 (within {@link WEIGHT_SUM_TOLERANCE}), else divided by their sum
 * when `normalize` is true; throws {@link WeightSumError} otherwise, or when they sum to 0.
 */
export function resolveWeights(weights: readonly number[], normalize: boolean): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE) return [...weights];
  if (Math.abs(sum) <= WEIGHT_SUM_TOLERANCE) throw new WeightSumError(sum, null);
  if (!normalize)
    throw new WeightSumError(
      sum,
      weights.map((v) => +(v / sum).toFixed(6)),
    );
  return weights.map((v) => v / sum);
}

/** One holding's label and price history. */
export interface Holding {
  symbol: string;
  series: PriceSeries;
}

/** Holdings aligned on their common dates. */
export interface AlignedHoldings {
  symbols: string[];
  /** The common dates (inner join), ascending. */
  priceDates: string[];
  /** columns[i][t]: holding i's simple return from priceDates[t] to priceDates[t + 1]. */
  columns: Float64Array[];
  /** Each holding's close on the last common date. */
  lastCloses: number[];
}

/** Whether every holding has exactly the first one's dates (the usual case: one market's calendar). */
function onSameDates(holdings: readonly Holding[]): boolean {
  if (holdings.length === 0) return false;
  const dates = holdings[0].series.dates;
  return holdings.every((h) => h.series.dates === dates || (h.series.dates.length === dates.length && h.series.dates.every((d, t) => d === dates[t])));
}

/**
 * What the risk engine's inner join (alignedReturns) gives for holdings on the same dates — the
 * dates, and each holding's simple returns over them — without joining thousands of dates
 * through sets.
 */
function ownReturns(holdings: readonly Holding[]): { priceDates: string[]; columns: Float64Array[] } {
  const priceDates = holdings[0].series.dates.slice();
  return { priceDates, columns: holdings.map((h) => (priceDates.length < 2 ? new Float64Array(0) : simpleReturns(h.series.close))) };
}

/** Inner join of the holdings' histories; throws {@link TooFewCommonDatesError} below {@link MIN_COMMON_DATES} common dates. */
export function alignHoldings(holdings: readonly Holding[]): AlignedHoldings {
  const { priceDates, columns } = onSameDates(holdings) ? ownReturns(holdings) : alignedReturns(holdings.map((h) => h.series));
  if (priceDates.length < MIN_COMMON_DATES) throw new TooFewCommonDatesError(priceDates.length, MIN_COMMON_DATES);
  const last = priceDates[priceDates.length - 1];
  return {
    symbols: holdings.map((h) => h.symbol),
    priceDates,
    columns,
    lastCloses: holdings.map((h) => h.series.close[h.series.dates.lastIndexOf(last)]),
  };
}

/**
 * Weights from quantities (units held; negative = short): wᵢ = qᵢ·Pᵢ / Σⱼ qⱼ·Pⱼ with P the close on
 * the last common date, so they sum to 1. Throws {@link ZeroMarketValueError} when Σ qⱼ·Pⱼ = 0.
 */
export function weightsFromQuantities(aligned: AlignedHoldings, quantities: readonly number[]): number[] {
  const values = quantities.map((q, i) => q * aligned.lastCloses[i]);
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) throw new ZeroMarketValueError(aligned.priceDates[aligned.priceDates.length - 1]);
  return values.map((v) => v / total);
}

/** Parameters of {@link portfolioRisk}. */
export interface PortfolioRiskOptions {
  covariance: CovarianceMethod;
  /** VaR/ES confidence, a fraction in (0, 1). */
  confidence: number;
  /** Periods per year for the annualised volatilities (252 for daily data). */
  periodsPerYear: number;
  /** Horizon in periods of the Gaussian VaR/ES (√-time rule); the historical ones are 1 period. */
  horizon: number;
}

/** One holding's share of the portfolio risk; VaR/ES parts are positive loss fractions of capital. */
export interface PortfolioAssetRisk {
  symbol: string;
  weight: number;
  annualizedVolatility: number;
  gaussianMarginalVar: number;
  gaussianComponentVar: number;
  gaussianComponentEs: number;
  historicalMarginalVar: number;
  historicalComponentVar: number;
  historicalComponentEs: number;
}

/** The report (the CLI prints it as is with `--json`; member order is part of that output). */
export interface PortfolioRiskReport {
  period: { startDate: string; endDate: string; commonDates: number; returns: number };
  parameters: { confidence: number; periodsPerYear: number; horizon: number; covariance: CovarianceMethod; weightsSum: number };
  annualizedVolatility: number;
  /** Σ wᵢσᵢ / σₚ; null when σₚ is 0. */
  diversificationRatio: number | null;
  /** The Ledoit–Wolf shrinkage intensity; null for the other estimators. */
  ledoitWolfShrinkage: number | null;
  gaussianVar: number;
  gaussianEs: number;
  historicalVar: number;
  historicalEs: number;
  assets: PortfolioAssetRisk[];
}

/** Portfolio risk of aligned holdings with one weight each (see the module comment). */
export function portfolioRisk(aligned: AlignedHoldings, weights: readonly number[], opts: PortfolioRiskOptions): PortfolioRiskReport {
  const { covariance: method, confidence, periodsPerYear, horizon } = opts;
  const { priceDates, columns } = aligned;
  let shrinkage: number | null = null;
  let cov: CovarianceMatrix;
  if (method === 'ewma') cov = ewmaCovariance(columns);
  else if (method === 'ledoit-wolf') {
    const lw = ledoitWolfCovariance(columns);
    shrinkage = lw.shrinkage;
    cov = lw;
  } else cov = sampleCovariance(columns);
  // EWMA is a zero-mean model; the other two use the sample means.
  const means = method === 'ewma' ? undefined : columns.map((c) => mean(c));
  const g = gaussianPortfolioVar(weights, cov, { confidence, means, horizon });
  const h = historicalPortfolioVar(columns, weights, { confidence });
  const p = cov.size;
  return {
    period: { startDate: priceDates[0], endDate: priceDates[priceDates.length - 1], commonDates: priceDates.length, returns: columns[0].length },
    parameters: { confidence, periodsPerYear, horizon, covariance: method, weightsSum: weights.reduce((a, b) => a + b, 0) },
    annualizedVolatility: portfolioVolatility(weights, cov, { periodsPerYear }),
    diversificationRatio: diversificationRatio(weights, cov),
    ledoitWolfShrinkage: shrinkage,
    gaussianVar: g.var,
    gaussianEs: g.es,
    historicalVar: h.var,
    historicalEs: h.es,
    assets: aligned.symbols.map((symbol, i) => ({
      symbol,
      weight: weights[i],
      annualizedVolatility: Math.sqrt(cov.data[i * p + i] * periodsPerYear),
      gaussianMarginalVar: g.marginalVar[i],
      gaussianComponentVar: g.componentVar[i],
      gaussianComponentEs: g.componentEs[i],
      historicalMarginalVar: h.marginalVar[i],
      historicalComponentVar: h.componentVar[i],
      historicalComponentEs: h.componentEs[i],
    })),
  };
}

/** The portfolio's value went to 0 or below (a leveraged or short book), so it has no price history to score (code `INVALID_INPUT`). */
export class NonPositivePortfolioValueError extends DomainError {
  readonly code = 'INVALID_INPUT';
  constructor(readonly date: string) {
    super(`the constant-weight portfolio is worth 0 or less on ${date}, so it has no price history to score`);
  }
}

/**
 * The constant-weight portfolio as a price history: value 1 on the first common date, then
 * Vₜ = Vₜ₋₁·(1 + Σ wᵢ rᵢ,ₜ), the same rebalanced-every-period portfolio whose returns the historical
 * VaR uses. Throws {@link NonPositivePortfolioValueError} if the value reaches 0 or below.
 */
export function constantWeightSeries(aligned: AlignedHoldings, weights: readonly number[], symbol?: string): PriceSeries {
  const { priceDates, columns } = aligned;
  const close = new Float64Array(priceDates.length);
  close[0] = 1;
  for (let t = 1; t < priceDates.length; t++) {
    let r = 0;
    for (let i = 0; i < columns.length; i++) r += weights[i] * columns[i][t - 1];
    close[t] = close[t - 1] * (1 + r);
    if (!(close[t] > 0)) throw new NonPositivePortfolioValueError(priceDates[t]);
  }
  return { ...(symbol === undefined ? {} : { symbol }), dates: priceDates, close };
}

/**
 * Scoring one instrument: risk metrics of its history plus the champion model's risk level,
 * as one answer (pure; the API adds the request id and the audit). Conventions are in
 * ./conventions.ts and docs/api.md; the metric definitions are the risk engine's
 * (lib/domain/risk), the prediction the model core's (lib/domain/model).
 */

import { DomainError } from '../errors.ts';
import type { ModelArtifact } from '../model/artifact.ts';
import { type FeatureContribution, predictRiskLevel } from '../model/predict.ts';
import type { RiskLevel } from '../model/types.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import {
  annualizedReturn,
  annualizedVolatility,
  computeSeriesMetrics,
  historicalEs,
  historicalVar,
  maxDrawdownFromPrices,
  mean,
  simpleReturns,
  sortedCopy,
  TRADING_DAYS_PER_YEAR,
} from '../risk/index.ts';
import { RISK_CONVENTIONS, type RiskConventions } from './conventions.ts';
import { scoringInputHash } from './input-hash.ts';

/** Fewest prices the metrics need: 2 returns for a sample standard deviation. */
const MIN_PRICES_FOR_METRICS = 3;
/** How many feature contributions an answer lists. */
const TOP_CONTRIBUTIONS = 5;

/** Fewer prices than the metrics need (code `INSUFFICIENT_HISTORY`). */
export class TooFewPricesError extends DomainError {
  readonly code = 'INSUFFICIENT_HISTORY';
  constructor(
    readonly needed: number,
    readonly available: number,
  ) {
    super(`the risk metrics need at least ${needed} prices, got ${available}`);
  }
}

export interface RiskMetricsResult {
  annualizedVolatility: number;
  maxDrawdown: { value: number; peakDate: string; troughDate: string; recoveryDate: string | null };
  historicalVar: { value: number; confidence: number; horizonDays: 1 };
  historicalEs: { value: number; confidence: number; horizonDays: 1 };
  totalReturn: number;
  annualizedReturn: number;
  meanDailyReturn: number;
  /**
   * The risk engine's range-based estimators (annualised, window = the whole history, as
   * `riskfn metrics`) when every price has open/high/low and there are at least 4; else null.
   */
  ohlcVolatility: OhlcVolatility | null;
}

/** Full-history OHLC volatility estimates, annualised (see lib/domain/risk/ohlc-volatility.ts). */
export interface OhlcVolatility {
  rows: number;
  closeToClose: number;
  parkinson: number;
  garmanKlass: number;
  rogersSatchell: number;
  /** Over the last rows − 1 rows (it needs each row's previous close). */
  yangZhang: number;
}

export interface ModelResult {
  version: string;
  riskLevel: RiskLevel;
  probabilities: Record<RiskLevel, number>;
  featuresAsOf: string;
  explanation: { method: string; baseRate: number; calibration: number; contributions: FeatureContribution[] };
  /** Last date of the model's training rows, when the artifact records it. */
  trainedThrough?: string;
}

export interface InstrumentScore {
  symbol: string | null;
  asOf: string;
  firstDate: string;
  observations: number;
  inputHash: string;
  metrics: RiskMetricsResult;
  conventions: RiskConventions;
  model: ModelResult;
}

const EXPLANATION_METHOD =
  "per-feature contributions along the forest's decision paths: the predicted level's probability = baseRate + the sum of all features' contributions + calibration";

/**
 * Risk metrics of a series (≥ 3 prices) at VaR confidence `confidence`, from the risk engine:
 * volatility, VaR and ES from the simple returns; the drawdown from the prices themselves
 * (wealth = P_i / P_0, so a price back exactly at its peak counts as recovered); drawdown
 * indices are price indices, mapped to dates. When prices never fall, the drawdown is 0 with
 * peak = trough = recovery = the first date.
 */
export function computeRiskMetrics(series: PriceSeries, confidence: number): RiskMetricsResult {
  const n = series.close.length;
  if (n < MIN_PRICES_FOR_METRICS) throw new TooFewPricesError(MIN_PRICES_FOR_METRICS, n);
  const returns = simpleReturns(series.close);
  const dd = maxDrawdownFromPrices(series.close);
  // One sort for both VaR and ES (each would sort its own copy).
  const sorted = sortedCopy(returns);
  const annual = { periodsPerYear: TRADING_DAYS_PER_YEAR };
  return {
    annualizedVolatility: annualizedVolatility(returns, annual),
    maxDrawdown: {
      value: dd.maxDrawdown,
      peakDate: series.dates[dd.peakIndex],
      troughDate: series.dates[dd.troughIndex],
      recoveryDate: dd.recoveryIndex === null ? null : series.dates[dd.recoveryIndex],
    },
    historicalVar: { value: historicalVar(returns, confidence, { sorted }), confidence, horizonDays: 1 },
    historicalEs: { value: historicalEs(returns, confidence, { sorted }), confidence, horizonDays: 1 },
    totalReturn: series.close[n - 1] / series.close[0] - 1,
    annualizedReturn: annualizedReturn(returns, annual),
    meanDailyReturn: mean(returns),
    ohlcVolatility: series.open && series.high && series.low ? computeSeriesMetrics(series, annual).ohlcVolatility : null,
  };
}

/** The model's part of an answer: `series` scored by `model` on its last date, with the largest contributions. */
export function modelAnswer(series: PriceSeries, model: { version: string; artifact: ModelArtifact }, topContributions = TOP_CONTRIBUTIONS): ModelResult {
  const prediction = predictRiskLevel(model.artifact, series);
  return {
    version: model.version,
    riskLevel: prediction.riskLevel,
    probabilities: prediction.probabilities,
    featuresAsOf: prediction.asOf,
    explanation: {
      method: EXPLANATION_METHOD,
      baseRate: prediction.baseRate,
      calibration: prediction.calibration,
      contributions: prediction.contributions.slice(0, topContributions),
    },
    ...(model.artifact.training.to ? { trainedThrough: model.artifact.training.to } : {}),
  };
}

/**
 * The full answer for `series` scored by `model`. The prediction runs first, so a history too
 * short for the model fails with the model's InsufficientHistoryError before any metric work.
 */
export function scoreInstrument(
  series: PriceSeries,
  model: { version: string; artifact: ModelArtifact },
  opts: { confidence: number; topContributions?: number },
): InstrumentScore {
  const answer = modelAnswer(series, model, opts.topContributions);
  const metrics = computeRiskMetrics(series, opts.confidence);
  const n = series.dates.length;
  return {
    symbol: series.symbol ?? null,
    asOf: series.dates[n - 1],
    firstDate: series.dates[0],
    observations: n,
    inputHash: scoringInputHash(series, opts.confidence),
    metrics,
    conventions: RISK_CONVENTIONS,
    model: answer,
  };
}

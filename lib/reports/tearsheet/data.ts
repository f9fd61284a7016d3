/**
 * Every number the risk tearsheet shows, computed once by the risk engine and the model code:
 * the chart and table modules beside this file only format and draw what is here.
 */
import { DomainError } from '../../domain/errors.ts';
import type { ModelArtifact } from '../../domain/model/artifact.ts';
import { predictRiskLevel } from '../../domain/model/predict.ts';
import type { PriceSeries } from '../../domain/prices/price-series.ts';
import {
  alignedReturns,
  backtestVar,
  computeSeriesMetrics,
  drawdownSeriesOfWealth,
  type RollingSeries,
  rollingSeries,
  type SeriesMetrics,
  simpleReturns,
  wealthPath,
} from '../../domain/risk/index.ts';
import { type CalendarReturns, calendarReturns } from '../../domain/risk/monthly-returns.ts';

/** Window of the rolling volatility and rolling beta, in returns (about one quarter of trading days). */
const ROLLING_WINDOW = 63;
/** The VaR backtest behind the rolling-VaR chart: `riskfn backtest`'s defaults (Basel: 99 %, 250 days, historical). */
export const VAR_BACKTEST = { window: 250, confidence: 0.99, method: 'historical' } as const;

/** What the tearsheet is made from. */
export interface TearsheetInput {
  readonly series: PriceSeries;
  readonly benchmark?: PriceSeries;
  /** Annual risk-free rate (fraction), as `riskfn metrics --rf`. */
  readonly riskFree?: number;
  /** A trained risk-level model; its prediction for the series' last date is shown. */
  readonly model?: ModelArtifact;
}

/** A level series on price dates (wealth, drawdown): `values[i]` belongs to `dates[i]`. */
export interface DatedSeries {
  readonly dates: readonly string[];
  readonly values: ArrayLike<number>;
}

/** The rolling VaR forecasts with the returns they were tested against. */
export interface VarBacktestSeries {
  readonly result: ReturnType<typeof backtestVar>;
  /** Date of each forecast period (the date its return ends on). */
  readonly dates: readonly string[];
  /** The realised return of each forecast period. */
  readonly returns: Float64Array;
}

/** Something a section cannot show, and why (one sentence for the reader). */
export interface Unavailable {
  readonly unavailable: string;
}

/** All the numbers of one tearsheet. */
export interface TearsheetData {
  readonly symbol: string;
  readonly benchmarkSymbol: string | null;
  /** `computeSeriesMetrics` of the series with the benchmark: what `riskfn metrics FILE --benchmark B --json` prints. */
  readonly metrics: SeriesMetrics;
  /** `computeSeriesMetrics` of the benchmark alone: what `riskfn metrics B --json` prints. */
  readonly benchmarkMetrics: SeriesMetrics | null;
  /** Simple returns of the series (return i ends on `series.dates[i + 1]`). */
  readonly returns: Float64Array;
  /** Wealth of 1 invested on the first common date (with a benchmark) or the first date. */
  readonly wealth: { readonly dates: readonly string[]; readonly series: Float64Array; readonly benchmark: Float64Array | null };
  /** Drawdown (positive fraction) of the series at every price date. */
  readonly drawdown: DatedSeries;
  /** Rolling volatility of the series over its own dates. */
  readonly rolling: RollingSeries;
  /** Rolling beta on the common dates; null without a benchmark. */
  readonly rollingBeta: RollingSeries | null;
  readonly varBacktest: VarBacktestSeries | Unavailable;
  readonly calendar: CalendarReturns;
  /** The model's risk level on the last date; null without a model. */
  readonly prediction: ReturnType<typeof predictRiskLevel> | Unavailable | null;
  readonly riskFree: number;
}

/**
 * Computes the tearsheet's numbers. Throws the engine's errors for input no report can be made
 * of (fewer than 3 prices, fewer than 3 dates in common with the benchmark); a chart that merely
 * lacks data for its window is left to its module, which says why.
 */
export function tearsheetData(input: TearsheetInput): TearsheetData {
  const { series, benchmark } = input;
  const riskFree = input.riskFree ?? 0;
  const metrics = computeSeriesMetrics(series, { riskFree, benchmark });
  const benchmarkMetrics = benchmark ? computeSeriesMetrics(benchmark, { riskFree }) : null;
  const returns = simpleReturns(series.close);
  let wealth: TearsheetData['wealth'];
  if (benchmark) {
    const aligned = alignedReturns([series, benchmark]);
    wealth = { dates: aligned.priceDates, series: wealthPath(aligned.columns[0]), benchmark: wealthPath(aligned.columns[1]) };
  } else {
    wealth = { dates: series.dates, series: wealthPath(returns), benchmark: null };
  }
  return {
    symbol: series.symbol ?? 'series',
    benchmarkSymbol: benchmark ? (benchmark.symbol ?? 'benchmark') : null,
    metrics,
    benchmarkMetrics,
    returns,
    wealth,
    drawdown: { dates: series.dates, values: drawdownSeriesOfWealth(series.close) },
    rolling: rollingSeries(series, { window: ROLLING_WINDOW, riskFree }),
    rollingBeta: benchmark ? rollingSeries(series, { window: ROLLING_WINDOW, riskFree, benchmark }) : null,
    varBacktest: varBacktestOf(series, returns),
    calendar: calendarReturns(series),
    prediction: input.model ? predictionOf(input.model, series, benchmark) : null,
    riskFree,
  };
}

function varBacktestOf(series: PriceSeries, returns: Float64Array): VarBacktestSeries | Unavailable {
  const { window } = VAR_BACKTEST;
  // backtestVar needs a full window and at least 2 forecasts.
  if (returns.length < window + 2) {
    return { unavailable: `The ${window}-day VaR backtest needs at least ${window + 2} daily returns; the file has ${returns.length}.` };
  }
  const result = backtestVar(returns, VAR_BACKTEST);
  // Forecast k is for return firstIndex + k, which ends on price date firstIndex + k + 1.
  const dates = series.dates.slice(result.firstIndex + 1);
  return { result, dates, returns: returns.subarray(result.firstIndex) };
}

/** The model's prediction, or why there is none (too little history, an input the features need is missing). */
function predictionOf(model: ModelArtifact, series: PriceSeries, benchmark: PriceSeries | undefined): TearsheetData['prediction'] {
  try {
    return predictRiskLevel(model, series, { benchmark });
  } catch (err) {
    if (err instanceof DomainError && (err.code === 'INSUFFICIENT_HISTORY' || err.code === 'MODEL_INPUT_UNAVAILABLE')) {
      return { unavailable: `The model cannot score this series: ${err.message}.` };
    }
    throw err;
  }
}

/** Whether a value is a reason for leaving something out. */
export function isUnavailable(value: unknown): value is Unavailable {
  return typeof value === 'object' && value !== null && 'unavailable' in value;
}

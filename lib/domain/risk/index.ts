/**
 * The risk-metric engine: pure functions over return/price arrays (no I/O, no AWS).
 * Conventions (signs, annualisation, ddof, quantiles, the near-zero rule) are in docs/metrics.md.
 *
 * This is the engine's public surface: the summary and the single metrics it is built from,
 * portfolio and backtest functions, and the pieces the model features reuse. Helpers that only
 * the engine itself needs stay in their modules.
 */
export { InsufficientDataError, InvalidParameterError, RiskInputError } from './errors.ts';

// Returns, annualisation and dispersion.
export { annualizedReturn, annualizeVolatility, type AnnualizationOptions, logReturns, simpleReturns, TRADING_DAYS_PER_YEAR } from './returns.ts';
export {
  excessKurtosisFromMoments,
  isNegligibleDispersion,
  mean,
  type Moments,
  moments,
  NEGLIGIBLE_DISPERSION,
  sampleStandardDeviation,
  skewnessFromMoments,
  unbiasedExcessKurtosisFromMoments,
  unbiasedSkewnessFromMoments,
} from './moments.ts';
export { annualizedVolatility, type DownsideOptions, downsideDeviation, semideviation } from './volatility.ts';
export { EWMA_BACKCAST_OBSERVATIONS, ewmaVarianceSeries, ewmaVolatility, RISKMETRICS_LAMBDA } from './ewma.ts';

// Ratios, tail risk and drawdowns of one series.
export { omegaRatio, type RatioOptions, sharpeRatio, sortinoRatio, tailRatio } from './ratios.ts';
export { quantileSorted, sortedCopy } from './quantile.ts';
export {
  cornishFisherEs,
  cornishFisherVar,
  DEFAULT_CONFIDENCE,
  gaussianEs,
  gaussianVar,
  historicalEs,
  historicalVar,
  type ParametricOptions,
} from './var.ts';
export {
  type DrawdownEpisode,
  drawdownEpisodesOfWealth,
  drawdownSeriesOfWealth,
  type MaxDrawdownResult,
  maxDrawdownFromPrices,
  wealthPath,
  worstDrawdowns,
} from './drawdown.ts';

// Range-based volatility.
export {
  type AtrResult,
  averageTrueRange,
  closeToCloseVolatility,
  garmanKlassVolatility,
  type Ohlc,
  type OhlcVolatilityOptions,
  parkinsonVolatility,
  rogersSatchellVolatility,
  yangZhangVolatility,
} from './ohlc-volatility.ts';

// Relative to a benchmark, and the whole summary.
export { type BenchmarkMetrics, type BenchmarkOptions, benchmarkMetrics, beta } from './benchmark.ts';
export { computeSeriesMetrics, type SeriesMetrics, type SeriesMetricsOptions } from './summary.ts';

// Portfolios.
export { type CovarianceMatrix, ewmaCovariance, ledoitWolfCovariance, type ReturnColumns, sampleCovariance } from './covariance.ts';
export {
  alignedReturns,
  alignPriceSeries,
  diversificationRatio,
  gaussianPortfolioVar,
  historicalPortfolioVar,
  type PortfolioVarResult,
  portfolioVolatility,
} from './portfolio.ts';

// Rolling estimates and VaR backtests.
export { rollingApply, rollingVar, rollingVolatility, VAR_METHODS, type VarMethod } from './rolling.ts';
export { backtestVar, type VarBacktestOptions, type VarBacktestResult } from './backtest.ts';

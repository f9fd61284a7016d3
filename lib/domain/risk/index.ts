/**
 * The risk-metric engine: pure functions over return/price arrays (no I/O, no AWS).
 * Conventions (signs, annualisation, ddof, quantiles, the near-zero rule) are in docs/metrics.md.
 *
 * This is the engine's public surface: the summary and the single metrics it is built from,
 * portfolio and backtest functions, and the pieces the model features reuse. Helpers that only
 * the engine itself needs stay in their modules.
 */

export { backtestVar } from './backtest.ts';
// Relative to a benchmark, and the whole summary.
export { benchmarkMetrics, beta } from './benchmark.ts';
// Portfolios.
export { type CovarianceMatrix, ewmaCovariance, ledoitWolfCovariance, sampleCovariance } from './covariance.ts';
export { DEFAULT_CONFIDENCE } from './defaults.ts';
export {
  drawdownEpisodesOfWealth,
  drawdownSeriesOfWealth,
  maxDrawdownFromPrices,
  wealthPath,
  worstDrawdowns,
} from './drawdown.ts';
export { InsufficientDataError, InvalidParameterError, RiskInputError } from './errors.ts';
export { EWMA_BACKCAST_OBSERVATIONS, ewmaVarianceSeries, ewmaVolatility, RISKMETRICS_LAMBDA } from './ewma.ts';
export {
  excessKurtosisFromMoments,
  mean,
  moments,
  sampleStandardDeviation,
  skewnessFromMoments,
  unbiasedExcessKurtosisFromMoments,
  unbiasedSkewnessFromMoments,
} from './moments.ts';
// Range-based volatility.
export {
  averageTrueRange,
  closeToCloseVolatility,
  garmanKlassVolatility,
  parkinsonVolatility,
  rogersSatchellVolatility,
  yangZhangVolatility,
} from './ohlc-volatility.ts';
export {
  alignedReturns,
  diversificationRatio,
  gaussianPortfolioVar,
  historicalPortfolioVar,
  type PortfolioVarResult,
  portfolioVolatility,
} from './portfolio.ts';
export { quantileSorted, sortedCopy } from './quantile.ts';
// Ratios, tail risk and drawdowns of one series.
export { omegaRatio, sharpeRatio, sortinoRatio, tailRatio } from './ratios.ts';
// Returns, annualisation and dispersion.
export { annualizedReturn, annualizeVolatility, logReturns, simpleReturns, TRADING_DAYS_PER_YEAR } from './returns.ts';
// Rolling estimates and VaR backtests.
export {
  rollingApply,
  rollingBeta,
  rollingSharpe,
  rollingVar,
  rollingVolatility,
  VAR_METHODS,
  type VarMethod,
} from './rolling.ts';
export { type RollingSeries, rollingSeries } from './rolling-series.ts';
export { stabilityOfTimeseries } from './stability.ts';
export { computeSeriesMetrics, type SeriesMetrics } from './summary.ts';
// Up- and down-market capture and beta.
export { downCaptureRatio, upCaptureRatio, upDownBeta } from './up-down.ts';
export {
  cornishFisherEs,
  cornishFisherVar,
  gaussianEs,
  gaussianVar,
  historicalEs,
  historicalVar,
} from './var.ts';
export { annualizedVolatility, downsideDeviation, semideviation } from './volatility.ts';

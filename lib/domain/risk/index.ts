/**
 * The risk-metric engine: pure functions over return/price arrays (no I/O, no AWS).
 * Conventions (signs, annualisation, ddof, quantiles) are in docs/metrics.md.
 */
export * from './errors.ts';
export * from './quantile.ts';
export * from './distributions.ts';
export * from './returns.ts';
export * from './moments.ts';
export * from './volatility.ts';
export * from './drawdown.ts';
export * from './var.ts';
export * from './ratios.ts';
export * from './ewma.ts';
export * from './summary.ts';
export * from './benchmark.ts';
export * from './ohlc-volatility.ts';
export * from './covariance.ts';
export * from './portfolio.ts';
export * from './rolling.ts';
export * from './backtest.ts';

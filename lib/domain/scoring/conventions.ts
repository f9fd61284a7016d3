/**
 * The conventions every scoring answer states (and the response schema pins as literals), so a
 * reader of one answer, or of an audit item years later, knows what the numbers mean.
 */
import { TRADING_DAYS_PER_YEAR } from '../risk/index.ts';

export const RISK_CONVENTIONS = {
  returns: 'simple daily returns r_t = close_t / close_{t-1} - 1',
  periodsPerYear: TRADING_DAYS_PER_YEAR,
  volatility: 'sample standard deviation (n - 1) of daily returns × √periodsPerYear',
  lossSign: 'VaR and drawdown are positive loss fractions (0.05 = a 5 % loss)',
  var: 'historical, 1-day, type-7 (linear interpolation) quantile of daily returns at 1 - confidence, negated',
  drawdown: 'largest fall 1 - trough / peak of the closes (wealth = close_t / close_0); the first close counts as a peak',
} as const;

export type RiskConventions = typeof RISK_CONVENTIONS;

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

/**
 * The portfolio answer's conventions: the instrument's block (returns, annualisation, loss sign,
 * the historical VaR's quantile) plus how holdings are combined, the parametric VaR and the
 * Euler decomposition, and how the model scores a portfolio.
 */
export const PORTFOLIO_CONVENTIONS = {
  ...RISK_CONVENTIONS,
  alignment: 'holdings inner-joined on their dates; returns over consecutive common dates',
  portfolioReturn: 'r_p,t = Σ w_i r_i,t with constant weights (rebalanced every period); weights are fractions of capital summing to 1, negative = short',
  covariance:
    'sample: ddof 1 with sample means; ewma: RiskMetrics λ = 0.94 with zero means; ledoit-wolf: the ddof-0 covariance shrunk towards μI, μ = trace / size (Ledoit–Wolf 2004)',
  gaussianVar: 'delta-normal: -wᵀμ·h + z·σ_p·√h (h = horizon in periods); ES with φ(z)/α in place of z',
  components: 'Euler allocation: component_i = w_i · ∂VaR/∂w_i (or ∂ES/∂w_i); components sum to the total',
  riskLevel:
    "holdings: the model on each holding's own history up to the last common date; portfolio: the model on the constant-weight portfolio's value series (1 on the first common date, then × (1 + r_p,t))",
} as const;

/** The backtest answer's conventions. */
export const BACKTEST_CONVENTIONS = {
  returns: RISK_CONVENTIONS.returns,
  lossSign: RISK_CONVENTIONS.lossSign,
  forecast: 'the VaR of period t is estimated from the window returns before t only',
  exception: 'a period whose return is below -VaR (strict)',
  dates: 'a period is dated by the date its return ends on',
  tests:
    'Kupiec and Christoffersen likelihood ratios, chi-square p-values; reject = p < significance; Basel traffic light over the last min(250, forecasts) periods',
} as const;

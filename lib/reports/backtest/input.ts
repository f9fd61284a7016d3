/**
 * What the VaR backtest report is made from: the backtest's report (the numbers `riskfn backtest
 * --json` prints), its per-period series, and the facts of the run.
 */

import type { VarMethod } from '../../domain/risk/index.ts';
import type { BacktestPeriods, BacktestReport } from '../../domain/scoring/backtest-report.ts';

/** Everything the page shows; the page computes nothing of its own (and reads no clock: the same input gives the same bytes). */
export interface BacktestPageInput {
  readonly report: BacktestReport;
  readonly periods: BacktestPeriods;
  /** The test size the reject flags used (e.g. 0.05). */
  readonly significance: number;
  /** How the page names the price file it was made from. */
  readonly source: string;
}

const METHOD_NAMES: Record<VarMethod, string> = {
  historical: 'historical',
  gaussian: 'Gaussian',
  'cornish-fisher': 'Cornish–Fisher',
  ewma: 'EWMA (RiskMetrics)',
};

/** "historical VaR 99%": the forecast's name in titles and legends. */
export function varName(report: BacktestReport): string {
  return `${METHOD_NAMES[report.method]} VaR ${levelText(report.confidence)}`;
}

/** A level as a short percentage, without trailing zeros: 0.99 → "99%", 0.975 → "97.5%", 0.05 → "5%". */
export function levelText(level: number): string {
  return `${+(level * 100).toFixed(3)}%`;
}

/** Rolling 63-day Sharpe ratio, with the whole period's Sharpe ratio as a reference line. */
import { formatNumber, formatPercent } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';
import { rollingLineChart } from './kit.ts';

/** The chart's HTML, or a sentence when the series is shorter than the window (or every window's volatility is 0). */
export function rollingSharpeChart(data: TearsheetData): Promise<string> {
  const { window, dates, sharpe, parameters } = data.rolling;
  const full = data.metrics.sharpeRatio;
  const y = { field: 'sharpe', type: 'quantitative', title: 'Sharpe ratio (annualised)' };
  return rollingLineChart({
    id: 'rolling-sharpe',
    title: `Rolling ${window}-day Sharpe ratio of ${data.symbol}`,
    dates,
    values: sharpe,
    y,
    color: OKABE_ITO.reddishPurple,
    extraLayers: [{ data: { values: [{ sharpe: 0 }] }, mark: { type: 'rule', color: '#8c959f' }, encoding: { y } }],
    whole: { value: full, label: formatNumber(full) },
    unavailable:
      dates.length < window
        ? `A ${window}-day window needs at least ${window} daily returns; the file has ${dates.length}.`
        : `The returns of every ${window}-day window are all equal, so no Sharpe ratio is defined.`,
    description:
      `Annualised Sharpe ratio √${parameters.periodsPerYear}·mean(r − rf)/sd(r) of the ${window} daily returns up to each date, ` +
      `risk-free rate ${formatPercent(parameters.riskFree)} a year` +
      `${full === null ? '' : `; the dashed line is the whole period's ${formatNumber(full)}`}.`,
    table: { caption: `Rolling ${window}-day Sharpe ratio at each month end`, column: 'Sharpe ratio', format: (v) => formatNumber(v) },
  });
}

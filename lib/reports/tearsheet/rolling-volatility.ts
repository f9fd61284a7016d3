/** Rolling 63-day annualised volatility, with the whole period's volatility as a reference line. */
import { formatPercent } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';
import { rollingLineChart } from './kit.ts';

/** The chart's HTML, or a sentence when the series is shorter than the window. */
export function rollingVolatilityChart(data: TearsheetData): Promise<string> {
  const { window, dates, volatility } = data.rolling;
  const full = data.metrics.annualizedVolatility;
  return rollingLineChart({
    id: 'rolling-volatility',
    title: `Rolling ${window}-day volatility of ${data.symbol}`,
    dates,
    values: volatility,
    y: { field: 'volatility', type: 'quantitative', title: 'Volatility (annualised, %)', axis: { format: '.0%' } },
    color: OKABE_ITO.blue,
    whole: { value: full, label: formatPercent(full, 1) },
    unavailable: `A ${window}-day window needs at least ${window} daily returns; the file has ${dates.length}.`,
    description:
      `Annualised standard deviation of the ${window} daily returns up to each date (ddof 1, ×√${data.metrics.parameters.periodsPerYear}); ` +
      `the dashed line is the whole period's ${formatPercent(full)}.`,
    table: { caption: `Rolling ${window}-day volatility at each month end`, column: 'Volatility (annualised)', format: (v) => formatPercent(v) },
  });
}

/** Rolling 63-day beta to the benchmark, with the whole period's beta as a reference line. */
import { formatNumber } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';
import { rollingLineChart } from './kit.ts';

/** The chart's HTML; null without a benchmark (the section is left out), a sentence when the overlap is shorter than the window. */
export function rollingBetaChart(data: TearsheetData): Promise<string> | null {
  const rolling = data.rollingBeta;
  if (!rolling?.beta) return null;
  const { window, dates, beta } = rolling;
  const full = data.metrics.benchmark?.beta ?? null;
  return rollingLineChart({
    id: 'rolling-beta',
    title: `Rolling ${window}-day beta of ${data.symbol} to ${data.benchmarkSymbol}`,
    dates,
    values: beta,
    y: { field: 'beta', type: 'quantitative', title: 'Beta (ratio)', scale: { zero: false } },
    color: OKABE_ITO.bluishGreen,
    whole: { value: full, label: formatNumber(full) },
    unavailable: `A ${window}-day window needs at least ${window} returns on dates both files have; they have ${dates.length}.`,
    description:
      `OLS beta cov(r, b)/var(b) of ${data.symbol}'s daily returns on ${data.benchmarkSymbol}'s over the ${window} returns up to each common date` +
      `${full === null ? '' : `; the dashed line is the whole period's ${formatNumber(full)}`}.`,
    table: { caption: `Rolling ${window}-day beta at each month end`, column: 'Beta', format: (v) => formatNumber(v, 3) },
  });
}

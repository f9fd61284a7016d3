/** Rolling 63-day Sharpe ratio, with the whole period's Sharpe ratio as a reference line. */
import type { TopLevelSpec } from 'vega-lite';
import { chartUnavailable, renderChart } from '../chart.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';
import { dateX, monthEnds, thinForDrawing, thinnedNote, wholePeriodLayers } from './kit.ts';

const ID = 'rolling-sharpe';

/** The chart's HTML, or a sentence when the series is shorter than the window (or every window's volatility is 0). */
export function rollingSharpeChart(data: TearsheetData): Promise<string> {
  const { window, dates, sharpe, parameters } = data.rolling;
  const title = `Rolling ${window}-day Sharpe ratio of ${data.symbol}`;
  const rows = dates.map((date, i) => ({ date, sharpe: sharpe[i] })).filter((r) => Number.isFinite(r.sharpe));
  if (rows.length === 0) {
    return Promise.resolve(
      chartUnavailable({
        id: ID,
        title,
        reason:
          dates.length < window
            ? `A ${window}-day window needs at least ${window} daily returns; the file has ${dates.length}.`
            : `The returns of every ${window}-day window are all equal, so no Sharpe ratio is defined.`,
      }),
    );
  }
  const drawn = thinForDrawing(rows, (r) => r.sharpe);
  const full = data.metrics.sharpeRatio;
  const y = { field: 'sharpe', type: 'quantitative', title: 'Sharpe ratio (annualised)' };
  const spec = {
    layer: [
      { data: { values: drawn }, mark: { type: 'line', color: OKABE_ITO.reddishPurple }, encoding: { x: dateX(dates), y } },
      { data: { values: [{ sharpe: 0 }] }, mark: { type: 'rule', color: '#8c959f' }, encoding: { y } },
      ...wholePeriodLayers(y, full, formatNumber(full)),
    ],
  } as unknown as TopLevelSpec;
  return renderChart({
    id: ID,
    title,
    description:
      `Annualised Sharpe ratio √${parameters.periodsPerYear}·mean(r − rf)/sd(r) of the ${window} daily returns up to each date, ` +
      `risk-free rate ${formatPercent(parameters.riskFree)} a year` +
      `${full === null ? '' : `; the dashed line is the whole period's ${formatNumber(full)}`}.` +
      thinnedNote(drawn.length, rows.length),
    spec,
    table: {
      caption: `Rolling ${window}-day Sharpe ratio at each month end`,
      columns: [{ label: 'Month end' }, { label: 'Sharpe ratio', numeric: true }],
      rows: monthEnds(rows).map((r) => [r.date, formatNumber(r.sharpe)]),
    },
  });
}

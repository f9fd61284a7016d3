/** Rolling 63-day annualised volatility, with the whole period's volatility as a reference line. */
import type { TopLevelSpec } from 'vega-lite';
import { chartUnavailable, renderChart } from '../chart.ts';
import { formatPercent } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';
import { dateX, monthEnds, thinForDrawing, thinnedNote, wholePeriodLayers } from './kit.ts';

const ID = 'rolling-volatility';

/** The chart's HTML, or a sentence when the series is shorter than the window. */
export function rollingVolatilityChart(data: TearsheetData): Promise<string> {
  const { window, dates, volatility } = data.rolling;
  const title = `Rolling ${window}-day volatility of ${data.symbol}`;
  const rows = dates.map((date, i) => ({ date, volatility: volatility[i] })).filter((r) => Number.isFinite(r.volatility));
  if (rows.length === 0) {
    return Promise.resolve(
      chartUnavailable({ id: ID, title, reason: `A ${window}-day window needs at least ${window} daily returns; the file has ${dates.length}.` }),
    );
  }
  const drawn = thinForDrawing(rows, (r) => r.volatility);
  const full = data.metrics.annualizedVolatility;
  const y = { field: 'volatility', type: 'quantitative', title: 'Volatility (annualised, %)', axis: { format: '.0%' } };
  const spec = {
    layer: [
      { data: { values: drawn }, mark: { type: 'line', color: OKABE_ITO.blue }, encoding: { x: dateX(dates), y } },
      ...wholePeriodLayers(y, full, formatPercent(full, 1)),
    ],
  } as unknown as TopLevelSpec;
  return renderChart({
    id: ID,
    title,
    description:
      `Annualised standard deviation of the ${window} daily returns up to each date (ddof 1, ×√${data.metrics.parameters.periodsPerYear}); ` +
      `the dashed line is the whole period's ${formatPercent(full)}.` +
      thinnedNote(drawn.length, rows.length),
    spec,
    table: {
      caption: `Rolling ${window}-day volatility at each month end`,
      columns: [{ label: 'Month end' }, { label: 'Volatility (annualised)', numeric: true }],
      rows: monthEnds(rows).map((r) => [r.date, formatPercent(r.volatility)]),
    },
  });
}

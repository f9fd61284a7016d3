/** Rolling 63-day beta to the benchmark, with the whole period's beta as a reference line. */
import type { TopLevelSpec } from 'vega-lite';
import { chartUnavailable, renderChart } from '../chart.ts';
import { formatNumber } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';
import { dateX, monthEnds, thinForDrawing, thinnedNote, wholePeriodLayers } from './kit.ts';

const ID = 'rolling-beta';

/** The chart's HTML; null without a benchmark (the section is left out), a sentence when the overlap is shorter than the window. */
export function rollingBetaChart(data: TearsheetData): Promise<string> | null {
  const rolling = data.rollingBeta;
  if (!rolling?.beta) return null;
  const { window, dates, beta } = rolling;
  const title = `Rolling ${window}-day beta of ${data.symbol} to ${data.benchmarkSymbol}`;
  const rows = dates.map((date, i) => ({ date, beta: beta[i] })).filter((r) => Number.isFinite(r.beta));
  if (rows.length === 0) {
    return Promise.resolve(
      chartUnavailable({
        id: ID,
        title,
        reason: `A ${window}-day window needs at least ${window} returns on dates both files have; they have ${dates.length}.`,
      }),
    );
  }
  const drawn = thinForDrawing(rows, (r) => r.beta);
  const full = data.metrics.benchmark?.beta ?? null;
  const y = { field: 'beta', type: 'quantitative', title: 'Beta (ratio)', scale: { zero: false } };
  const spec = {
    layer: [
      { data: { values: drawn }, mark: { type: 'line', color: OKABE_ITO.bluishGreen }, encoding: { x: dateX(dates), y } },
      ...wholePeriodLayers(y, full, formatNumber(full)),
    ],
  } as unknown as TopLevelSpec;
  return renderChart({
    id: ID,
    title,
    description:
      `OLS beta cov(r, b)/var(b) of ${data.symbol}'s daily returns on ${data.benchmarkSymbol}'s over the ${window} returns up to each common date` +
      `${full === null ? '' : `; the dashed line is the whole period's ${formatNumber(full)}`}.` +
      thinnedNote(drawn.length, rows.length),
    spec,
    table: {
      caption: `Rolling ${window}-day beta at each month end`,
      columns: [{ label: 'Month end' }, { label: 'Beta', numeric: true }],
      rows: monthEnds(rows).map((r) => [r.date, formatNumber(r.beta, 3)]),
    },
  });
}

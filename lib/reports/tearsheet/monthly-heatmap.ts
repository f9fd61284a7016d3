/** Monthly returns as a year × month heatmap, with each year's compounded return in a last column. */
import type { TopLevelSpec } from 'vega-lite';
import { chartUnavailable, renderChart } from '../chart.ts';
import { formatPercent } from '../format.ts';
import { DIVERGING_SCHEME } from '../palette.ts';
import type { TearsheetData } from './data.ts';

const ID = 'monthly-returns';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const YEAR = 'Year';
/** Height of one year's row, in pixels. */
const ROW_HEIGHT = 24;

/** Gains blue, losses orange, white at zero (the diverging scheme reversed, centred on 0). */
const colour = (field: string) => ({
  field,
  type: 'quantitative',
  title: null,
  legend: null,
  scale: { scheme: DIVERGING_SCHEME, reverse: true, domainMid: 0 },
});

/** The chart's HTML, or a sentence when no month has a return. */
export function monthlyHeatmap(data: TearsheetData): Promise<string> {
  const { months, years } = data.calendar;
  const title = `Monthly returns of ${data.symbol}`;
  if (months.length === 0) {
    return Promise.resolve(chartUnavailable({ id: ID, title, reason: 'The file has no month with a return in it.' }));
  }
  // White labels on the darkest cells of each colour scale (the outer 40 % of its range), black elsewhere.
  const monthMax = Math.max(...months.map((m) => Math.abs(m.return)));
  const yearMax = Math.max(...years.map((y) => Math.abs(y.return)));
  const monthCells = months.map((m) => ({
    year: String(m.year),
    column: MONTHS[m.month - 1],
    value: m.return,
    label: formatPercent(m.return, 1),
    dark: Math.abs(m.return) > 0.6 * monthMax,
  }));
  const yearCells = years.map((y) => ({
    year: String(y.year),
    column: YEAR,
    value: y.return,
    label: formatPercent(y.return, 1),
    dark: Math.abs(y.return) > 0.6 * yearMax,
  }));
  const x = {
    field: 'column',
    type: 'ordinal',
    title: 'Month (last column: the whole year)',
    sort: [...MONTHS, YEAR],
    scale: { domain: [...MONTHS, YEAR] },
    axis: { labelAngle: 0, orient: 'top' },
  };
  const y = { field: 'year', type: 'ordinal', title: 'Year', sort: 'ascending' };
  const text = { type: 'text', fontSize: 11 };
  const spec = {
    height: ROW_HEIGHT * years.length,
    layer: [
      { data: { values: monthCells }, mark: { type: 'rect', stroke: 'white' }, encoding: { x, y, color: colour('value') } },
      { data: { values: yearCells }, mark: { type: 'rect', stroke: 'white', strokeWidth: 3 }, encoding: { x, y, color: colour('value') } },
      {
        data: { values: [...monthCells, ...yearCells] },
        mark: text,
        encoding: { x, y, text: { field: 'label' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' } },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as TopLevelSpec;
  const best = months.reduce((a, b) => (b.return > a.return ? b : a));
  const worst = months.reduce((a, b) => (b.return < a.return ? b : a));
  const name = (m: { year: number; month: number }) => `${MONTHS[m.month - 1]} ${m.year}`;
  return renderChart({
    id: ID,
    title,
    description:
      `Return of each calendar month (last close of the month against the last close before it) and, in the last column, of each year; ` +
      `blue cells are gains and orange cells losses, months and years on separate colour scales. Best month ${name(best)} ${formatPercent(best.return, 1)}, worst ${name(worst)} ${formatPercent(worst.return, 1)}.`,
    spec,
    table: {
      caption: 'Monthly and yearly returns',
      columns: [{ label: 'Year' }, ...MONTHS.map((label) => ({ label, numeric: true })), { label: YEAR, numeric: true }],
      rows: years.map((yr) => [
        String(yr.year),
        ...MONTHS.map((_, i) => {
          const m = months.find((c) => c.year === yr.year && c.month === i + 1);
          return m ? formatPercent(m.return, 1) : null;
        }),
        formatPercent(yr.return, 1),
      ]),
    },
  });
}

/** Cumulative return of the series against its benchmark: the value of 1 invested on the first (common) date. */
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../chart.ts';
import { formatNumber } from '../format.ts';
import type { TearsheetData } from './data.ts';
import { dateX, monthEnds, thinForDrawing, thinnedNote } from './kit.ts';

/** The chart's HTML; `logScale` draws the wealth axis logarithmically (equal distances = equal percentage moves). */
export function cumulativeReturnChart(data: TearsheetData, logScale: boolean): Promise<string> {
  const { dates, series, benchmark } = data.wealth;
  const names = [data.symbol, ...(benchmark && data.benchmarkSymbol ? [data.benchmarkSymbol] : [])];
  const rows = dates.map((date, i) => ({ date, series: series[i], benchmark: benchmark?.[i] ?? null }));
  const drawn = thinForDrawing(rows, (r) => r.series);
  const values = drawn.flatMap((r) => [
    { date: r.date, name: names[0], wealth: r.series },
    ...(r.benchmark === null ? [] : [{ date: r.date, name: names[1], wealth: r.benchmark }]),
  ]);
  const spec = {
    data: { values },
    mark: { type: 'line', interpolate: 'linear' },
    encoding: {
      x: dateX(dates),
      y: {
        field: 'wealth',
        type: 'quantitative',
        title: `Value of 1 invested${logScale ? ' (log scale)' : ''}`,
        scale: logScale ? { type: 'log' } : { zero: false },
      },
      color: { field: 'name', type: 'nominal', title: null, sort: names },
      strokeDash: {
        field: 'name',
        type: 'nominal',
        title: null,
        sort: names,
        scale: {
          range: [
            [1, 0],
            [6, 3],
          ],
        },
      },
    },
  } as unknown as TopLevelSpec;
  const last = rows[rows.length - 1];
  const vs = benchmark ? ` against ${data.benchmarkSymbol}` : '';
  return renderChart({
    id: 'cumulative-return',
    title: `Cumulative return${vs}`,
    description:
      `Value of 1 invested in ${data.symbol}${vs} on ${dates[0]}, through ${last.date}: ${formatNumber(last.series, 3)}` +
      `${last.benchmark === null ? '' : ` against ${formatNumber(last.benchmark, 3)}`} (cumulative return = value − 1).` +
      thinnedNote(drawn.length, rows.length),
    spec,
    table: {
      caption: 'Value of 1 invested at each month end (cumulative return = value − 1)',
      columns: [
        { label: 'Month end' },
        { label: `${data.symbol}`, numeric: true },
        ...(benchmark ? [{ label: `${data.benchmarkSymbol}`, numeric: true }] : []),
      ],
      rows: monthEnds(rows).map((r) => [r.date, formatNumber(r.series, 4), ...(r.benchmark === null ? [] : [formatNumber(r.benchmark, 4)])]),
    },
  });
}

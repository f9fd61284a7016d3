/**
 * The backtest at a glance: every period's return, the VaR line it was tested against (drawn as
 * −VaR, on the returns' side of zero) and the exceptions marked where a return fell below it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderChart, thin } from '../chart.ts';
import { formatPercent } from '../format.ts';
import { LOSS_COLOUR, OKABE_ITO } from '../palette.ts';
import { periodX } from './axes.ts';
import { type BacktestPageInput, varName } from './input.ts';

/** Beyond this many periods the two lines are thinned evenly (the exception marks never are). */
const MAX_LINE_POINTS = 2000;
/** Rows in the table alternative (evenly spaced periods). */
const TABLE_ROWS = 100;

/** The returns-and-VaR chart as a figure. */
export function returnsVarChart(input: BacktestPageInput): Promise<string> {
  const { report, periods } = input;
  const name = varName(report);
  const all = periods.dates.map((date, k) => ({
    date,
    ret: periods.returns[k],
    negVar: -periods.forecasts[k],
    exception: periods.exceptions[k] === 1,
  }));
  const line = thin(all, MAX_LINE_POINTS);
  const exceptions = all.filter((p) => p.exception);
  const seriesNames = ['Return', `−${name}`, 'Exception'];
  const colour = (label: string) => ({
    datum: label,
    type: 'nominal' as const,
    title: null,
    legend: { labelLimit: 400 },
    scale: { domain: seriesNames, range: [OKABE_ITO.black, OKABE_ITO.blue, LOSS_COLOUR] },
  });
  const x = periodX(report);
  const yTitle = 'Return per period (%)';
  const spec = {
    layer: [
      {
        data: { values: line },
        mark: { type: 'line', strokeWidth: 0.7, opacity: 0.45 },
        encoding: { x, y: { field: 'ret', type: 'quantitative', title: yTitle, axis: { format: '%' } }, color: colour('Return') },
      },
      {
        data: { values: line },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6, strokeDash: [6, 2] },
        encoding: { x, y: { field: 'negVar', type: 'quantitative' }, color: colour(`−${name}`) },
      },
      {
        data: { values: exceptions },
        mark: { type: 'point', shape: 'triangle-down', filled: true, size: 46 },
        encoding: { x, y: { field: 'ret', type: 'quantitative' }, color: colour('Exception') },
      },
    ],
  } as TopLevelSpec;
  const thinned = line.length < all.length ? ` The lines are thinned to ${line.length} evenly spaced of ${all.length} periods; every exception is drawn.` : '';
  const tableRows = thin(all, TABLE_ROWS);
  return renderChart({
    id: 'returns-var',
    title: `Returns against the ${name} forecast`,
    description: `Each period's return (grey), the negative of the VaR forecast made from the ${report.window} returns before it (blue, dashed), and the ${report.exceptionCount} exceptions where the return fell below it (vermillion triangles).${thinned}`,
    spec,
    table: {
      caption:
        tableRows.length < all.length
          ? `${tableRows.length} of ${all.length} periods, evenly spaced (first and last included); every exception is listed under the gap chart.`
          : `Every period (${all.length}).`,
      columns: [{ label: 'Date' }, { label: 'Return', numeric: true }, { label: `−${name}`, numeric: true }, { label: 'Exception' }],
      rows: tableRows.map((p) => [p.date, formatPercent(p.ret), formatPercent(p.negVar), p.exception ? 'yes' : '']),
    },
  });
}

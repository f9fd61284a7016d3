/**
 * Rolling 1-day VaR against the returns it forecast, with the backtest's exceptions (days whose
 * loss exceeded the VaR) marked, and the backtest's verdict (Kupiec, Christoffersen, Basel) beside it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartUnavailable, renderChart } from '../chart.ts';
import { formatCount, formatPercent } from '../format.ts';
import { dataTable } from '../html.ts';
import { OKABE_ITO } from '../palette.ts';
import { isUnavailable, type TearsheetData, VAR_BACKTEST } from './data.ts';
import { dateX, monthEnds, thinForDrawing, thinnedNote } from './kit.ts';

const ID = 'rolling-var';

const describeTest = (c: number) => `${+(c * 100).toFixed(2)}% historical VaR, ${VAR_BACKTEST.window}-day window`;

/** The chart and the backtest table's HTML, or a sentence when the series is shorter than the window. */
export async function rollingVarChart(data: TearsheetData): Promise<string> {
  const title = `Rolling 1-day VaR of ${data.symbol} and its exceptions`;
  const bt = data.varBacktest;
  if (isUnavailable(bt)) return chartUnavailable({ id: ID, title, reason: bt.unavailable });
  const { result, dates, returns } = bt;
  // Drawn as the return threshold −VaR (VaR is a positive loss), so returns below the line are exceptions.
  const rows = dates.map((date, k) => ({
    date,
    return: returns[k],
    var: result.forecasts[k],
    threshold: -result.forecasts[k],
    exception: result.exceptions[k] === 1,
  }));
  const drawnReturns = thinForDrawing(rows, (r) => r.return);
  const drawnThreshold = thinForDrawing(rows, (r) => r.threshold);
  const exceptions = rows.filter((r) => r.exception);
  const y = { type: 'quantitative', title: 'Daily return (%)', axis: { format: '.0%' } };
  const series = ['Daily return', `−VaR ${+(result.confidence * 100).toFixed(2)}%`, 'Exception'];
  const legend = {
    field: 'kind',
    type: 'nominal',
    title: null,
    sort: series,
    scale: { domain: series, range: ['#a6adb4', OKABE_ITO.blue, OKABE_ITO.vermillion] },
  };
  const spec = {
    layer: [
      {
        data: { values: drawnReturns.map((r) => ({ date: r.date, value: r.return, kind: series[0] })) },
        mark: { type: 'line', strokeWidth: 0.8 },
        encoding: { x: dateX(dates), y: { ...y, field: 'value' }, color: legend },
      },
      {
        data: { values: drawnThreshold.map((r) => ({ date: r.date, value: r.threshold, kind: series[1] })) },
        mark: { type: 'line', strokeWidth: 1.6 },
        encoding: { x: dateX(dates), y: { ...y, field: 'value' }, color: legend },
      },
      {
        data: { values: exceptions.map((r) => ({ date: r.date, value: r.return, kind: series[2] })) },
        mark: { type: 'point', shape: 'triangle-down', filled: true, size: 36 },
        encoding: { x: dateX(dates), y: { ...y, field: 'value' }, color: legend },
      },
    ],
  } as unknown as TopLevelSpec;
  const chart = await renderChart({
    id: ID,
    title,
    description:
      `Each day's return against the ${describeTest(result.confidence)} forecast the day before (drawn as −VaR). ` +
      `${result.exceptionCount} of ${formatCount(result.observations)} days lost more than the VaR (exceptions, marked ▼); ${result.expectedExceptions.toFixed(1)} were expected.` +
      thinnedNote(drawnReturns.length, rows.length),
    spec,
    table: {
      caption: 'VaR forecast at each month end, and every exception',
      columns: [{ label: 'Date' }, { label: 'VaR (loss)', numeric: true }, { label: 'Return', numeric: true }, { label: 'Exception' }],
      rows: [...new Set([...monthEnds(rows), ...exceptions])]
        .sort((a, b) => (a.date < b.date ? -1 : 1))
        .map((r) => [r.date, formatPercent(r.var), formatPercent(r.return), r.exception ? 'yes' : '']),
    },
  });
  return chart + backtestTable(data);
}

/** The backtest's verdict; cells carry `data-key="varBacktest.<key>"` as in `riskfn backtest FILE --json`. */
function backtestTable(data: TearsheetData): string {
  const bt = data.varBacktest;
  if (isUnavailable(bt)) return '';
  const r = bt.result;
  const k = (key: string) => `varBacktest.${key}`;
  const pValue = (value: number, key: string, reject: boolean) => [
    { value, format: 'number' as const, digits: 4, key: k(key) },
    reject ? 'rejected at 5%' : 'not rejected at 5%',
  ];
  return dataTable({
    caption: `VaR backtest: ${describeTest(r.confidence)}, ${bt.dates[0]} to ${bt.dates[bt.dates.length - 1]}`,
    id: 'var-backtest',
    columns: [{ label: 'Test' }, { label: 'Value', numeric: true }, { label: 'Verdict' }],
    rows: [
      ['Forecast days', { value: r.observations, format: 'count', key: k('observations') }, ''],
      ['Exceptions', { value: r.exceptionCount, format: 'count', key: k('exceptionCount') }, `${formatPercent(r.exceptionRate)} of days`],
      ['Expected exceptions', { value: r.expectedExceptions, format: 'number', digits: 1, key: k('expectedExceptions') }, ''],
      ['Kupiec coverage, p-value', ...pValue(r.kupiec.pValue, 'kupiec.pValue', r.kupiec.reject)],
      [
        'Christoffersen independence, p-value',
        ...pValue(r.christoffersen.independence.pValue, 'christoffersen.independence.pValue', r.christoffersen.independence.reject),
      ],
      [
        'Christoffersen conditional coverage, p-value',
        ...pValue(r.christoffersen.conditionalCoverage.pValue, 'christoffersen.conditionalCoverage.pValue', r.christoffersen.conditionalCoverage.reject),
      ],
      [
        `Basel traffic light (last ${r.basel.observations} days)`,
        { value: r.basel.exceptions, format: 'count', key: k('basel.exceptions') },
        { value: r.basel.zone, format: 'text', key: k('basel.zone') },
      ],
    ],
  });
}

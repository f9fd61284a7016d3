/** The underwater chart: drawdown below the running peak, with the five worst episodes shaded and numbered, and their table. */
import type { TopLevelSpec } from 'vega-lite';
import type { SeriesMetrics } from '../../domain/risk/index.ts';
import { renderChart } from '../chart.ts';
import { formatPercent } from '../format.ts';
import { dataTable } from '../html.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';
import { dateX, monthEnds, thinForDrawing, thinnedNote } from './kit.ts';

/** The chart's HTML. */
export function drawdownChart(data: TearsheetData): Promise<string> {
  const { dates, values } = data.drawdown;
  const rows = dates.map((date, i) => ({ date, drawdown: values[i] }));
  const drawn = thinForDrawing(rows, (r) => r.drawdown);
  const worst = data.metrics.worstDrawdowns;
  const lastDate = dates[dates.length - 1];
  const bands = worst.map((e, i) => ({ rank: String(i + 1), start: e.peakDate, end: e.recoveryDate ?? lastDate, trough: e.troughDate, depth: e.depth }));
  const y = { field: 'drawdown', type: 'quantitative', title: 'Drawdown from peak (%)', axis: { format: '.0%' }, scale: { reverse: true } };
  const spec = {
    layer: [
      {
        data: { values: bands },
        mark: { type: 'rect', color: OKABE_ITO.orange, opacity: 0.18 },
        encoding: { x: { ...dateX(dates), field: 'start' }, x2: { field: 'end' } },
      },
      {
        data: { values: drawn },
        mark: { type: 'area', color: OKABE_ITO.vermillion, opacity: 0.55, line: { color: OKABE_ITO.vermillion, strokeWidth: 1 } },
        encoding: { x: dateX(dates), y },
      },
      {
        data: { values: bands },
        mark: { type: 'text', dy: 10, fontSize: 11, fontWeight: 'bold', color: OKABE_ITO.black },
        encoding: { x: { ...dateX(dates), field: 'trough' }, y: { ...y, field: 'depth' }, text: { field: 'rank' } },
      },
    ],
  } as unknown as TopLevelSpec;
  const d = data.metrics.maxDrawdownDetails;
  return renderChart({
    id: 'drawdown',
    title: `Drawdown (underwater) of ${data.symbol}`,
    description:
      `How far ${data.symbol} stood below its previous peak on each day. The ${worst.length} worst drawdowns are shaded from peak to recovery and numbered at their trough` +
      `${d ? `; the deepest fell ${formatPercent(d.depth)} from ${d.peakDate} to ${d.troughDate}` : ''}.` +
      thinnedNote(drawn.length, rows.length),
    spec,
    table: {
      caption: 'Drawdown at each month end',
      columns: [{ label: 'Month end' }, { label: 'Drawdown', numeric: true }],
      rows: monthEnds(rows).map((r) => [r.date, formatPercent(r.drawdown)]),
    },
  });
}

/** The table of the worst drawdowns; each cell has `data-key="worstDrawdowns.<i>.<key>"` as in `riskfn metrics --json`. */
export function worstDrawdownsTable(metrics: SeriesMetrics): string {
  const key = (i: number, k: string) => `worstDrawdowns.${i}.${k}`;
  return dataTable({
    caption: `The ${metrics.worstDrawdowns.length} worst drawdowns of ${metrics.period.symbol ?? 'the series'} (durations in trading days)`,
    id: 'worst-drawdowns',
    columns: [
      { label: '#', numeric: true },
      { label: 'Depth', numeric: true },
      { label: 'Peak' },
      { label: 'Trough' },
      { label: 'Recovery' },
      { label: 'Peak to trough', numeric: true },
      { label: 'Trough to recovery', numeric: true },
      { label: 'Peak to recovery', numeric: true },
    ],
    rows: metrics.worstDrawdowns.map((e, i) => [
      String(i + 1),
      { value: e.depth, format: 'percent', key: key(i, 'depth') },
      { value: e.peakDate, format: 'text', key: key(i, 'peakDate') },
      { value: e.troughDate, format: 'text', key: key(i, 'troughDate') },
      { value: e.recoveryDate, format: 'text', key: key(i, 'recoveryDate'), html: e.recoveryDate === null ? 'not yet' : undefined },
      { value: e.peakToTroughPeriods, format: 'count', key: key(i, 'peakToTroughPeriods') },
      { value: e.recoveryPeriods, format: 'count', key: key(i, 'recoveryPeriods') },
      { value: e.durationPeriods, format: 'count', key: key(i, 'durationPeriods') },
    ]),
  });
}

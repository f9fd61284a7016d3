/**
 * Pieces the tearsheet's time-series charts share: the date axis, thinning of long lines for
 * drawing, and month-end rows for the table alternatives. Presentation only: no metric is
 * computed here.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartUnavailable, renderChart } from '../chart.ts';
import { OKABE_ITO } from '../palette.ts';

/** Most points a line is drawn with; longer lines keep each bucket's lowest and highest point. */
const MAX_LINE_POINTS = 1000;

/**
 * The x encoding of every dated chart: ISO dates on a UTC time scale (the same labels in every
 * time zone). Labels always carry the year: spans of three years or more get one tick per year
 * (every second year beyond 16), shorter ones month ticks labelled "Jun 1993", and spans under
 * two months day labels.
 */
export function dateX(dates: readonly string[], title = 'Date'): Record<string, unknown> {
  const days = dates.length > 1 ? (Date.parse(dates[dates.length - 1]) - Date.parse(dates[0])) / 86_400_000 : 0;
  const years = days / 365.25;
  let axis: Record<string, unknown>;
  if (years >= 3) axis = { format: '%Y', tickCount: { interval: 'year', step: years > 16 ? 2 : 1 } };
  else if (days >= 60) axis = { format: '%b %Y', tickCount: { interval: 'month', step: years > 1.5 ? 3 : years > 0.5 ? 2 : 1 } };
  else axis = { format: '%d %b %Y' };
  return { field: 'date', type: 'temporal', scale: { type: 'utc' }, title, axis: { ...axis, labelOverlap: true } };
}

/**
 * At most about `max` of `rows`, for drawing a line: the rows are cut into max/2 buckets and each
 * keeps its lowest and highest `value` (in time order), so peaks and troughs stay on the picture.
 * The first and last rows are always kept. Shorter inputs are returned as they are.
 */
export function thinForDrawing<T>(rows: readonly T[], value: (row: T) => number, max = MAX_LINE_POINTS): T[] {
  if (rows.length <= max) return [...rows];
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const size = (rows.length - 2) / buckets;
  const out: T[] = [rows[0]];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor(b * size);
    const to = Math.min(rows.length - 1, 1 + Math.floor((b + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (value(rows[i]) < value(rows[lo])) lo = i;
      if (value(rows[i]) > value(rows[hi])) hi = i;
    }
    if (to <= from) continue;
    out.push(rows[Math.min(lo, hi)]);
    if (hi !== lo) out.push(rows[Math.max(lo, hi)]);
  }
  out.push(rows[rows.length - 1]);
  return out;
}

/** A sentence for a caption when a line was thinned, else ''. */
export function thinnedNote(drawn: number, total: number): string {
  return drawn < total ? ` Drawn with ${drawn.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} points (each stretch's high and low).` : '';
}

/** The last row of each calendar month (rows in date order, `date` ISO): the table alternative of a daily line. */
export function monthEnds<T extends { date: string }>(rows: readonly T[]): T[] {
  return rows.filter((r, i) => i === rows.length - 1 || rows[i + 1].date.slice(0, 7) !== r.date.slice(0, 7));
}

/**
 * The dashed whole-period line of a rolling chart and its label ("whole period 0.82"), as two
 * vega-lite layers on the chart's own `y` encoding; none when the whole-period value is undefined.
 */
function wholePeriodLayers(y: { readonly field: string }, value: number | null, label: string): Record<string, unknown>[] {
  if (value === null) return [];
  const values = [{ [y.field]: value, label: `whole period ${label}` }];
  return [
    { data: { values }, mark: { type: 'rule', color: OKABE_ITO.black, strokeDash: [4, 3] }, encoding: { y } },
    { data: { values }, mark: { type: 'text', align: 'left', x: 4, dy: -7, fontSize: 11 }, encoding: { y, text: { field: 'label' } } },
  ];
}

/** One rolling statistic drawn as a dated line: what {@link rollingLineChart} needs. */
export interface RollingLine {
  id: string;
  title: string;
  /** The rolling window's end dates and the statistic at each (non-finite: not defined there). */
  dates: readonly string[];
  values: ArrayLike<number>;
  /** The y encoding; its `field` names the statistic in the chart's data. */
  y: { readonly field: string } & Record<string, unknown>;
  color: string;
  /** Layers drawn between the line and the whole-period line (e.g. a zero rule). */
  extraLayers?: Record<string, unknown>[];
  /** The whole period's value (the dashed reference line; null: none) and its label. */
  whole: { value: number | null; label: string };
  /** Why there is no chart when no window has a finite value. */
  unavailable: string;
  /** The chart's description (the note on thinning is added). */
  description: string;
  /** The table alternative: its caption, value column and formatting (one row per month end). */
  table: { caption: string; column: string; format: (value: number) => string };
}

/**
 * A rolling statistic's chart (volatility, Sharpe ratio, beta): the line, thinned for drawing,
 * the whole period's value as a dashed reference line, and a month-end table; a sentence instead
 * when no window has a value.
 */
export function rollingLineChart(o: RollingLine): Promise<string> {
  const field = o.y.field;
  const rows = o.dates.map((date, i) => ({ date, [field]: o.values[i] })).filter((r) => Number.isFinite(r[field]));
  if (rows.length === 0) return Promise.resolve(chartUnavailable({ id: o.id, title: o.title, reason: o.unavailable }));
  const drawn = thinForDrawing(rows, (r) => r[field] as number);
  const spec = {
    layer: [
      { data: { values: drawn }, mark: { type: 'line', color: o.color }, encoding: { x: dateX(o.dates), y: o.y } },
      ...(o.extraLayers ?? []),
      ...wholePeriodLayers(o.y, o.whole.value, o.whole.label),
    ],
  } as unknown as TopLevelSpec;
  return renderChart({
    id: o.id,
    title: o.title,
    description: o.description + thinnedNote(drawn.length, rows.length),
    spec,
    table: {
      caption: o.table.caption,
      columns: [{ label: 'Month end' }, { label: o.table.column, numeric: true }],
      rows: monthEnds(rows).map((r) => [r.date, o.table.format(r[field] as number)]),
    },
  });
}

/**
 * Exception clustering: the count of exceptions in the trailing 250 periods over time (against the
 * Basel zones), the gaps between consecutive exceptions (against the gap expected if they were
 * independent), and the transition counts of Christoffersen's independence test.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ExceptionClustering } from '../../domain/scoring/backtest-clustering.ts';
import { baselZones } from '../../domain/scoring/backtest-clustering.ts';
import { chartUnavailable, renderChart, thin } from '../chart.ts';
import { formatCount, formatNumber, formatPercent } from '../format.ts';
import { dataTable } from '../html.ts';
import { LOSS_COLOUR, OKABE_ITO } from '../palette.ts';
import { periodX } from './axes.ts';
import type { BacktestPageInput } from './input.ts';
import { ZONE_COLOURS, ZONES, zoneLabel } from './zones.ts';

const TABLE_ROWS = 100;

/** Exceptions in the trailing window at each period, over the Basel zones for that window. */
export function trailingChart(input: BacktestPageInput, clustering: ExceptionClustering): Promise<string> {
  const { span, trailing } = clustering;
  const title = `Exceptions in the trailing ${span} periods`;
  if (trailing.length === 0) {
    return Promise.resolve(
      chartUnavailable({
        id: 'exceptions-trailing',
        title,
        reason: `A trailing count over ${span} periods needs at least ${span} forecasts; this backtest has ${input.report.observations}.`,
      }),
    );
  }
  const peak = Math.max(...trailing.map((t) => t.count));
  const zones = baselZones(span, input.report.confidence);
  // Each zone's band spans its exception counts, to half a count past its largest one.
  const top = Math.max(peak, zones.redMin) + 1;
  const greenTop = zones.greenMax === null ? 0 : zones.greenMax + 0.5;
  const yellowTop = zones.yellowMax === null ? greenTop : zones.yellowMax + 0.5;
  const edges = { green: [0, greenTop], yellow: [greenTop, yellowTop], red: [yellowTop, top] };
  const bands = ZONES.filter((z) => edges[z][1] > edges[z][0]).map((zone) => ({ zone: zoneLabel(zone), from: edges[zone][0], to: edges[zone][1] }));
  const spec = {
    layer: [
      {
        data: { values: bands },
        mark: { type: 'rect', opacity: 0.22 },
        encoding: {
          y: { field: 'from', type: 'quantitative', title: 'Exceptions (count)', scale: { domain: [0, top], nice: false } },
          y2: { field: 'to' },
          color: {
            field: 'zone',
            type: 'nominal',
            title: `Basel zone (${span} periods)`,
            legend: { titleLimit: 400 },
            scale: { domain: ZONES.map(zoneLabel), range: ZONES.map((z) => ZONE_COLOURS[z]) },
          },
        },
      },
      {
        data: { values: trailing },
        mark: { type: 'line', interpolate: 'step-after', color: OKABE_ITO.black, strokeWidth: 1.6 },
        encoding: { x: periodX(input.report), y: { field: 'count', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
  const rows = thin(trailing, TABLE_ROWS);
  return renderChart({
    id: 'exceptions-trailing',
    title,
    description: `How many of the ${span} forecasts ending at each date were exceptions (black step line), over the Basel zones for ${span} periods: green up to ${zones.greenMax ?? 'none'}, yellow up to ${zones.yellowMax ?? 'none'}, red from ${zones.redMin}. A line that climbs quickly shows exceptions arriving in clusters; the highest count was ${peak}.`,
    spec,
    table: {
      caption:
        rows.length < trailing.length
          ? `${rows.length} of ${trailing.length} dates, evenly spaced (first and last included).`
          : `Every date (${trailing.length}).`,
      columns: [{ label: 'Date' }, { label: `Exceptions in the trailing ${span}`, numeric: true }],
      rows: rows.map((t) => [t.date, formatCount(t.count)]),
    },
  });
}

/** The gap before each exception (after the first), against the gap expected under independence. */
export function gapChart(input: BacktestPageInput, clustering: ExceptionClustering): Promise<string> {
  const { report, periods } = input;
  const { gaps, expectedGap } = clustering;
  const title = 'Gaps between consecutive exceptions';
  if (gaps.length === 0) {
    return Promise.resolve(
      chartUnavailable({
        id: 'exception-gaps',
        title,
        reason: `Gaps need at least two exceptions; this backtest has ${report.exceptionCount === 1 ? 'one' : report.exceptionCount === 0 ? 'none' : report.exceptionCount}.`,
      }),
    );
  }
  const spec = {
    layer: [
      {
        data: { values: gaps },
        mark: { type: 'point', filled: true, size: 42, color: LOSS_COLOUR },
        encoding: {
          x: periodX(report),
          y: { field: 'gap', type: 'quantitative', scale: { type: 'log' }, title: 'Gap (periods, log scale)' },
        },
      },
      {
        data: { values: [{ expected: expectedGap, label: `expected if independent: ${formatNumber(expectedGap, 0)}` }] },
        layer: [
          { mark: { type: 'rule', color: OKABE_ITO.blue, strokeDash: [6, 3], strokeWidth: 1.4 }, encoding: { y: { field: 'expected', type: 'quantitative' } } },
          {
            mark: { type: 'text', align: 'left', dx: 4, dy: -7, color: OKABE_ITO.blue, fontSize: 11 },
            encoding: { y: { field: 'expected', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
  const first = periods.exceptions.indexOf(1);
  const rows = [
    { date: periods.dates[first], index: first, gap: null as number | null },
    ...gaps.map((g) => ({ date: g.date, index: g.index, gap: g.gap as number | null })),
  ];
  return renderChart({
    id: 'exception-gaps',
    title,
    description: `For each exception after the first, the number of periods since the one before (vermillion points, log scale). Independent exceptions at the nominal rate would be ${formatNumber(expectedGap, 0)} periods apart on average (blue dashed line); many short gaps mean exceptions come in clusters.`,
    spec,
    table: {
      caption: `Every exception (${rows.length}): its return, the VaR it broke and the gap since the previous one.`,
      columns: [{ label: 'Date' }, { label: 'Return', numeric: true }, { label: 'VaR', numeric: true }, { label: 'Periods since previous', numeric: true }],
      rows: rows.map((r) => [
        r.date,
        formatPercent(periods.returns[r.index]),
        formatPercent(periods.forecasts[r.index]),
        r.gap === null ? '—' : formatCount(r.gap),
      ]),
    },
  });
}

/** The 2×2 transition counts of the independence test, with the conditional exception rates. */
export function transitionsTable(input: BacktestPageInput, clustering: ExceptionClustering): string {
  const t = input.report.christoffersen.transitions;
  const key = (k: keyof typeof t) => ({ value: t[k], format: 'count' as const, key: `christoffersen.transitions.${k}` });
  return dataTable({
    id: 'transitions',
    caption: 'Christoffersen transition counts: pairs of consecutive periods by whether each had an exception',
    columns: [
      { label: 'Previous period' },
      { label: 'No exception next', numeric: true },
      { label: 'Exception next', numeric: true },
      { label: 'Exception rate next', numeric: true },
    ],
    rows: [
      ['No exception', key('n00'), key('n01'), formatPercent(clustering.pi01)],
      ['Exception', key('n10'), key('n11'), formatPercent(clustering.pi11)],
      ['Any', '', '', formatPercent(clustering.pi)],
    ],
  });
}

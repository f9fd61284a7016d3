/**
 * The Basel traffic light: the zone of the last (up to) 250 forecasts, the figures behind it, the
 * zone boundaries for that sample and a chart of where the observed count falls among them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { BaselZoneRow, BaselZones } from '../../domain/scoring/backtest-clustering.ts';
import { renderChart } from '../chart.ts';
import { formatCount, formatNumber, formatPercent } from '../format.ts';
import { dataTable, escapeHtml } from '../html.ts';
import { OKABE_ITO } from '../palette.ts';
import { type BacktestPageInput, levelText } from './input.ts';
import { ZONE_COLOURS, ZONES, zoneLabel } from './zones.ts';

/** The zone as a coloured badge (its name written out: colour is never the only cue). */
function badge(zone: BacktestPageInput['report']['basel']['zone']): string {
  return `<span class="badge" style="background:${ZONE_COLOURS[zone]};color:#000;border-color:#000">${escapeHtml(zoneLabel(zone).toUpperCase())}</span>`;
}

/** The zone, its figures (each cell keyed to `--json`'s `basel` member) and the zone boundaries. */
export function baselTables(input: BacktestPageInput, zones: BaselZones): string {
  const { basel, confidence } = input.report;
  const standard = basel.plusFactor !== null;
  const head = `<p>Zone over the last ${formatCount(basel.observations)} forecasts: ${badge(basel.zone)} — ${formatCount(basel.exceptions)} exceptions; if the VaR were right, ${formatPercent(basel.cumulativeProbability)} of samples would have that many or fewer.</p>`;
  const figures = dataTable({
    id: 'basel',
    caption: `Basel traffic light (last ${basel.observations} forecasts at ${levelText(confidence)})`,
    columns: [{ label: 'Figure' }, { label: 'Value', numeric: true }],
    rows: [
      ['Zone', { value: basel.zone, format: 'text', key: 'basel.zone' }],
      ['Exceptions', { value: basel.exceptions, format: 'count', key: 'basel.exceptions' }],
      ['Forecasts counted', { value: basel.observations, format: 'count', key: 'basel.observations' }],
      ['P(X ≤ exceptions) under a correct VaR', { value: basel.cumulativeProbability, format: 'percent', digits: 4, key: 'basel.cumulativeProbability' }],
      ['Plus factor', { value: basel.plusFactor, format: 'number', key: 'basel.plusFactor' }],
      ['Capital multiplier (3 + plus factor)', { value: basel.multiplier, format: 'number', key: 'basel.multiplier' }],
    ],
  });
  const byZone = ZONES.map((zone) => ({ zone, rows: zones.rows.filter((r) => r.zone === zone) })).filter((z) => z.rows.length > 0);
  const countRange = (zone: string, rows: readonly BaselZoneRow[]) =>
    zone === 'red'
      ? `${rows[0].exceptions} or more`
      : rows.length === 1
        ? `${rows[0].exceptions}`
        : `${rows[0].exceptions}–${rows[rows.length - 1].exceptions}`;
  const plusRange = (rows: readonly BaselZoneRow[]) => {
    const values = [...new Set(rows.map((r) => r.plusFactor))];
    return values.length === 1 ? formatNumber(values[0]) : `${formatNumber(values[0])}–${formatNumber(values[values.length - 1])}`;
  };
  const boundaries = dataTable({
    id: 'basel-zones',
    caption: `Zone boundaries for ${basel.observations} forecasts at ${levelText(confidence)}: green while P(X ≤ k) < 95%, yellow while < 99.99%, red above`,
    columns: [{ label: 'Zone' }, { label: 'Exceptions k' }, ...(standard ? [{ label: 'Plus factor' }] : [])],
    // The red zone is open-ended: its first count stands for all the larger ones.
    rows: byZone.map(({ zone, rows }) => {
      const shown = zone === 'red' ? rows.slice(0, 1) : rows;
      return [zoneLabel(zone), countRange(zone, shown), ...(standard ? [plusRange(shown)] : [])];
    }),
  });
  const note = standard ? '' : '<p class="note">The BCBS plus factor and capital multiplier are defined for 250 forecasts at 99% only.</p>';
  // Each table in its own cell, so the grid stretches the cell, not the table's rows.
  return `${head}<div class="grid2"><div>${figures}</div><div>${boundaries}</div></div>${note}`;
}

/** P(X ≤ k) for each exception count k, coloured by zone, with the observed count marked. */
export function baselChart(input: BacktestPageInput, zones: BaselZones): Promise<string> {
  const { basel, confidence } = input.report;
  const values = zones.rows.map((r) => ({ k: r.exceptions, p: r.cumulativeProbability, zone: zoneLabel(r.zone), observed: r.exceptions === basel.exceptions }));
  const xField = { field: 'k', type: 'ordinal' as const, title: `Exceptions k in ${basel.observations} forecasts (count)`, axis: { labelAngle: 0 } };
  const spec = {
    height: 200,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', stroke: OKABE_ITO.black, strokeWidth: 0.5 },
        encoding: {
          x: xField,
          y: { field: 'p', type: 'quantitative', title: 'P(X ≤ k) (%)', axis: { format: '%' }, scale: { domain: [0, 1] } },
          color: { field: 'zone', type: 'nominal', title: 'Basel zone', scale: { domain: ZONES.map(zoneLabel), range: ZONES.map((z) => ZONE_COLOURS[z]) } },
          strokeWidth: { condition: { test: 'datum.observed', value: 3 }, value: 0.5 },
        },
      },
      {
        data: { values: values.filter((v) => v.observed) },
        mark: { type: 'text', dy: -8, fontWeight: 'bold', color: OKABE_ITO.black },
        encoding: { x: xField, y: { field: 'p', type: 'quantitative' }, text: { value: 'observed' } },
      },
    ],
  } as TopLevelSpec;
  return renderChart({
    id: 'basel-chart',
    title: `Basel traffic light: where ${basel.exceptions} exceptions fall`,
    description: `For each exception count k in ${basel.observations} forecasts at ${levelText(confidence)}, the probability of seeing k or fewer if the VaR were right, coloured by the zone it gives; the observed count (${basel.exceptions}, outlined and labelled) is in the ${basel.zone} zone.`,
    spec,
    table: {
      caption: 'Every exception count up to the first red one (and up to the observed count).',
      columns: [{ label: 'Exceptions k', numeric: true }, { label: 'P(X ≤ k)', numeric: true }, { label: 'Zone' }, { label: 'Plus factor', numeric: true }],
      rows: zones.rows.map((r) => [formatCount(r.exceptions), formatPercent(r.cumulativeProbability, 4), zoneLabel(r.zone), formatNumber(r.plusFactor)]),
    },
  });
}

/** Distribution of daily returns, with the historical VaR and ES of the KPI table drawn as lines. */
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../chart.ts';
import { formatCount, formatPercent } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';
import type { TearsheetData } from './data.ts';

/** About this many bars; the width is rounded up to 1, 2, 2.5 or 5 × a power of ten (in return units). */
const TARGET_BINS = 80;

/** Equal-width bins over [min, max] with a round width: presentation only (counts of the engine's returns). */
export function histogramBins(values: ArrayLike<number>, target = TARGET_BINS): { start: number; end: number; count: number }[] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const raw = (max - min) / target || 1e-4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * power).find((w) => w >= raw) ?? 10 * power;
  const first = Math.floor(min / width);
  const counts = new Array<number>(Math.floor(max / width) - first + 1).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.floor(values[i] / width) - first]++;
  return counts.map((count, b) => ({ start: (first + b) * width, end: (first + b + 1) * width, count }));
}

/** The chart's HTML. */
export function returnHistogram(data: TearsheetData): Promise<string> {
  const m = data.metrics;
  const bins = histogramBins(data.returns);
  const c = `${+(m.parameters.confidence * 100).toFixed(2)}%`;
  // Drawn at −VaR and −ES: they are positive losses, the x axis is the signed return.
  const lines = [
    { at: -m.historicalVar, label: `VaR ${c}: ${formatPercent(m.historicalVar)}`, kind: 'VaR' },
    { at: -m.historicalEs, label: `ES ${c}: ${formatPercent(m.historicalEs)}`, kind: 'ES' },
  ];
  const x = { type: 'quantitative', title: 'Daily return (%)', axis: { format: '.0%' } };
  const spec = {
    layer: [
      {
        data: { values: bins },
        mark: { type: 'bar', color: OKABE_ITO.blue, opacity: 0.8, binSpacing: 0 },
        encoding: { x: { ...x, field: 'start', bin: { binned: true } }, x2: { field: 'end' }, y: { field: 'count', type: 'quantitative', title: 'Days' } },
      },
      {
        data: { values: lines },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x: { ...x, field: 'at' },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['VaR', 'ES'], range: [OKABE_ITO.orange, OKABE_ITO.vermillion] } },
          strokeDash: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['VaR', 'ES'],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
          },
        },
      },
      // One label per line, stacked at the top of the plot (y in pixels).
      ...lines.map((line, i) => ({
        data: { values: [line] },
        mark: { type: 'text', align: 'right', dx: -4, baseline: 'top', fontSize: 11 },
        encoding: { x: { ...x, field: 'at' }, y: { value: 4 + 16 * i }, text: { field: 'label' } },
      })),
    ],
  } as unknown as TopLevelSpec;
  return renderChart({
    id: 'return-histogram',
    title: `Distribution of ${data.symbol}'s daily returns`,
    description:
      `How many of the ${formatCount(data.returns.length)} daily returns fell in each ${formatPercent(bins[0].end - bins[0].start, 2)} band. ` +
      `The lines mark the historical 1-day VaR (${formatPercent(m.historicalVar)}) and ES (${formatPercent(m.historicalEs)}) at ${c}: ` +
      `on ${formatPercent(1 - m.parameters.confidence, 0)} of days the loss exceeded the VaR, and the ES is the average loss on those days.`,
    spec,
    table: {
      caption: 'Days per return band',
      columns: [
        { label: 'From', numeric: true },
        { label: 'To', numeric: true },
        { label: 'Days', numeric: true },
      ],
      rows: bins.filter((b) => b.count > 0).map((b) => [formatPercent(b.start), formatPercent(b.end), formatCount(b.count)]),
    },
  });
}

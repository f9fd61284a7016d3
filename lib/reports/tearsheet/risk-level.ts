/**
 * The model's risk level for the series' last date, its class probabilities and the features
 * behind it: the numbers of `riskfn predict MODEL --prices FILE` (the same model code), drawn.
 * Cells carry `data-key="predict.<path>"`, the path in the first element of `riskfn predict --json`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartUnavailable, renderChart } from '../chart.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { dataTable, escapeHtml, jsonAttribute } from '../html.ts';
import { LOSS_COLOUR, OKABE_ITO } from '../palette.ts';
import { isUnavailable, type TearsheetData } from './data.ts';

const ID = 'risk-level';
/** How many feature contributions are drawn and tabled. */
const TOP_FEATURES = 8;
/** Said when the predicted level is not the most probable one, which surprises readers. */
const RELATIVE_RULE =
  '; the model names the level whose probability is highest relative to how often it occurred in training, so a rarer level can win with a lower probability';
const LEVEL_COLOURS: Record<string, string> = { low: OKABE_ITO.bluishGreen, medium: OKABE_ITO.orange, high: OKABE_ITO.vermillion };

/** The section's HTML; null without a model (the section is left out). */
export async function riskLevelSection(data: TearsheetData): Promise<string | null> {
  const p = data.prediction;
  if (p === null) return null;
  const title = `Model risk level of ${data.symbol}`;
  if (isUnavailable(p)) return chartUnavailable({ id: ID, title, reason: p.unavailable });
  const key = (path: string) => `predict.${path}`;
  const attr = (path: string, value: number | string) => `data-key="${escapeHtml(key(path))}" data-value="${jsonAttribute(value)}"`;
  const colour = LEVEL_COLOURS[p.riskLevel] ?? OKABE_ITO.black;
  const mostProbable = Object.entries(p.probabilities).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const headline =
    `<p>Risk level on <span ${attr('date', p.asOf)}>${escapeHtml(p.asOf)}</span>: ` +
    `<span class="badge" style="color:${colour}" ${attr('prediction.label', p.riskLevel)}>${escapeHtml(p.riskLevel)}</span> ` +
    `(probability ${escapeHtml(formatPercent(p.probabilities[p.riskLevel], 1))}${mostProbable === p.riskLevel ? '' : RELATIVE_RULE}). ` +
    `The model forecasts the band of the next days' realised volatility; ` +
    `the bars below show how much each feature moved the probability of this level away from the training base rate.</p>`;
  const probabilities = dataTable({
    caption: 'Class probabilities (calibrated)',
    id: 'risk-probabilities',
    columns: [{ label: 'Risk level' }, { label: 'Probability', numeric: true }],
    rows: Object.entries(p.probabilities).map(([level, value]) => [
      level,
      { value, format: 'percent', digits: 1, key: key(`prediction.probabilities.${level}`) },
    ]),
  });
  const top = p.contributions.slice(0, TOP_FEATURES);
  const values = top.map((c) => ({ feature: c.feature, contribution: c.contribution, direction: c.contribution >= 0 ? 'raises' : 'lowers' }));
  const spec = {
    height: 22 * top.length,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: null, title: 'Feature' },
      x: { field: 'contribution', type: 'quantitative', title: `Contribution to P(${p.riskLevel}) (probability points)`, axis: { format: '+.0%' } },
      color: {
        field: 'direction',
        type: 'nominal',
        title: null,
        scale: { domain: ['raises', 'lowers'], range: [LOSS_COLOUR, OKABE_ITO.blue] },
      },
    },
  } as unknown as TopLevelSpec;
  const chart = await renderChart({
    id: ID,
    title: `Why ${p.riskLevel}: the ${top.length} features that moved the prediction most`,
    description:
      `Path contributions of the forest toward the predicted level: probability ${formatPercent(p.probabilities[p.riskLevel], 1)} = base rate ${formatPercent(p.baseRate, 1)} ` +
      `+ the sum of all features' contributions + the calibration's ${formatPercent(p.calibration, 1)}.`,
    spec,
    table: {
      caption: 'Feature values and contributions',
      columns: [{ label: 'Feature' }, { label: 'Value', numeric: true }, { label: 'Contribution', numeric: true }],
      rows: top.map((c) => [c.feature, formatNumber(c.value, 4), formatPercent(c.contribution, 2)]),
    },
  });
  const terms = dataTable({
    caption: 'How the probability adds up',
    id: 'risk-explanation',
    columns: [{ label: 'Term' }, { label: 'Probability points', numeric: true }],
    rows: [
      ['Training base rate', { value: p.baseRate, format: 'percent', digits: 2, key: key('prediction.baseRate') }],
      ['Calibration adjustment', { value: p.calibration, format: 'percent', digits: 2, key: key('prediction.calibration') }],
    ],
  });
  // Each table in its own box, so the grid does not stretch the shorter table's rows.
  return `${headline}<div class="grid2"><div>${probabilities}</div><div>${terms}</div></div>${chart}`;
}

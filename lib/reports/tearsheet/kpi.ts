/**
 * The tearsheet's KPI tables: the risk engine's whole single-series set (`computeSeriesMetrics`)
 * for the series and, beside it, for the benchmark alone; then the benchmark-relative metrics.
 * Each value cell carries `data-key` = its key path in `riskfn metrics --json` (the benchmark's own
 * column: `benchmarkSeries.` + its key in `riskfn metrics BENCHMARK --json`) and `data-value` =
 * the raw number, so the page can be checked against the CLI exactly.
 */
import type { SeriesMetrics } from '../../domain/risk/index.ts';
import type { ValueFormat } from '../format.ts';
import { escapeHtml, type KpiRow, kpiTable } from '../html.ts';

/** How a metric is labelled and formatted; metrics the engine adds later fall back to their key, as a number. */
interface KpiSpec {
  readonly key: string;
  readonly label: string;
  readonly format: ValueFormat;
  readonly digits?: number;
}

const pct = (key: string, label: string): KpiSpec => ({ key, label, format: 'percent' });
const num = (key: string, label: string, digits = 2): KpiSpec => ({ key, label, format: 'number', digits });

/** Single-series metrics in reading order (keys of `computeSeriesMetrics`). */
const SERIES_KPIS = (confidence: string): readonly KpiSpec[] => [
  pct('cumulativeReturn', 'Cumulative return'),
  pct('annualizedReturn', 'Annualised return (geometric)'),
  pct('annualizedVolatility', 'Annualised volatility'),
  pct('downsideDeviation', 'Downside deviation (annualised)'),
  pct('semideviation', 'Semideviation (annualised)'),
  pct('ewmaVolatility', 'EWMA volatility (λ 0.94, annualised)'),
  pct('maxDrawdown', 'Maximum drawdown'),
  num('sharpeRatio', 'Sharpe ratio'),
  num('sortinoRatio', 'Sortino ratio'),
  num('calmarRatio', 'Calmar ratio'),
  num('omegaRatio', 'Omega ratio'),
  num('tailRatio', 'Tail ratio'),
  num('stability', 'Stability (R² of log wealth)', 3),
  pct('historicalVar', `Historical VaR ${confidence}, 1 day`),
  pct('historicalEs', `Historical ES ${confidence}, 1 day`),
  pct('gaussianVar', `Gaussian VaR ${confidence}, 1 day`),
  pct('gaussianEs', `Gaussian ES ${confidence}, 1 day`),
  pct('cornishFisherVar', `Cornish–Fisher VaR ${confidence}, 1 day`),
  pct('cornishFisherEs', `Cornish–Fisher ES ${confidence}, 1 day`),
  num('skewness', 'Skewness'),
  num('excessKurtosis', 'Excess kurtosis'),
  num('skewnessUnbiased', 'Skewness (bias-corrected)'),
  num('excessKurtosisUnbiased', 'Excess kurtosis (bias-corrected)'),
  num('atr', 'ATR(14), price units'),
];

const OHLC_KPIS: readonly KpiSpec[] = [
  pct('ohlcVolatility.closeToClose', 'Close-to-close volatility (log)'),
  pct('ohlcVolatility.parkinson', 'Parkinson volatility'),
  pct('ohlcVolatility.garmanKlass', 'Garman–Klass volatility'),
  pct('ohlcVolatility.rogersSatchell', 'Rogers–Satchell volatility'),
  pct('ohlcVolatility.yangZhang', 'Yang–Zhang volatility'),
];

/** Benchmark-relative metrics (keys under `benchmark` in `riskfn metrics --benchmark --json`). */
const RELATIVE_KPIS: readonly KpiSpec[] = [
  num('beta', 'Beta'),
  pct('alpha', 'Alpha (annualised)'),
  num('correlation', 'Correlation'),
  num('rSquared', 'R²'),
  pct('trackingError', 'Tracking error (annualised)'),
  num('informationRatio', 'Information ratio'),
  num('treynorRatio', 'Treynor ratio', 3),
  num('upCaptureRatio', 'Up-capture ratio'),
  num('downCaptureRatio', 'Down-capture ratio'),
  num('upBeta', 'Up-market beta'),
  num('downBeta', 'Down-market beta'),
  { key: 'observations', label: 'Common returns', format: 'count' },
];

/** Keys that are not metrics of their own (shown elsewhere on the page, or the call's parameters). */
const NOT_KPIS = new Set(['period', 'parameters', 'maxDrawdownDetails', 'worstDrawdowns', 'benchmark', 'ohlcVolatility', 'symbol', 'startDate', 'endDate']);

/** "userFriendlyName" → "User friendly name": the label of a metric with no entry above. */
function labelOf(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueAt(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), object);
}

/** The listed specs, then any scalar key of `object` not listed (so a metric the engine adds is never left off the page). */
function specsFor(listed: readonly KpiSpec[], object: object): KpiSpec[] {
  const known = new Set(listed.map((s) => s.key));
  const extra = Object.entries(object)
    .filter(([k, v]) => !known.has(k) && !NOT_KPIS.has(k) && (typeof v === 'number' || v === null))
    .map(([k]) => num(k, labelOf(k)));
  return [...listed.filter((s) => valueAt(object, s.key) !== undefined), ...extra];
}

const rowOf = (spec: KpiSpec, values: KpiRow['values']): KpiRow => ({ ...spec, values });

/** The KPI section's HTML: the series (and benchmark) table, and the relative table with a benchmark. */
export function kpiSection(metrics: SeriesMetrics, benchmarkMetrics: SeriesMetrics | null): string {
  const name = metrics.period.symbol ?? 'Series';
  const benchName = benchmarkMetrics ? (benchmarkMetrics.period.symbol ?? 'Benchmark') : null;
  const confidence = `${+(metrics.parameters.confidence * 100).toFixed(2)}%`;
  const listed = [...SERIES_KPIS(confidence), ...(metrics.ohlcVolatility ? OHLC_KPIS : [])];
  const columns = [{ name, keyPrefix: '' }, ...(benchName ? [{ name: benchName, keyPrefix: 'benchmarkSeries.' }] : [])];
  const rows = specsFor(listed, metrics).map((spec) =>
    rowOf(spec, {
      [name]: valueAt(metrics, spec.key) as number | null,
      ...(benchName ? { [benchName]: (valueAt(benchmarkMetrics, spec.key) as number | null | undefined) ?? null } : {}),
    }),
  );
  const periodOf = (m: SeriesMetrics) => `${m.period.startDate} to ${m.period.endDate} (${m.period.prices.toLocaleString('en-US')} prices)`;
  const caption = `Risk and return, ${periodOf(metrics)}${benchmarkMetrics ? `; ${benchName}: ${periodOf(benchmarkMetrics)}` : ''}`;
  // Each table in its own box, so the grid does not stretch the shorter table's rows.
  let html = `<div>${kpiTable({ caption, columns, rows, id: 'kpi-table' })}</div>`;
  const b = metrics.benchmark;
  if (b) {
    const relRows = specsFor(RELATIVE_KPIS, b).map((spec) => rowOf(spec, { [name]: valueAt(b, spec.key) as number | null }));
    html += `<div>${kpiTable({
      caption: `${name} relative to ${b.symbol ?? 'the benchmark'}, on the ${b.observations.toLocaleString('en-US')} returns between common dates ${b.startDate} and ${b.endDate}`,
      columns: [{ name, keyPrefix: 'benchmark.' }],
      rows: relRows,
      id: 'kpi-relative',
    })}</div>`;
  }
  const p = metrics.parameters;
  const note = `<p class="note">Returns are simple daily returns, annualised with ${p.periodsPerYear} periods a year; risk-free rate ${escapeHtml(
    `${+(p.riskFree * 100).toFixed(4)}%`,
  )} a year (also the minimum acceptable return). VaR and ES are positive loss fractions. Definitions: the metrics page of the documentation.</p>`;
  return `<div class="grid2">${html}</div>${note}`;
}

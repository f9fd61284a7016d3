/**
 * The report's first section: the verdict in two sentences and the key figures, each figure cell
 * carrying its `riskfn backtest --json` key and raw value.
 */

import { formatCount, formatNumber, formatPercent } from '../format.ts';
import { escapeHtml, type KpiRow, kpiTable } from '../html.ts';
import { type BacktestPageInput, levelText, varName } from './input.ts';
import { decisionText, formatPValue } from './tests-table.ts';
import { zoneLabel } from './zones.ts';

/** The verdict: coverage, independence and the Basel zone, in words, from the engine's numbers. */
export function verdict(input: BacktestPageInput): string {
  const { report, significance } = input;
  const { kupiec, christoffersen, basel } = report;
  const coverage = `${formatCount(report.exceptionCount)} exceptions in ${formatCount(report.observations)} forecasts against ${formatNumber(report.expectedExceptions, 1)} expected (a rate of ${formatPercent(report.exceptionRate)} against ${levelText(1 - report.confidence)}).`;
  const tests = `Correct coverage is ${decisionText(kupiec, significance)} (Kupiec, p = ${formatPValue(kupiec.pValue)}); independence of the exceptions is ${decisionText(christoffersen.independence, significance)} (Christoffersen, p = ${formatPValue(christoffersen.independence.pValue)}).`;
  const zone = `Basel traffic light over the last ${basel.observations} forecasts: ${zoneLabel(basel.zone).toUpperCase()}, with ${formatCount(basel.exceptions)} exceptions.`;
  return `<p>${escapeHtml(`${coverage} ${tests} ${zone}`)}</p>`;
}

/** The key figures of the run (the `--json` top-level members; the tests and the Basel result have their own tables). */
export function summaryTable(input: BacktestPageInput): string {
  const { report } = input;
  const column = report.symbol ?? 'Series';
  const row = (key: string, label: string, format: KpiRow['format'], value: number | string | null, digits?: number): KpiRow => ({
    key,
    label,
    format,
    digits,
    values: { [column]: value },
  });
  return kpiTable({
    id: 'kpis',
    caption: `Backtest of the ${varName(report)}`,
    columns: [{ name: column, keyPrefix: '' }],
    rows: [
      row('method', 'VaR method', 'text', report.method),
      row('confidence', 'VaR confidence', 'percent', report.confidence, 1),
      row('window', 'Estimation window (periods)', 'count', report.window),
      row('firstForecastDate', 'First forecast period', 'text', report.firstForecastDate),
      row('lastForecastDate', 'Last forecast period', 'text', report.lastForecastDate),
      row('observations', 'Forecasts', 'count', report.observations),
      row('exceptionCount', 'Exceptions', 'count', report.exceptionCount),
      row('expectedExceptions', 'Expected exceptions', 'number', report.expectedExceptions, 1),
      row('exceptionRate', 'Exception rate', 'percent', report.exceptionRate),
    ],
  });
}

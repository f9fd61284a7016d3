/**
 * The coverage and independence tests as one table: Kupiec's unconditional coverage, and
 * Christoffersen's independence and conditional coverage, each with its likelihood-ratio
 * statistic, degrees of freedom, p-value and decision at the run's significance.
 */
import type { LrTest } from '../../domain/risk/backtest.ts';
import { type Cell, dataTable, escapeHtml } from '../html.ts';
import { type BacktestPageInput, levelText } from './input.ts';

/** A p-value with its digits kept: four decimals, or scientific notation below 0.001 (never a bare "0.0000"). */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p === 0 || p >= 0.001 ? p.toFixed(4) : p.toExponential(2);
}

/** The decision in words: "rejected at 5%" or "not rejected at 5%". */
export function decisionText(test: LrTest, significance: number): string {
  return `${test.reject ? 'rejected' : 'not rejected'} at ${levelText(significance)}`;
}

function testRow(name: string, hypothesis: string, test: LrTest, key: string, significance: number): Cell[] {
  return [
    name,
    hypothesis,
    { value: test.statistic, format: 'number', digits: 3, key: `${key}.statistic` },
    { value: test.degreesOfFreedom, format: 'count', key: `${key}.degreesOfFreedom` },
    { value: test.pValue, key: `${key}.pValue`, html: escapeHtml(formatPValue(test.pValue)) },
    { value: decisionText(test, significance), html: test.reject ? `<strong>${escapeHtml(decisionText(test, significance))}</strong>` : undefined },
  ];
}

/** The three likelihood-ratio tests; each number cell carries its `--json` key. */
export function testsTable(input: BacktestPageInput): string {
  const { report, significance } = input;
  const rate = levelText(1 - report.confidence);
  return dataTable({
    id: 'lr-tests',
    caption: `Likelihood-ratio tests on the ${report.observations} forecasts (χ² p-values; reject when p < ${levelText(significance)})`,
    columns: [
      { label: 'Test' },
      { label: 'Null hypothesis' },
      { label: 'LR statistic', numeric: true },
      { label: 'df', numeric: true },
      { label: 'p-value', numeric: true },
      { label: 'Decision' },
    ],
    rows: [
      testRow('Kupiec (unconditional coverage)', `the exception rate is ${rate}`, report.kupiec, 'kupiec', significance),
      testRow(
        'Christoffersen independence',
        'an exception is no more likely right after an exception',
        report.christoffersen.independence,
        'christoffersen.independence',
        significance,
      ),
      testRow(
        'Christoffersen conditional coverage',
        `both: the rate is ${rate} and exceptions are independent`,
        report.christoffersen.conditionalCoverage,
        'christoffersen.conditionalCoverage',
        significance,
      ),
    ],
  });
}

/**
 * The risk tearsheet: one self-contained HTML page of a price series' risk — the KPI tables,
 * cumulative return against a benchmark, drawdowns, rolling volatility, rolling VaR with its
 * backtest, rolling Sharpe ratio, the return distribution, monthly returns, rolling beta and, with a model, the
 * predicted risk level and why. Numbers come from the risk engine and the model code
 * ({@link tearsheetData}); each module beside this file draws one section.
 */
import { page, type Section } from '../html.ts';
import { cumulativeReturnChart } from './cumulative-return.ts';
import { type TearsheetInput, tearsheetData } from './data.ts';
import { drawdownChart, worstDrawdownsTable } from './drawdown.ts';
import { returnHistogram } from './histogram.ts';
import { kpiSection } from './kpi.ts';
import { monthlyHeatmap } from './monthly-heatmap.ts';
import { riskLevelSection } from './risk-level.ts';
import { rollingBetaChart } from './rolling-beta.ts';
import { rollingSharpeChart } from './rolling-sharpe.ts';
import { rollingVarChart } from './rolling-var.ts';
import { rollingVolatilityChart } from './rolling-volatility.ts';

export type { TearsheetInput } from './data.ts';

/** Options of {@link buildTearsheet} that only change the look. */
export interface TearsheetOptions {
  /** The page title (default: "Risk tearsheet: SYMBOL"). */
  readonly title?: string;
  /** Draw the cumulative-return axis logarithmically. */
  readonly logScale?: boolean;
  /** Facts about the inputs shown under the title (e.g. the files read). */
  readonly facts?: readonly (readonly [string, string])[];
}

/** The tearsheet as one HTML document (deterministic: the same inputs give the same bytes). */
export async function buildTearsheet(input: TearsheetInput, options: TearsheetOptions = {}): Promise<string> {
  const data = tearsheetData(input);
  const m = data.metrics;
  // Drawn one after another: vega is single-threaded, so nothing is gained by starting them together.
  const risk = await riskLevelSection(data);
  const cumulative = await cumulativeReturnChart(data, options.logScale ?? false);
  const drawdown = await drawdownChart(data);
  const volatility = await rollingVolatilityChart(data);
  const sharpe = await rollingSharpeChart(data);
  const varChart = await rollingVarChart(data);
  const histogram = await returnHistogram(data);
  const monthly = await monthlyHeatmap(data);
  const beta = await rollingBetaChart(data);
  const sections: Section[] = [
    { id: 'kpis', title: 'Key figures', body: kpiSection(m, data.benchmarkMetrics) },
    ...(risk === null ? [] : [{ id: 'model', title: 'Risk level', body: risk }]),
    { id: 'performance', title: 'Cumulative return', body: cumulative },
    { id: 'drawdowns', title: 'Drawdowns', body: drawdown + worstDrawdownsTable(m) },
    { id: 'volatility', title: 'Volatility and VaR', body: volatility + varChart },
    { id: 'sharpe', title: 'Sharpe ratio', body: sharpe },
    { id: 'distribution', title: 'Return distribution', body: histogram },
    { id: 'calendar', title: 'Monthly returns', body: monthly },
    ...(beta === null ? [] : [{ id: 'beta', title: 'Beta', body: beta }]),
  ];
  const vs = data.benchmarkSymbol ? ` against ${data.benchmarkSymbol}` : '';
  return page({
    title: options.title ?? `Risk tearsheet: ${data.symbol}`,
    subtitle: `${data.symbol}${vs}, ${m.period.startDate} to ${m.period.endDate} (${m.period.returns.toLocaleString('en-US')} daily returns)`,
    facts: options.facts,
    sections,
    footer:
      `Made by <code>riskfn report</code>. Every number comes from the riskfn risk engine (the same code as <code>riskfn metrics</code>, ` +
      '<code>riskfn backtest</code> and <code>riskfn predict</code>); the page only formats and draws them. Conventions: VaR, ES and drawdowns are ' +
      `positive loss fractions; returns are simple daily returns; annualisation uses ${m.parameters.periodsPerYear} periods a year. Charts are rendered to SVG when the page is made; ` +
      'each has its numbers in a table under it.',
  });
}

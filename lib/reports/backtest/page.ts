/**
 * The VaR backtest report: one self-contained HTML page (see lib/reports/html.ts) made from a
 * backtest's numbers. Sections: summary, returns against the VaR line, the coverage and
 * independence tests, exception clustering and the Basel traffic light.
 */
import { baselZones, exceptionClustering } from '../../domain/scoring/backtest-clustering.ts';
import { escapeHtml, page } from '../html.ts';
import { baselChart, baselTables } from './basel.ts';
import { gapChart, trailingChart, transitionsTable } from './clustering.ts';
import { type BacktestPageInput, levelText, varName } from './input.ts';
import { summaryTable, verdict } from './summary.ts';
import { testsTable } from './tests-table.ts';
import { returnsVarChart } from './var-chart.ts';

/** The page's closing note, up to the command it names (set in code type after it). */
const FOOTER = (window: number) =>
  `An exception is a period whose simple return fell strictly below −VaR, the VaR being forecast from the ${window} returns before the period only. ` +
  'Kupiec (1995) tests the exception rate, Christoffersen (1998) their independence and both together (likelihood-ratio tests, χ² p-values); ' +
  'the Basel traffic light follows BCBS (1996). Every number is computed by the riskfn risk engine, the same that ';

/** The Basel window: the traffic light counts the last 250 forecasts. */
const BASEL_SPAN = 250;

/** The whole report as an HTML document. */
export async function renderBacktestPage(input: BacktestPageInput): Promise<string> {
  const { report } = input;
  const clustering = exceptionClustering(input.periods, report.christoffersen.transitions, report.confidence, BASEL_SPAN);
  const zones = baselZones(report.basel.observations, report.confidence, report.basel.exceptions);
  // One after another: rendering runs on this one thread, so starting them together would gain nothing.
  const returnsFigure = await returnsVarChart(input);
  const trailingFigure = await trailingChart(input, clustering);
  const gapFigure = await gapChart(input, clustering);
  const baselFigure = await baselChart(input, zones);
  const name = report.symbol ?? input.source;
  return page({
    title: `VaR backtest: ${name}`,
    subtitle: `${varName(report)}, ${report.window}-period window, forecasts ${report.firstForecastDate} to ${report.lastForecastDate}`,
    facts: [
      ['Source', input.source],
      ['Test size', levelText(input.significance)],
    ],
    sections: [
      { id: 'summary', title: 'Summary', body: verdict(input) + summaryTable(input) },
      { id: 'returns', title: 'Returns and VaR', body: returnsFigure },
      { id: 'tests', title: 'Coverage and independence tests', body: testsTable(input) },
      { id: 'clustering', title: 'Exception clustering', body: trailingFigure + gapFigure + transitionsTable(input, clustering) },
      { id: 'basel', title: 'Basel traffic light', body: baselTables(input, zones) + baselFigure },
    ],
    footer: `${escapeHtml(FOOTER(report.window))}<code>riskfn backtest --json</code> prints; conventions are in the riskfn documentation (metrics, section 8).`,
  });
}

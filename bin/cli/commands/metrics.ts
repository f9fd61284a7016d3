/**
 * `riskfn metrics FILE [--benchmark FILE] [--confidence 0.95] [--periods 252] [--rf 0] [--mar R]
 *  [--horizon 1] [--json] [-o FILE]` — the single-series metric set of a price file (docs/metrics.md).
 */
import type { Command } from 'commander';
import { computeSeriesMetrics, DEFAULT_CONFIDENCE, type SeriesMetrics } from '../../../lib/domain/risk/index.ts';
import { confidenceOption, numberOption, paragraphs, periodsOption, varHorizonOption } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { checkStdinOnce, outputOption, writeOutput } from '../io.ts';
import { addPriceFileOptions, loadPriceFile, type PriceFileOptions } from '../price-files.ts';

interface MetricsOptions extends PriceFileOptions {
  benchmark?: string;
  confidence: number;
  periods: number;
  rf: number;
  mar?: number;
  horizon: number;
  json?: boolean;
  output: string;
}

const aboveMinusOne = (v: number): boolean => v > -1;

export function register(program: Command): void {
  const command = program
    .command('metrics')
    .summary('risk metrics of one price file (volatility, drawdown, VaR/ES, ratios; --benchmark for beta/alpha)')
    .description(
      paragraphs(`FILE is a CSV price file (Date,Close | Date,Open,High,Low,Close,Volume | ...,Adj Close,Volume)
or a dated return file (Date,Return). Missing values drop the row. See docs/metrics.md.`),
    )
    .argument('<file>', "price or return file ('-' reads stdin)")
    .option(
      '--benchmark <file>',
      'benchmark price file: adds beta, alpha, correlation, R², tracking error, information and Treynor ratios (on the common dates)',
    )
    .addOption(confidenceOption(DEFAULT_CONFIDENCE))
    .addOption(periodsOption())
    .addOption(numberOption('--rf <rate>', 'annual risk-free rate, e.g. 0.02', { check: aboveMinusOne, expected: 'an annual rate > -1', default: 0 }))
    .addOption(
      numberOption('--mar <rate>', 'annual minimum acceptable return for Sortino/Omega', {
        check: aboveMinusOne,
        expected: 'an annual rate > -1',
        defaultDescription: '--rf',
      }),
    )
    .addOption(varHorizonOption())
    .option('--json', 'print one JSON object (camelCase keys, see docs/metrics.md)')
    .addOption(outputOption('the result'));
  addPriceFileOptions(command).action((file: string, opts: MetricsOptions) => run(file, opts));
}

async function run(file: string, opts: MetricsOptions): Promise<void> {
  checkStdinOnce([file, opts.benchmark]);
  const { confidence, periods: periodsPerYear, rf: riskFree, horizon } = opts;
  const mar = opts.mar ?? riskFree;
  const main = await loadPriceFile(file, opts);
  const benchmark = opts.benchmark ? (await loadPriceFile(opts.benchmark, opts)).series : undefined;
  const m = computeSeriesMetrics(main.series, { confidence, periodsPerYear, riskFree, mar, horizon, benchmark });
  writeOutput(opts.output, `${opts.json ? toJson(m) : render(m, main.droppedRows.length, main.fromReturns)}\n`);
}

function render(m: SeriesMetrics, dropped: number, fromReturns: boolean): string {
  const c = `${(m.parameters.confidence * 100).toFixed((m.parameters.confidence * 100) % 1 === 0 ? 0 : 1)}%`;
  const h = m.parameters.horizon === 1 ? '' : `, ${m.parameters.horizon}-period`;
  const d = m.maxDrawdownDetails;
  const sections: [string, [string, string][]][] = [
    [
      `${m.period.symbol ?? 'series'}: ${m.period.startDate} .. ${m.period.endDate}`,
      [
        ['prices / returns', `${m.period.prices} / ${m.period.returns}${fromReturns ? ' (from a return file)' : ''}`],
        ...(dropped > 0 ? ([['rows dropped (missing values)', String(dropped)]] as [string, string][]) : []),
        ['periods per year / rf / MAR', `${m.parameters.periodsPerYear} / ${pct(m.parameters.riskFree)} / ${pct(m.parameters.mar)}`],
      ],
    ],
    [
      'Return',
      [
        ['cumulative return', pct(m.cumulativeReturn)],
        ['annualized return (geometric)', pct(m.annualizedReturn)],
      ],
    ],
    [
      'Risk (annualized)',
      [
        ['volatility (ddof 1)', pct(m.annualizedVolatility)],
        ['downside deviation (MAR)', pct(m.downsideDeviation)],
        ['semideviation', pct(m.semideviation)],
        [`EWMA volatility (lambda ${m.parameters.ewmaLambda})`, pct(m.ewmaVolatility)],
        ['skewness / excess kurtosis', `${num(m.skewness)} / ${num(m.excessKurtosis)}`],
        ['  bias-corrected', `${num(m.skewnessUnbiased)} / ${num(m.excessKurtosisUnbiased)}`],
      ],
    ],
    [
      `Tail loss (${c}${h}, positive = loss)`,
      [
        ['historical VaR / ES', `${pct(m.historicalVar)} / ${pct(m.historicalEs)}`],
        ['Gaussian VaR / ES', `${pct(m.gaussianVar)} / ${pct(m.gaussianEs)}`],
        ['Cornish-Fisher VaR / ES', `${pct(m.cornishFisherVar)} / ${pct(m.cornishFisherEs)}`],
      ],
    ],
    [
      'Ratios',
      [
        ['Sharpe', num(m.sharpeRatio)],
        ['Sortino', num(m.sortinoRatio)],
        ['Calmar', num(m.calmarRatio)],
        ['Omega', num(m.omegaRatio)],
        ['tail ratio', num(m.tailRatio)],
      ],
    ],
    [
      'Drawdown',
      [
        ['max drawdown', pct(m.maxDrawdown)],
        ...(d
          ? ([
              ['peak / trough', `${d.peakDate} / ${d.troughDate} (${d.peakToTroughPeriods} periods)`],
              ['recovered', d.recoveryDate ? `${d.recoveryDate} (${d.durationPeriods} periods from peak)` : 'not yet'],
            ] as [string, string][])
          : []),
        ...m.worstDrawdowns
          .slice(1)
          .map((e, i) => [`#${i + 2}`, `${pct(e.depth)}  ${e.peakDate} -> ${e.troughDate} -> ${e.recoveryDate ?? 'open'}`] as [string, string]),
      ],
    ],
  ];
  if (m.ohlcVolatility) {
    const o = m.ohlcVolatility;
    sections.push([
      `OHLC volatility (annualized, full sample, ${o.rows} rows)`,
      [
        ['close-to-close (log)', pct(o.closeToClose)],
        ['Parkinson', pct(o.parkinson)],
        ['Garman-Klass', pct(o.garmanKlass)],
        ['Rogers-Satchell', pct(o.rogersSatchell)],
        ['Yang-Zhang', pct(o.yangZhang)],
        ['ATR(14), price units', num(m.atr)],
      ],
    ]);
  }
  if (m.benchmark) {
    const b = m.benchmark;
    sections.push([
      `Relative to ${b.symbol ?? 'benchmark'} (${b.startDate} .. ${b.endDate}, ${b.observations} returns)`,
      [
        ['beta', num(b.beta)],
        ['alpha (annualized)', pct(b.alpha)],
        ['correlation / R²', `${num(b.correlation)} / ${num(b.rSquared)}`],
        ['tracking error', pct(b.trackingError)],
        ['information ratio', num(b.informationRatio)],
        ['Treynor ratio', num(b.treynorRatio)],
      ],
    ]);
  }
  return table(sections);
}

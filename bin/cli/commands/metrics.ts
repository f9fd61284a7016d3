/**
 * `riskfn metrics FILE [--benchmark FILE] [--confidence 0.95] [--periods 252] [--rf 0] [--mar R]
 *  [--horizon 1] [--json]` — the single-series metric set of a price file (docs/metrics.md).
 */
import { computeSeriesMetrics, type SeriesMetrics } from '../../../lib/domain/risk/index.ts';
import { defineCommand, numberOption, onePositional } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { loadPriceFile } from '../price-files.ts';

export const summary = 'risk metrics of one price file (volatility, drawdown, VaR/ES, ratios; --benchmark for beta/alpha)';

const HELP = `usage: riskfn metrics FILE [options]

FILE is a CSV price file (Date,Close | Date,Open,High,Low,Close,Volume | ...,Adj Close,Volume)
or a dated return file (Date,Return). Missing values drop the row.

options:
  --benchmark FILE   benchmark price file: adds beta, alpha, correlation, R², tracking error,
                     information and Treynor ratios (computed on the common dates)
  --confidence C     VaR/ES confidence in (0,1) (default 0.95)
  --periods A        periods per year for annualisation (default 252)
  --rf R             annual risk-free rate, e.g. 0.02 (default 0)
  --mar R            annual minimum acceptable return for Sortino/Omega (default: --rf)
  --horizon H        horizon in periods for parametric VaR/ES, square-root-of-time (default 1)
  --json             print one JSON object (camelCase keys, see docs/metrics.md)
  -h, --help         this help`;

function render(m: SeriesMetrics, dropped: number, fromReturns: boolean): string {
  const c = `${(m.parameters.confidence * 100).toFixed(m.parameters.confidence * 100 % 1 === 0 ? 0 : 1)}%`;
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
        ...m.worstDrawdowns.slice(1).map(
          (e, i) => [`#${i + 2}`, `${pct(e.depth)}  ${e.peakDate} -> ${e.troughDate} -> ${e.recoveryDate ?? 'open'}`] as [string, string],
        ),
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

export const run = defineCommand({
  name: 'metrics',
  help: HELP,
  options: {
    benchmark: { type: 'string' },
    confidence: { type: 'string' },
    periods: { type: 'string' },
    rf: { type: 'string' },
    mar: { type: 'string' },
    horizon: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  run({ values, positionals }) {
    const file = onePositional(positionals);
    const confidence = numberOption('confidence', values.confidence, 0.95, (v) => v > 0 && v < 1, 'in (0, 1)');
    const periodsPerYear = numberOption('periods', values.periods, 252, (v) => v > 0, 'a positive number');
    const riskFree = numberOption('rf', values.rf, 0, (v) => v > -1, 'an annual rate > -1');
    const mar = numberOption('mar', values.mar, riskFree, (v) => v > -1, 'an annual rate > -1');
    const horizon = numberOption('horizon', values.horizon, 1, (v) => v > 0, 'a positive number of periods');
    const main = loadPriceFile(file);
    const benchmark = values.benchmark ? loadPriceFile(values.benchmark).series : undefined;
    const m = computeSeriesMetrics(main.series, { confidence, periodsPerYear, riskFree, mar, horizon, benchmark });
    console.log(values.json ? toJson(m) : render(m, main.droppedRows.length, main.fromReturns));
    return 0;
  },
});

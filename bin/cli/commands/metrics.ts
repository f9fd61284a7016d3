/**
 * `riskfn metrics FILE [--benchmark FILE] [--confidence 0.95] [--periods 252] [--rf 0] [--mar R]
 *  [--horizon 1] [--rolling N] [--json] [-o FILE]` — the single-series metric set of a price file,
 *  or with --rolling its rolling volatility, VaR, Sharpe ratio and beta (docs/metrics.md).
 */
import type { Command } from 'commander';
import { computeSeriesMetrics, DEFAULT_CONFIDENCE, type RollingSeries, rollingSeries, type SeriesMetrics } from '../../../lib/domain/risk/index.ts';
import { confidenceOption, DataError, integerOption, numberOption, paragraphs, periodsOption, varHorizonOption } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { checkStdinOnce, inputName, outputOption, writeOutput } from '../io.ts';
import { addPriceFileOptions, loadPriceFile, type PriceFileOptions } from '../price-files.ts';

interface MetricsOptions extends PriceFileOptions {
  benchmark?: string;
  confidence: number;
  periods: number;
  rf: number;
  mar?: number;
  horizon: number;
  rolling?: number;
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
or a dated return file (Date,Return). Missing values drop the row. See docs/metrics.md.

--rolling N prints the rolling series instead: annualized volatility, one-period historical VaR
at --confidence, Sharpe ratio and (with --benchmark, on the common dates) beta, each from the N
returns ending at each date. With --json: one object with the dates and the full series (null
until the window is full); without: the last values and the range of each series.`),
    )
    .argument('<file>', "price or return file ('-' reads stdin)")
    .option(
      '--benchmark <file>',
      'benchmark price file: adds beta, alpha, correlation, R², tracking error, information and Treynor ratios, up/down capture and beta (on the common dates)',
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
    .addOption(integerOption('--rolling <n>', 'print the rolling series over windows of n returns instead', { min: 2, expected: 'an integer ≥ 2' }))
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
  if (opts.rolling !== undefined) {
    const window = opts.rolling;
    const rs = rollingSeries(main.series, { window, confidence, periodsPerYear, riskFree, benchmark });
    if (rs.dates.length < window) {
      const where = benchmark ? ` on the dates it shares with ${inputName(opts.benchmark as string)}` : '';
      throw new DataError(`${inputName(file)} has ${rs.dates.length} returns${where}; --rolling ${window} needs at least ${window}`);
    }
    writeOutput(opts.output, `${opts.json ? toJson(rs) : renderRolling(rs)}\n`);
    return;
  }
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
        ['stability (R² of log wealth trend)', num(m.stability)],
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
        ['up / down capture', `${num(b.upCaptureRatio)} / ${num(b.downCaptureRatio)}`],
        ['up / down beta', `${num(b.upBeta)} / ${num(b.downBeta)}`],
      ],
    ]);
  }
  return table(sections);
}

/** Index of the smallest (`sign` 1) or largest (`sign` −1) finite value. */
function extremeIndex(x: Float64Array, sign: 1 | -1): number {
  let best = -1;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && (best < 0 || sign * (x[i] - x[best]) < 0)) best = i;
  return best;
}

/** Text mode of --rolling: the last value and the range of each series (the full series is --json's). */
function renderRolling(rs: RollingSeries): string {
  const p = rs.parameters;
  const c = `${+(p.confidence * 100).toFixed(2)}%`;
  const last = rs.dates.length - 1;
  const rows: [string, Float64Array | null, (v: number | null) => string][] = [
    ['volatility (annualized)', rs.volatility, (v) => pct(v)],
    [`VaR ${c} (${p.varMethod}, 1 period, positive = loss)`, rs.var, (v) => pct(v)],
    ['Sharpe ratio', rs.sharpe, (v) => num(v)],
    [`beta to ${rs.benchmarkSymbol ?? 'benchmark'}`, rs.beta, (v) => num(v)],
  ];
  const present = rows.filter((r): r is [string, Float64Array, (v: number | null) => string] => r[1] !== null);
  const value = (x: Float64Array, i: number) => (Number.isFinite(x[i]) ? x[i] : null);
  const at = (x: Float64Array, i: number, f: (v: number | null) => string) => (i < 0 ? 'undefined' : `${f(value(x, i))} (${rs.dates[i]})`);
  return table([
    [
      `${rs.symbol ?? 'series'}: rolling ${rs.window}-return window, ${rs.dates[rs.window - 1]} .. ${rs.dates[last]}${rs.beta ? ' (common dates)' : ''}`,
      [
        ['values per series', String(rs.dates.length - rs.window + 1)],
        ['periods per year / rf', `${p.periodsPerYear} / ${pct(p.riskFree)}`],
      ],
    ],
    [`Last value (${rs.dates[last]})`, present.map(([label, x, f]) => [label, f(value(x, last))])],
    ['Range (lowest .. highest)', present.map(([label, x, f]) => [label, `${at(x, extremeIndex(x, 1), f)} .. ${at(x, extremeIndex(x, -1), f)}`])],
    ['Full series', [['dates and every value', 'riskfn metrics FILE --rolling N --json']]],
  ]);
}

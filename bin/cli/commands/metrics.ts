/**
 * `riskfn metrics FILE [--benchmark FILE] [--confidence 0.95] [--periods 252] [--rf 0] [--mar R]
 *  [--horizon 1] [--json]` — the single-series metric set of a price file (docs/metrics.md).
 *
 * Also exports the small helpers the `portfolio` and `backtest` commands share (file loading,
 * option parsing, table and JSON output), so every risk command reports errors the same way:
 * one line `riskfn <cmd>: <file>: row <n>, column <c>: <problem>`, exit code 1 (2 for usage).
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePriceCsvDetailed, parseReturnsCsv, PriceFileError } from '../../../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { computeSeriesMetrics, RiskInputError, type SeriesMetrics, wealthPath } from '../../../lib/domain/risk/index.ts';

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

/** A usage error: bad or missing arguments (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Reads and parses a price file; a dated return file is turned into a wealth index (see docs). */
export function loadPriceFile(path: string): { series: PriceSeries; droppedRows: number[]; fromReturns: boolean } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PriceFileError(path, 0, `cannot read file (${code ?? String(err)})`, undefined, { cause: err });
  }
  const symbol = basename(path, extname(path));
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].toLowerCase();
  if (!/close/.test(header) && /(^|[,;\t"\s])(returns?|ret)([,;\t"\s]|$)/.test(header)) {
    const r = parseReturnsCsv(text, { source: path, symbol });
    if (!r.dates) throw new PriceFileError(path, 1, 'a return file needs a Date column here', 'Date');
    // Wealth index 1 on the day before the first return, then ∏(1 + r).
    const first = new Date(`${r.dates[0]}T00:00:00Z`);
    first.setUTCDate(first.getUTCDate() - 1);
    const series: PriceSeries = { symbol, dates: [first.toISOString().slice(0, 10), ...r.dates], close: wealthPath(r.returns) };
    return { series, droppedRows: [], fromReturns: true };
  }
  const parsed = parsePriceCsvDetailed(text, { source: path, symbol });
  return { ...parsed, fromReturns: false };
}

/** Parses a numeric option, checking its domain. */
export function numberOption(name: string, raw: string | undefined, fallback: number, check: (v: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UsageError(`--${name} must be ${expected}, got '${raw}'`);
  return v;
}

/** Runs a command body, mapping known errors to one line on stderr and an exit code. */
export async function runCommand(name: string, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      console.error(`riskfn ${name}: ${err.message} (see: riskfn ${name} --help)`);
      return 2;
    }
    if (err instanceof PriceFileError || err instanceof RiskInputError) {
      console.error(`riskfn ${name}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/** JSON with typed arrays as plain arrays and non-finite numbers as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    2,
  );
}

/** Formats a fraction as a percentage; null as "undefined". */
export function pct(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? 'undefined' : `${(v * 100).toFixed(digits)}%`;
}

/** Formats a plain number; null as "undefined". */
export function num(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined ? 'undefined' : v.toFixed(digits);
}

/** Renders sections of label/value rows as an aligned text table. */
export function table(sections: [string, [string, string][]][]): string {
  const width = Math.max(...sections.flatMap(([, rows]) => rows.map(([l]) => l.length)));
  const out: string[] = [];
  for (const [title, rows] of sections) {
    if (rows.length === 0) continue;
    out.push(title);
    for (const [l, v] of rows) out.push(`  ${l.padEnd(width)}  ${v}`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

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

export async function run(argv: string[]): Promise<number> {
  return runCommand('metrics', () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        benchmark: { type: 'string' },
        confidence: { type: 'string' },
        periods: { type: 'string' },
        rf: { type: 'string' },
        mar: { type: 'string' },
        horizon: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing FILE' : `expected one FILE, got ${positionals.length}`);
    const confidence = numberOption('confidence', values.confidence, 0.95, (v) => v > 0 && v < 1, 'in (0, 1)');
    const periodsPerYear = numberOption('periods', values.periods, 252, (v) => v > 0, 'a positive number');
    const riskFree = numberOption('rf', values.rf, 0, (v) => v > -1, 'an annual rate > -1');
    const mar = numberOption('mar', values.mar, riskFree, (v) => v > -1, 'an annual rate > -1');
    const horizon = numberOption('horizon', values.horizon, 1, (v) => v > 0, 'a positive number of periods');
    const main = loadPriceFile(positionals[0]);
    const benchmark = values.benchmark ? loadPriceFile(values.benchmark).series : undefined;
    const m = computeSeriesMetrics(main.series, { confidence, periodsPerYear, riskFree, mar, horizon, benchmark });
    console.log(values.json ? toJson(m) : render(m, main.droppedRows.length, main.fromReturns));
    return 0;
  });
}

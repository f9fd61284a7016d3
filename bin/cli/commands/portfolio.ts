/**
 * `riskfn portfolio FILE... --weights 0.4,0.3,0.3 [--normalize] [--confidence 0.95] [--periods 252]
 *  [--covariance sample|ewma|ledoit-wolf] [--horizon 1] [--json] [-o FILE]` — risk of a weighted portfolio
 * of the given price files: aligned on common dates, covariance, volatility, Gaussian and
 * historical VaR/ES with marginal and component (Euler) VaR, diversification ratio.
 */

import type { Command } from 'commander';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import {
  alignedReturns,
  type CovarianceMatrix,
  DEFAULT_CONFIDENCE,
  diversificationRatio,
  ewmaCovariance,
  gaussianPortfolioVar,
  historicalPortfolioVar,
  ledoitWolfCovariance,
  mean,
  portfolioVolatility,
  sampleCovariance,
} from '../../../lib/domain/risk/index.ts';
import { choiceOption, confidenceOption, DataError, paragraphs, periodsOption, UsageError, varHorizonOption } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { checkStdinOnce, outputOption, writeOutput } from '../io.ts';
import { addPriceFileOptions, loadPriceFile, type PriceFileOptions } from '../price-files.ts';

const COVARIANCES = ['sample', 'ewma', 'ledoit-wolf'] as const;
type CovarianceMethod = (typeof COVARIANCES)[number];

interface PortfolioOptions extends PriceFileOptions {
  weights?: string;
  normalize?: boolean;
  covariance: CovarianceMethod;
  confidence: number;
  periods: number;
  horizon: number;
  json?: boolean;
  output: string;
}

/** How far from 1 the weights may sum before they are refused (rounding in typed fractions). */
const WEIGHT_SUM_TOLERANCE = 1e-6;

export function register(program: Command): void {
  const command = program
    .command('portfolio')
    .summary('risk of a weighted portfolio of price files (volatility, VaR/ES, component VaR)')
    .description(
      paragraphs(`Aligns the price files on their common dates (inner join), then computes portfolio risk.
Weights are fractions of capital and must sum to 1 (shorts are negative weights); weights that
do not (e.g. 40,30,30) are refused unless --normalize scales them to sum 1.`),
    )
    .argument('<file...>', "price files, one per asset ('-' reads one from stdin)")
    .option('--weights <list>', 'comma-separated weights, one per FILE, summing to 1 (default: equal weights)')
    .option('--normalize', 'divide the weights by their sum instead of refusing a sum other than 1')
    .addOption(choiceOption('--covariance <method>', 'covariance estimator; sample is ddof 1, ewma is RiskMetrics with lambda 0.94', COVARIANCES, 'sample'))
    .addOption(confidenceOption(DEFAULT_CONFIDENCE))
    .addOption(periodsOption())
    .addOption(varHorizonOption())
    .option('--json', 'print one JSON object')
    .addOption(outputOption('the result'));
  addPriceFileOptions(command).action((files: string[], opts: PortfolioOptions) => run(files, opts));
}

/** The weights of the command line: one per file, summing to 1 (or scaled to with --normalize). */
function parseWeights(raw: string | undefined, count: number, normalize: boolean): number[] {
  if (raw === undefined) return new Array<number>(count).fill(1 / count);
  const parts = raw.split(',').map((s) => s.trim());
  const w = parts.map(Number);
  if (parts.some((s) => s === '') || w.some((v) => !Number.isFinite(v))) throw new UsageError(`--weights must be numbers separated by commas, got '${raw}'`);
  if (w.length !== count) throw new UsageError(`--weights has ${w.length} values for ${count} files`);
  const sum = w.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE) return w;
  if (Math.abs(sum) <= WEIGHT_SUM_TOLERANCE) throw new UsageError(`--weights sum to ${+sum.toFixed(6)}; weights that sum to 0 cannot be scaled to 1`);
  const scaled = w.map((v) => +(v / sum).toFixed(6)).join(',');
  if (!normalize) {
    throw new UsageError(`--weights sum to ${+sum.toFixed(6)}, not 1: give fractions of capital (--weights ${scaled}) or add --normalize`);
  }
  return w.map((v) => v / sum);
}

async function run(files: string[], opts: PortfolioOptions): Promise<void> {
  checkStdinOnce(files);
  const weights = parseWeights(opts.weights, files.length, opts.normalize ?? false);
  const { covariance: method, confidence, periods: periodsPerYear, horizon } = opts;
  const series: PriceSeries[] = [];
  for (const f of files) series.push((await loadPriceFile(f, opts)).series);
  // Inner join on dates, then returns over consecutive common dates.
  const { priceDates, columns } = alignedReturns(series);
  if (priceDates.length < 3) throw new DataError(`the files have only ${priceDates.length} dates in common (need 3)`);
  let shrinkage: number | null = null;
  let cov: CovarianceMatrix;
  if (method === 'ewma') cov = ewmaCovariance(columns);
  else if (method === 'ledoit-wolf') {
    const lw = ledoitWolfCovariance(columns);
    shrinkage = lw.shrinkage;
    cov = lw;
  } else cov = sampleCovariance(columns);
  // EWMA is a zero-mean model; the other two use the sample means.
  const means = method === 'ewma' ? undefined : columns.map((c) => mean(c));
  const g = gaussianPortfolioVar(weights, cov, { confidence, means, horizon });
  const h = historicalPortfolioVar(columns, weights, { confidence });
  const p = cov.size;
  const assets = series.map((s, i) => ({
    symbol: s.symbol ?? files[i],
    weight: weights[i],
    annualizedVolatility: Math.sqrt(cov.data[i * p + i] * periodsPerYear),
    gaussianMarginalVar: g.marginalVar[i],
    gaussianComponentVar: g.componentVar[i],
    gaussianComponentEs: g.componentEs[i],
    historicalMarginalVar: h.marginalVar[i],
    historicalComponentVar: h.componentVar[i],
    historicalComponentEs: h.componentEs[i],
  }));
  const result = {
    period: { startDate: priceDates[0], endDate: priceDates[priceDates.length - 1], commonDates: priceDates.length, returns: columns[0].length },
    parameters: { confidence, periodsPerYear, horizon, covariance: method, weightsSum: weights.reduce((a, b) => a + b, 0) },
    annualizedVolatility: portfolioVolatility(weights, cov, { periodsPerYear }),
    diversificationRatio: diversificationRatio(weights, cov),
    ledoitWolfShrinkage: shrinkage,
    gaussianVar: g.var,
    gaussianEs: g.es,
    historicalVar: h.var,
    historicalEs: h.es,
    assets,
  };
  if (opts.json) {
    writeOutput(opts.output, `${toJson(result)}\n`);
    return;
  }
  const c = `${+(confidence * 100).toFixed(2)}%`;
  const out = table([
    [
      `Portfolio of ${p}: ${result.period.startDate} .. ${result.period.endDate} (${result.period.commonDates} common dates, ${result.period.returns} returns)`,
      [
        ['covariance', `${method}${shrinkage !== null ? ` (shrinkage ${num(shrinkage)})` : ''}`],
        ['weights sum', num(result.parameters.weightsSum)],
        ['volatility (annualized)', pct(result.annualizedVolatility)],
        ['diversification ratio', num(result.diversificationRatio)],
        [`Gaussian VaR / ES (${c}${horizon === 1 ? '' : `, ${horizon} periods`})`, `${pct(g.var)} / ${pct(g.es)}`],
        [`historical VaR / ES (${c})`, `${pct(h.var)} / ${pct(h.es)}`],
      ],
    ],
  ]);
  const head = ['asset', 'weight', 'vol', 'mVaR(G)', 'cVaR(G)', '%', 'cVaR(H)', '%'];
  const rows = assets.map((a) => [
    a.symbol,
    num(a.weight, 3),
    pct(a.annualizedVolatility),
    pct(a.gaussianMarginalVar, 3),
    pct(a.gaussianComponentVar, 3),
    pct(a.gaussianComponentVar / g.var, 1),
    pct(a.historicalComponentVar, 3),
    pct(a.historicalComponentVar / h.var, 1),
  ]);
  const widths = head.map((hd, j) => Math.max(hd.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => `  ${r.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ')}`;
  writeOutput(opts.output, `${out}\n\nPer asset (marginal/component VaR, Euler: components sum to the total)\n${line(head)}\n${rows.map(line).join('\n')}\n`);
}

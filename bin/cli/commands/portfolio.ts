/**
 * `riskfn portfolio FILE... --weights 0.4,0.3,0.3 [--normalize] [--confidence 0.95] [--periods 252]
 *  [--covariance sample|ewma|ledoit-wolf] [--horizon 1] [--json] [-o FILE]` — risk of a weighted portfolio
 * of the given price files: aligned on common dates, covariance, volatility, Gaussian and
 * historical VaR/ES with marginal and component (Euler) VaR, diversification ratio.
 */

import type { Command } from 'commander';
import { DEFAULT_CONFIDENCE } from '../../../lib/domain/risk/index.ts';
import {
  alignHoldings,
  COVARIANCE_METHODS,
  type CovarianceMethod,
  portfolioRisk,
  resolveWeights,
  TooFewCommonDatesError,
  WeightSumError,
} from '../../../lib/domain/scoring/portfolio-risk.ts';
import { choiceOption, confidenceOption, DataError, paragraphs, periodsOption, UsageError, varHorizonOption } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { checkStdinOnce, outputOption, writeOutput } from '../io.ts';
import { addPriceFileOptions, loadPriceFile, type PriceFileOptions } from '../price-files.ts';

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
    .addOption(
      choiceOption('--covariance <method>', 'covariance estimator; sample is ddof 1, ewma is RiskMetrics with lambda 0.94', COVARIANCE_METHODS, 'sample'),
    )
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
  try {
    return resolveWeights(w, normalize);
  } catch (err) {
    if (!(err instanceof WeightSumError)) throw err;
    const sum = +err.sum.toFixed(6);
    if (err.scaled === null) throw new UsageError(`--weights sum to ${sum}; weights that sum to 0 cannot be scaled to 1`);
    throw new UsageError(`--weights sum to ${sum}, not 1: give fractions of capital (--weights ${err.scaled.join(',')}) or add --normalize`);
  }
}

async function run(files: string[], opts: PortfolioOptions): Promise<void> {
  checkStdinOnce(files);
  const weights = parseWeights(opts.weights, files.length, opts.normalize ?? false);
  const { covariance: method, confidence, periods: periodsPerYear, horizon } = opts;
  const holdings = [];
  for (const f of files) {
    const { series } = await loadPriceFile(f, opts);
    holdings.push({ symbol: series.symbol ?? f, series });
  }
  // Inner join on dates, then returns over consecutive common dates.
  let aligned: ReturnType<typeof alignHoldings>;
  try {
    aligned = alignHoldings(holdings);
  } catch (err) {
    if (err instanceof TooFewCommonDatesError) throw new DataError(`the files have only ${err.available} dates in common (need ${err.needed})`);
    throw err;
  }
  const result = portfolioRisk(aligned, weights, { covariance: method, confidence, periodsPerYear, horizon });
  const { assets, ledoitWolfShrinkage: shrinkage } = result;
  const p = assets.length;
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
        [`Gaussian VaR / ES (${c}${horizon === 1 ? '' : `, ${horizon} periods`})`, `${pct(result.gaussianVar)} / ${pct(result.gaussianEs)}`],
        [`historical VaR / ES (${c})`, `${pct(result.historicalVar)} / ${pct(result.historicalEs)}`],
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
    pct(a.gaussianComponentVar / result.gaussianVar, 1),
    pct(a.historicalComponentVar, 3),
    pct(a.historicalComponentVar / result.historicalVar, 1),
  ]);
  const widths = head.map((hd, j) => Math.max(hd.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => `  ${r.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ')}`;
  writeOutput(opts.output, `${out}\n\nPer asset (marginal/component VaR, Euler: components sum to the total)\n${line(head)}\n${rows.map(line).join('\n')}\n`);
}

/**
 * `riskfn portfolio FILE... --weights 0.4,0.3,0.3 [--confidence 0.95] [--periods 252]
 *  [--covariance sample|ewma|ledoit-wolf] [--horizon 1] [--json]` — risk of a weighted portfolio
 * of the given price files: aligned on common dates, covariance, volatility, Gaussian and
 * historical VaR/ES with marginal and component (Euler) VaR, diversification ratio.
 */
import {
  alignPriceSeries,
  type CovarianceMatrix,
  diversificationRatio,
  ewmaCovariance,
  gaussianPortfolioVar,
  historicalPortfolioVar,
  ledoitWolfCovariance,
  mean,
  portfolioVolatility,
  sampleCovariance,
  simpleReturns,
} from '../../../lib/domain/risk/index.ts';
import { defineCommand, numberOption, UsageError } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { loadPriceFile } from '../price-files.ts';

export const summary = 'risk of a weighted portfolio of price files (volatility, VaR/ES, component VaR)';

const HELP = `usage: riskfn portfolio FILE... --weights W1,W2,... [options]

Aligns the price files on their common dates (inner join), then computes portfolio risk.

options:
  --weights LIST     comma-separated weights, one per FILE, as fractions of capital
                     (default: equal weights)
  --covariance M     sample (ddof 1, default) | ewma (RiskMetrics, lambda 0.94) | ledoit-wolf
  --confidence C     VaR/ES confidence in (0,1) (default 0.95)
  --periods A        periods per year for annualised volatility (default 252)
  --horizon H        horizon in periods for the Gaussian VaR/ES, square-root-of-time (default 1)
  --json             print one JSON object
  -h, --help         this help`;

const COVARIANCES = ['sample', 'ewma', 'ledoit-wolf'] as const;
type CovarianceMethod = (typeof COVARIANCES)[number];

function parseWeights(raw: string | undefined, count: number): number[] {
  if (raw === undefined) return new Array<number>(count).fill(1 / count);
  const parts = raw.split(',').map((s) => s.trim());
  const w = parts.map(Number);
  if (parts.some((s) => s === '') || w.some((v) => !Number.isFinite(v))) throw new UsageError(`--weights must be numbers separated by commas, got '${raw}'`);
  if (w.length !== count) throw new UsageError(`--weights has ${w.length} values for ${count} files`);
  return w;
}

export const run = defineCommand({
  name: 'portfolio',
  help: HELP,
  options: {
    weights: { type: 'string' },
    covariance: { type: 'string', default: 'sample' },
    confidence: { type: 'string' },
    periods: { type: 'string' },
    horizon: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  run({ values, positionals }) {
    if (positionals.length === 0) throw new UsageError('missing FILE...');
    const weights = parseWeights(values.weights, positionals.length);
    const method = values.covariance as CovarianceMethod;
    if (!COVARIANCES.includes(method)) throw new UsageError(`--covariance must be one of ${COVARIANCES.join(', ')}, got '${values.covariance}'`);
    const confidence = numberOption('confidence', values.confidence, 0.95, (v) => v > 0 && v < 1, 'in (0, 1)');
    const periodsPerYear = numberOption('periods', values.periods, 252, (v) => v > 0, 'a positive number');
    const horizon = numberOption('horizon', values.horizon, 1, (v) => v > 0, 'a positive number of periods');

    const series = positionals.map((f) => loadPriceFile(f).series);
    // Inner join on dates, then returns over consecutive common dates.
    const al = alignPriceSeries(series);
    if (al.dates.length < 3) throw new UsageError(`the files have only ${al.dates.length} dates in common (need 3)`);
    const columns = al.prices.map((p) => simpleReturns(p));
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
      symbol: s.symbol ?? positionals[i],
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
      period: { startDate: al.dates[0], endDate: al.dates[al.dates.length - 1], commonDates: al.dates.length, returns: columns[0].length },
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
    if (values.json) {
      console.log(toJson(result));
      return 0;
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
    const line = (r: string[]) => '  ' + r.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ');
    console.log(`${out}\n\nPer asset (marginal/component VaR, Euler: components sum to the total)\n${line(head)}\n${rows.map(line).join('\n')}`);
    return 0;
  },
});

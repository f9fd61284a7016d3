/**
 * Risk-metric engine benchmark: the full single-series metric set (computeSeriesMetrics) of
 * 50 assets × 2,000 days, plus the 50×50 sample covariance and an equal-weight portfolio's
 * Gaussian and historical VaR/ES with component VaR — in TypeScript, and in numpy/pandas on the
 * SAME generated prices in the same run (bench/risk_metrics_reference.py reads them from a temp
 * file). Prints both medians, the ratio TS/Python (goal ≤ 1.0) and a cross-check of the values.
 *
 *   npx tsx bench/risk-metrics.bench.ts [reps]
 *
 * Python: /usr/bin/python3 with Debian python3-numpy, python3-pandas, python3-scipy (falls back to
 * `python3` on PATH). Without them the TypeScript half still runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PriceSeries } from '../lib/domain/prices/price-series.ts';
import { computeSeriesMetrics, gaussianPortfolioVar, historicalPortfolioVar, mean, sampleCovariance, simpleReturns } from '../lib/domain/risk/index.ts';
import { Xoshiro128 } from '../lib/util/prng.ts';

const ASSETS = 50;
const DAYS = 2000;
const REPS = Number(process.argv[2] ?? 21);
const WARMUP = 5;

/** Fat-tailed correlated daily returns: a market factor plus noise, Student-t-ish via a variance mixture. */
function generate(): { series: PriceSeries[]; matrix: Float64Array } {
  const rng = new Xoshiro128(42);
  const u = () => rng.nextFloat();
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const dates: string[] = [];
  const d0 = Date.UTC(2015, 0, 1);
  for (let t = 0; t < DAYS; t++) dates.push(new Date(d0 + t * 86_400_000).toISOString().slice(0, 10));
  const matrix = new Float64Array(DAYS * ASSETS); // row-major DAYS × ASSETS
  const last = new Float64Array(ASSETS).fill(100);
  for (let j = 0; j < ASSETS; j++) matrix[j] = 100;
  for (let t = 1; t < DAYS; t++) {
    const market = normal() * 0.009 * (u() < 0.05 ? 2.5 : 1);
    for (let j = 0; j < ASSETS; j++) {
      const beta = 0.5 + (j % 10) / 10;
      const r = 0.0003 + beta * market + normal() * 0.012 * (u() < 0.03 ? 3 : 1);
      last[j] *= Math.max(0.2, 1 + r);
      matrix[t * ASSETS + j] = last[j];
    }
  }
  const series: PriceSeries[] = [];
  for (let j = 0; j < ASSETS; j++) {
    const close = new Float64Array(DAYS);
    for (let t = 0; t < DAYS; t++) close[t] = matrix[t * ASSETS + j];
    series.push({ symbol: `A${j}`, dates, close });
  }
  return { series, matrix };
}

function runTs(series: PriceSeries[]) {
  const metrics = series.map((s) => computeSeriesMetrics(s));
  const columns = series.map((s) => simpleReturns(s.close));
  const cov = sampleCovariance(columns);
  const w = new Float64Array(ASSETS).fill(1 / ASSETS);
  const g = gaussianPortfolioVar(w, cov, { means: columns.map((c) => mean(c)) });
  const h = historicalPortfolioVar(columns, w);
  return { metrics, cov, g, h };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const { series, matrix } = generate();
for (let i = 0; i < WARMUP; i++) runTs(series);
const times: number[] = [];
let last!: ReturnType<typeof runTs>;
for (let i = 0; i < REPS; i++) {
  const t0 = process.hrtime.bigint();
  last = runTs(series);
  times.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
const tsMedian = median(times);
console.log(`risk metrics, ${ASSETS} assets x ${DAYS} days + ${ASSETS}x${ASSETS} covariance + portfolio VaR, ${REPS} reps`);
console.log(`  TypeScript     median ${(tsMedian * 1000).toFixed(2)} ms`);

const here = dirname(fileURLToPath(import.meta.url));
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const dir = mkdtempSync(join(tmpdir(), 'riskfn-bench-'));
try {
  const file = join(dir, 'prices.f64');
  writeFileSync(file, new Uint8Array(matrix.buffer)); // little-endian float64 on every supported platform
  const py = spawnSync(python, [join(here, 'risk_metrics_reference.py'), file, String(ASSETS), String(DAYS), String(REPS)], { encoding: 'utf8' });
  if (py.status !== 0) {
    console.log(`  numpy/pandas   not run (${python}: ${(py.stderr || String(py.error)).trim().split('\n').pop()})`);
  } else {
    const res = JSON.parse(py.stdout.trim().split('\n').pop()!);
    const pyMedian: number = res.medianSeconds;
    console.log(`  numpy/pandas   median ${(pyMedian * 1000).toFixed(2)} ms`);
    console.log(`  ratio TS/numpy ${(tsMedian / pyMedian).toFixed(3)}  (goal <= 1.0)`);
    const m0 = last.metrics[0];
    const ours: Record<string, number> = {
      annualizedVolatility: m0.annualizedVolatility,
      sharpeRatio: m0.sharpeRatio ?? Number.NaN,
      maxDrawdown: m0.maxDrawdown,
      historicalVar: m0.historicalVar,
      historicalEs: m0.historicalEs,
      cornishFisherEs: m0.cornishFisherEs,
      ewmaVolatility: m0.ewmaVolatility,
      excessKurtosisUnbiased: m0.excessKurtosisUnbiased ?? Number.NaN,
      calmarRatio: m0.calmarRatio ?? Number.NaN,
      cov01: last.cov.data[1],
      portfolioGaussianVar: last.g.var,
      portfolioHistoricalVar: last.h.var,
      componentSum: last.g.componentVar.reduce((a, b) => a + b, 0),
    };
    let worst = 0;
    for (const [k, v] of Object.entries(ours)) worst = Math.max(worst, Math.abs(v - res.check[k]) / Math.abs(res.check[k]));
    console.log(`  same numbers:  max relative difference over ${Object.keys(ours).length} checked values ${worst.toExponential(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

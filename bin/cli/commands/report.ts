/**
 * `riskfn report PRICEFILE [--benchmark FILE] [--rf R] [--title T] [--log-scale] [--model DIR]
 *  -o report.html` — the risk tearsheet: one self-contained HTML page (docs/reports.md).
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { alignedReturns } from '../../../lib/domain/risk/index.ts';
import { buildTearsheet } from '../../../lib/reports/tearsheet/index.ts';
import { DataError, numberOption, paragraphs } from '../command-kit.ts';
import { checkStdinOnce, inputName, messageWriter, STDIO, writeOutput } from '../io.ts';
import { addPriceFileOptions, loadPriceFile, type PriceFileOptions } from '../price-files.ts';
import { loadModel } from './predict.ts';

interface ReportOptions extends PriceFileOptions {
  benchmark?: string;
  rf: number;
  title?: string;
  logScale?: boolean;
  model?: string;
  output: string;
}

/** Fewest common dates with the benchmark: two returns, as the benchmark metrics need. */
const MIN_COMMON_DATES = 3;

export function register(program: Command): void {
  const command = program
    .command('report')
    .summary('risk tearsheet: one self-contained HTML page with the KPIs, drawdowns, rolling risk and charts')
    .description(
      paragraphs(`Writes one HTML file (no script, no network: it opens from disk and prints to PDF) with
the metrics of \`riskfn metrics\` (and the benchmark's own beside them), cumulative return against
the benchmark, drawdowns, rolling volatility, rolling VaR with its backtest, rolling Sharpe
ratio, the return distribution, monthly returns, rolling beta and, with --model, the model's risk level and why.
See docs/reports.md.`),
    )
    .argument('<file>', "price or return file ('-' reads stdin)")
    .option('--benchmark <file>', 'benchmark price file: drawn beside the series; adds the relative metrics and rolling beta (on the common dates)')
    .addOption(numberOption('--rf <rate>', 'annual risk-free rate, e.g. 0.02', { check: (v) => v > -1, expected: 'an annual rate > -1', default: 0 }))
    .option('--title <text>', 'page title (default: "Risk tearsheet: SYMBOL")')
    .option('--log-scale', 'draw the cumulative return on a logarithmic axis')
    .option('--model <dir>', 'model directory of `riskfn train` (or its model file): adds the predicted risk level and its explanation')
    .addOption(new Option('-o, --output <file>', "where to write the HTML ('-': stdout)").makeOptionMandatory());
  addPriceFileOptions(command).action((file: string, opts: ReportOptions) => run(file, opts));
}

async function run(file: string, opts: ReportOptions): Promise<void> {
  checkStdinOnce([file, opts.benchmark, opts.model]);
  const started = performance.now();
  const main = await loadPriceFile(file, opts);
  const benchmark = opts.benchmark ? (await loadPriceFile(opts.benchmark, opts)).series : undefined;
  if (benchmark) {
    const common = alignedReturns([main.series, benchmark]).priceDates.length;
    if (common < MIN_COMMON_DATES) {
      throw new DataError(
        `${inputName(file)} and ${inputName(opts.benchmark!)} have ${common === 0 ? 'no dates' : `only ${common} date${common === 1 ? '' : 's'}`} in common; a benchmark needs at least ${MIN_COMMON_DATES}`,
      );
    }
  }
  const model = opts.model ? await loadModel(opts.model) : undefined;
  const facts: [string, string][] = [
    ['Prices', inputName(file)],
    ...(opts.benchmark ? ([['Benchmark', inputName(opts.benchmark)]] as [string, string][]) : []),
    ...(opts.model ? ([['Model', `${inputName(opts.model)}${model?.version ? ` (version ${model.version})` : ''}`]] as [string, string][]) : []),
  ];
  const html = await buildTearsheet({ series: main.series, benchmark, riskFree: opts.rf, model }, { title: opts.title, logScale: opts.logScale, facts });
  writeOutput(opts.output, html);
  if (opts.output !== STDIO) {
    const kb = Math.round(statSync(opts.output).size / 1024);
    messageWriter(false)(`wrote ${opts.output} (${kb} KB in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

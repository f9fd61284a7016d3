/**
 * `riskfn backtest FILE [--window 250] [--confidence 0.99] [--method historical|gaussian|
 *  cornish-fisher|ewma] [--significance 0.05] [--json] [-o FILE] [--report FILE.html]` — rolling VaR
 * forecasts against the next period's return: exceptions, Kupiec, Christoffersen, Basel traffic
 * light; `--report` also writes them as an HTML page with charts.
 */

import type { Command } from 'commander';
import { VAR_METHODS, type VarMethod } from '../../../lib/domain/risk/index.ts';
import { backtestWithPeriods, TooFewReturnsError } from '../../../lib/domain/scoring/backtest-report.ts';
import { renderBacktestPage } from '../../../lib/reports/backtest/page.ts';
import { choiceOption, confidenceOption, DataError, integerOption, numberOption, paragraphs, UsageError } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { inputName, outputOption, STDIO, writeOutput } from '../io.ts';
import { addPriceFileOptions, loadPriceFile, type PriceFileOptions } from '../price-files.ts';

interface BacktestOptions extends PriceFileOptions {
  window: number;
  confidence: number;
  method: VarMethod;
  significance: number;
  json?: boolean;
  output: string;
  report?: string;
}

export function register(program: Command): void {
  const command = program
    .command('backtest')
    .summary('backtest a rolling VaR (exceptions, Kupiec, Christoffersen, Basel traffic light)')
    .description(
      paragraphs(`Forecasts VaR for each period from the previous --window returns and counts the periods whose
return fell below -VaR (exceptions).

--report FILE also writes the result as one self-contained HTML page (returns with the VaR line and
the exceptions, exception clustering, the test table, the Basel traffic light); the text or --json
output is printed as without it.`),
    )
    .argument('<file>', "price or return file ('-' reads stdin)")
    .addOption(integerOption('--window <n>', 'estimation window in periods', { min: 2, default: 250, expected: 'an integer ≥ 2' }))
    .addOption(confidenceOption(0.99, 'VaR'))
    .addOption(choiceOption('--method <method>', 'VaR method', VAR_METHODS, 'historical'))
    .addOption(numberOption('--significance <s>', 'test size for the reject flags', { check: (v) => v > 0 && v < 1, expected: 'in (0, 1)', default: 0.05 }))
    .option('--json', 'print one JSON object (with the exception dates)')
    .addOption(outputOption('the result'))
    .option('--report <file>', 'also write an HTML report with charts to this file');
  addPriceFileOptions(command).action((file: string, opts: BacktestOptions) => run(file, opts));
}

async function run(file: string, opts: BacktestOptions): Promise<void> {
  const { window, confidence, method, significance } = opts;
  if (opts.report === STDIO && opts.output === STDIO)
    throw new UsageError('--report - and the result would both go to stdout: give --report a file, or -o one');
  const { series } = await loadPriceFile(file, opts);
  let backtest: ReturnType<typeof backtestWithPeriods>;
  try {
    backtest = backtestWithPeriods(series, { window, confidence, method, significance });
  } catch (err) {
    if (err instanceof TooFewReturnsError)
      throw new DataError(`${inputName(file)} has ${err.available} returns; --window ${window} needs at least ${err.needed}`);
    throw err;
  }
  const result = backtest.report;
  if (opts.report !== undefined) {
    const html = await renderBacktestPage({ ...backtest, significance, source: inputName(file) });
    writeOutput(opts.report, html);
  }
  if (opts.json) {
    writeOutput(opts.output, `${toJson(result)}\n`);
    return;
  }
  const t = (x: { statistic: number; pValue: number; reject: boolean }) =>
    `LR ${num(x.statistic)}  p ${x.pValue.toPrecision(4)}  ${x.reject ? 'REJECT' : 'not rejected'}`;
  const b = result.basel;
  writeOutput(
    opts.output,
    `${table([
      [
        `${result.symbol ?? 'series'}: ${method} VaR ${+(confidence * 100).toFixed(2)}%, window ${window}, forecasts ${result.firstForecastDate} .. ${result.lastForecastDate}`,
        [
          ['forecasts', String(result.observations)],
          ['exceptions / expected', `${result.exceptionCount} / ${num(result.expectedExceptions, 1)} (rate ${pct(result.exceptionRate)})`],
          ['Kupiec (unconditional coverage)', t(result.kupiec)],
          ['Christoffersen independence', t(result.christoffersen.independence)],
          ['Christoffersen conditional coverage', t(result.christoffersen.conditionalCoverage)],
          [
            `Basel traffic light (last ${b.observations})`,
            `${b.zone.toUpperCase()}: ${b.exceptions} exceptions, P(X<=k) ${pct(b.cumulativeProbability)}${b.plusFactor === null ? ' (plus factor defined for 250 days at 99% only)' : `, plus factor ${b.plusFactor.toFixed(2)}`}`,
          ],
        ],
      ],
    ])}\n`,
  );
}

/**
 * `riskfn backtest FILE [--window 250] [--confidence 0.99] [--method historical|gaussian|
 *  cornish-fisher|ewma] [--significance 0.05] [--json] [-o FILE]` — rolling VaR forecasts against the
 * next period's return: exceptions, Kupiec, Christoffersen, Basel traffic light.
 */

import type { Command } from 'commander';
import { VAR_METHODS, type VarMethod } from '../../../lib/domain/risk/index.ts';
import { backtestReport, TooFewReturnsError } from '../../../lib/domain/scoring/backtest-report.ts';
import { choiceOption, confidenceOption, DataError, integerOption, numberOption, paragraphs } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { inputName, outputOption, writeOutput } from '../io.ts';
import { addPriceFileOptions, loadPriceFile, type PriceFileOptions } from '../price-files.ts';

interface BacktestOptions extends PriceFileOptions {
  window: number;
  confidence: number;
  method: VarMethod;
  significance: number;
  json?: boolean;
  output: string;
}

export function register(program: Command): void {
  const command = program
    .command('backtest')
    .summary('backtest a rolling VaR (exceptions, Kupiec, Christoffersen, Basel traffic light)')
    .description(
      paragraphs(`Forecasts VaR for each period from the previous --window returns and counts the periods whose
return fell below -VaR (exceptions).`),
    )
    .argument('<file>', "price or return file ('-' reads stdin)")
    .addOption(integerOption('--window <n>', 'estimation window in periods', { min: 2, default: 250, expected: 'an integer ≥ 2' }))
    .addOption(confidenceOption(0.99, 'VaR'))
    .addOption(choiceOption('--method <method>', 'VaR method', VAR_METHODS, 'historical'))
    .addOption(numberOption('--significance <s>', 'test size for the reject flags', { check: (v) => v > 0 && v < 1, expected: 'in (0, 1)', default: 0.05 }))
    .option('--json', 'print one JSON object (with the exception dates)')
    .addOption(outputOption('the result'));
  addPriceFileOptions(command).action((file: string, opts: BacktestOptions) => run(file, opts));
}

async function run(file: string, opts: BacktestOptions): Promise<void> {
  const { window, confidence, method, significance } = opts;
  const { series } = await loadPriceFile(file, opts);
  let result: ReturnType<typeof backtestReport>;
  try {
    result = backtestReport(series, { window, confidence, method, significance });
  } catch (err) {
    if (err instanceof TooFewReturnsError)
      throw new DataError(`${inputName(file)} has ${err.available} returns; --window ${window} needs at least ${err.needed}`);
    throw err;
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

/**
 * `riskfn backtest FILE [--window 250] [--confidence 0.99] [--method historical|gaussian|
 *  cornish-fisher|ewma] [--significance 0.05] [--json] [-o FILE]` — rolling VaR forecasts against the
 * next period's return: exceptions, Kupiec, Christoffersen, Basel traffic light.
 */

import type { Command } from 'commander';
import { backtestVar, simpleReturns, VAR_METHODS, type VarMethod } from '../../../lib/domain/risk/index.ts';
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
  const r = simpleReturns(series.close);
  if (r.length < window + 2) throw new DataError(`${inputName(file)} has ${r.length} returns; --window ${window} needs at least ${window + 2}`);
  const bt = backtestVar(r, { window, confidence, method, significance });
  // Return i ends on dates[i + 1].
  const dateOf = (k: number) => series.dates[bt.firstIndex + k + 1];
  const exceptionDates: string[] = [];
  for (let k = 0; k < bt.observations; k++) if (bt.exceptions[k]) exceptionDates.push(dateOf(k));
  const { forecasts: _f, exceptions: _e, ...rest } = bt;
  const result = {
    symbol: series.symbol ?? null,
    firstForecastDate: dateOf(0),
    lastForecastDate: dateOf(bt.observations - 1),
    ...rest,
    exceptionDates,
  };
  if (opts.json) {
    writeOutput(opts.output, `${toJson(result)}\n`);
    return;
  }
  const t = (x: { statistic: number; pValue: number; reject: boolean }) =>
    `LR ${num(x.statistic)}  p ${x.pValue.toPrecision(4)}  ${x.reject ? 'REJECT' : 'not rejected'}`;
  const b = bt.basel;
  writeOutput(
    opts.output,
    `${table([
      [
        `${result.symbol ?? 'series'}: ${method} VaR ${+(confidence * 100).toFixed(2)}%, window ${window}, forecasts ${result.firstForecastDate} .. ${result.lastForecastDate}`,
        [
          ['forecasts', String(bt.observations)],
          ['exceptions / expected', `${bt.exceptionCount} / ${num(bt.expectedExceptions, 1)} (rate ${pct(bt.exceptionRate)})`],
          ['Kupiec (unconditional coverage)', t(bt.kupiec)],
          ['Christoffersen independence', t(bt.christoffersen.independence)],
          ['Christoffersen conditional coverage', t(bt.christoffersen.conditionalCoverage)],
          [
            `Basel traffic light (last ${b.observations})`,
            `${b.zone.toUpperCase()}: ${b.exceptions} exceptions, P(X<=k) ${pct(b.cumulativeProbability)}${b.plusFactor === null ? ' (plus factor defined for 250 days at 99% only)' : `, plus factor ${b.plusFactor.toFixed(2)}`}`,
          ],
        ],
      ],
    ])}\n`,
  );
}

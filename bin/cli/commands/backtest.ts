/**
 * `riskfn backtest FILE [--window 250] [--confidence 0.99] [--method historical|gaussian|
 *  cornish-fisher|ewma] [--significance 0.05] [--json]` — rolling VaR forecasts against the
 * next period's return: exceptions, Kupiec, Christoffersen, Basel traffic light.
 */
import { backtestVar, simpleReturns, VAR_METHODS, type VarMethod } from '../../../lib/domain/risk/index.ts';
import { defineCommand, numberOption, onePositional, UsageError } from '../command-kit.ts';
import { num, pct, table, toJson } from '../format.ts';
import { loadPriceFile } from '../price-files.ts';

export const summary = 'backtest a rolling VaR (exceptions, Kupiec, Christoffersen, Basel traffic light)';

const HELP = `usage: riskfn backtest FILE [options]

Forecasts VaR for each period from the previous WINDOW returns and counts the periods whose
return fell below -VaR (exceptions).

options:
  --window N         estimation window in periods (default 250)
  --confidence C     VaR confidence in (0,1) (default 0.99)
  --method M         historical (default) | gaussian | cornish-fisher | ewma
  --significance S   test size for the reject flags (default 0.05)
  --json             print one JSON object (with the exception dates)
  -h, --help         this help`;

export const run = defineCommand({
  name: 'backtest',
  help: HELP,
  options: {
    window: { type: 'string' },
    confidence: { type: 'string' },
    method: { type: 'string', default: 'historical' },
    significance: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  run({ values, positionals }) {
    const file = onePositional(positionals);
    const window = numberOption('window', values.window, 250, (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2');
    const confidence = numberOption('confidence', values.confidence, 0.99, (v) => v > 0 && v < 1, 'in (0, 1)');
    const significance = numberOption('significance', values.significance, 0.05, (v) => v > 0 && v < 1, 'in (0, 1)');
    const method = values.method as VarMethod;
    if (!VAR_METHODS.includes(method)) throw new UsageError(`--method must be one of ${VAR_METHODS.join(', ')}, got '${values.method}'`);
    const { series } = loadPriceFile(file);
    const r = simpleReturns(series.close);
    if (r.length < window + 2) throw new UsageError(`${file} has ${r.length} returns; --window ${window} needs at least ${window + 2}`);
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
    if (values.json) {
      console.log(toJson(result));
      return 0;
    }
    const t = (x: { statistic: number; pValue: number; reject: boolean }) =>
      `LR ${num(x.statistic)}  p ${x.pValue.toPrecision(4)}  ${x.reject ? 'REJECT' : 'not rejected'}`;
    const b = bt.basel;
    console.log(
      table([
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
      ]),
    );
    return 0;
  },
});

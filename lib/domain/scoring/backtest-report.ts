/**
 * A rolling VaR backtest of one price history, as one report: the one implementation behind
 * `riskfn backtest` and `POST /v1/risk/backtest` (pure; the tests are the risk engine's
 * `backtestVar`: exceptions, Kupiec, Christoffersen, Basel traffic light).
 */

import { DomainError } from '../errors.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import { backtestVar, simpleReturns, type VarMethod } from '../risk/index.ts';

type VarBacktest = ReturnType<typeof backtestVar>;

/** Fewer returns than the window needs (code `INSUFFICIENT_HISTORY`): `window` + 2 (a window and at least 2 forecasts). */
export class TooFewReturnsError extends DomainError {
  readonly code = 'INSUFFICIENT_HISTORY';
  constructor(
    readonly available: number,
    readonly window: number,
    readonly needed: number,
  ) {
    super(`the history has ${available} returns; a window of ${window} needs at least ${needed}`);
  }
}

/** Parameters of {@link backtestReport}. */
export interface BacktestReportOptions {
  /** Estimation window in returns. */
  window: number;
  /** VaR confidence, a fraction in (0, 1). */
  confidence: number;
  method: VarMethod;
  /** Test size for the reject flags. */
  significance: number;
}

/**
 * The report (the CLI prints it as is with `--json`; member order is part of that output): the
 * engine's result without the per-period arrays, plus the dates of the first and last forecast
 * periods and of every exception (a period's date is the date its return ends on).
 */
export type BacktestReport = { symbol: string | null; firstForecastDate: string; lastForecastDate: string } & Omit<VarBacktest, 'forecasts' | 'exceptions'> & {
    exceptionDates: string[];
  };

/**
 * The per-period series behind a {@link BacktestReport}: one entry per forecast period, oldest
 * first (what a chart of the backtest draws; `--json` leaves them out).
 */
export interface BacktestPeriods {
  /** The date each period's return ends on (as in the price file). */
  readonly dates: readonly string[];
  /** The realised simple return of the period, a fraction. */
  readonly returns: Float64Array;
  /** The VaR forecast for the period (a positive loss fraction) from the `window` returns before it. */
  readonly forecasts: Float64Array;
  /** 1 where the return fell below −VaR (an exception), else 0. */
  readonly exceptions: Uint8Array;
}

/** Backtests a rolling VaR on the simple returns of `series`; throws {@link TooFewReturnsError} below `window` + 2 returns. */
export function backtestReport(series: PriceSeries, opts: BacktestReportOptions): BacktestReport {
  return backtestWithPeriods(series, opts).report;
}

/** {@link backtestReport} together with the per-period series it summarises (same computation, same errors). */
export function backtestWithPeriods(series: PriceSeries, opts: BacktestReportOptions): { report: BacktestReport; periods: BacktestPeriods } {
  const { window, confidence, method, significance } = opts;
  const r = simpleReturns(series.close);
  if (r.length < window + 2) throw new TooFewReturnsError(r.length, window, window + 2);
  const bt = backtestVar(r, { window, confidence, method, significance });
  // Return i ends on dates[i + 1].
  const dateOf = (k: number) => series.dates[bt.firstIndex + k + 1];
  const dates: string[] = [];
  const exceptionDates: string[] = [];
  for (let k = 0; k < bt.observations; k++) {
    dates.push(dateOf(k));
    if (bt.exceptions[k]) exceptionDates.push(dateOf(k));
  }
  const { forecasts, exceptions, ...rest } = bt;
  const report: BacktestReport = {
    symbol: series.symbol ?? null,
    firstForecastDate: dateOf(0),
    lastForecastDate: dateOf(bt.observations - 1),
    ...rest,
    exceptionDates,
  };
  return { report, periods: { dates, returns: r.slice(bt.firstIndex), forecasts, exceptions } };
}

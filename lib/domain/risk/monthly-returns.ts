/**
 * Calendar-period returns of a price series: each month's and each year's simple return, from
 * the last close of the previous period to the last close of the period. The first period runs
 * from the series' first close (a partial month or year), as quantstats' `monthly_returns`
 * compounds the daily returns that fall in each month; a price ratio gives the same number
 * without the rounding of a product of daily factors.
 */
import type { PriceSeries } from '../prices/price-series.ts';
import { InsufficientDataError } from './errors.ts';

/** One calendar month's simple return (a fraction: 0.02 = +2 %). */
export interface MonthlyReturn {
  year: number;
  /** 1 = January … 12 = December. */
  month: number;
  return: number;
}

/** One calendar year's simple return (a fraction); the months in it compound to it. */
export interface YearlyReturn {
  year: number;
  return: number;
}

/** Result of {@link calendarReturns}: months and years in time order, only those with at least one return. */
export interface CalendarReturns {
  months: MonthlyReturn[];
  years: YearlyReturn[];
}

/**
 * Monthly and yearly simple returns of `series.close` (ISO dates). A period's return is
 * close(last date of the period) / close(last date before the period) − 1; for the first period
 * the base is the first close. A period whose only price is the series' first one has no return
 * and is left out. Needs at least 2 prices.
 * @example
 * // closes 100 (2020-01-30), 110 (2020-01-31), 121 (2020-02-28)
 * calendarReturns(s).months // [{ year: 2020, month: 1, return: 0.1 }, { year: 2020, month: 2, return: 0.1 }]
 */
export function calendarReturns(series: PriceSeries): CalendarReturns {
  const { dates, close } = series;
  if (close.length < 2) throw new InsufficientDataError('calendarReturns (prices)', 2, close.length);
  return {
    months: periodReturns(dates, close, (d) => d.slice(0, 7)).map(([key, r]) => ({ year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)), return: r })),
    years: periodReturns(dates, close, (d) => d.slice(0, 4)).map(([key, r]) => ({ year: Number(key), return: r })),
  };
}

/** [period key, return] for each period (grouped by `keyOf(date)`) that has a return. */
function periodReturns(dates: readonly string[], close: ArrayLike<number>, keyOf: (date: string) => string): [string, number][] {
  const out: [string, number][] = [];
  let base = close[0];
  for (let i = 1; i < close.length; i++) {
    // The last price of a period: the next date is in another period, or there is none.
    const isLast = i === close.length - 1 || keyOf(dates[i + 1]) !== keyOf(dates[i]);
    if (!isLast) continue;
    out.push([keyOf(dates[i]), close[i] / base - 1]);
    base = close[i];
  }
  return out;
}

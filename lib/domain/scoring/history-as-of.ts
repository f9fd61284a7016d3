import { DomainError } from '../errors.ts';
import type { PriceSeries } from '../prices/price-series.ts';

/** The history has no price on or before the requested as-of date (code `INSUFFICIENT_HISTORY`). */
export class NoHistoryAsOfError extends DomainError {
  readonly code = 'INSUFFICIENT_HISTORY';
  constructor(
    readonly asOf: string,
    readonly firstDate: string | undefined,
  ) {
    super(`no prices on or before asOf ${asOf}${firstDate === undefined ? '' : ` (the history starts on ${firstDate})`}`);
  }
}

/**
 * `series` up to and including `asOf` (ISO date): every per-date array cut at the last date
 * ≤ asOf, so nothing after it can reach a metric or a feature. Throws {@link NoHistoryAsOfError}
 * when no date is left; a history too short for what follows is the caller's check.
 */
export function historyAsOf(series: PriceSeries, asOf: string): PriceSeries {
  // Dates are ascending ISO strings, so string order is date order.
  let end = series.dates.length;
  while (end > 0 && series.dates[end - 1] > asOf) end--;
  if (end === 0) throw new NoHistoryAsOfError(asOf, series.dates[0]);
  if (end === series.dates.length) return series;
  const out: PriceSeries = { ...series, dates: series.dates.slice(0, end), close: series.close.subarray(0, end) };
  for (const key of ['rawClose', 'open', 'high', 'low', 'volume'] as const) {
    const column = series[key];
    if (column) out[key] = column.subarray(0, end);
  }
  return out;
}

/**
 * Turns a price series into market-data records for the stream: one `{ "bars": [...] }`
 * record per calendar month (≈ 21 bars, far below MAX_BARS_PER_RECORD), in date order.
 * With an `Adj Close` column the adjusted close is sent alone: the file's open/high/low are
 * unadjusted and would not bracket it.
 */

import { MAX_BARS_PER_RECORD } from '../../schemas/market-data-record.ts';
import type { PriceBarInput } from '../../schemas/price-bar.ts';
import { monthOf } from '../../util/calendar-date.ts';
import type { PriceSeries } from '../prices/price-series.ts';

export interface BatchRecord {
  bars: PriceBarInput[];
}

export function monthlyRecords(series: PriceSeries, symbol: string, source: string): BatchRecord[] {
  const withOhlc = series.rawClose === undefined && series.open && series.high && series.low;
  const out: BatchRecord[] = [];
  let month = '';
  for (let i = 0; i < series.dates.length; i++) {
    const date = series.dates[i]!;
    const bar: PriceBarInput = { symbol, date, close: series.close[i]!, source };
    if (withOhlc) Object.assign(bar, { open: series.open![i]!, high: series.high![i]!, low: series.low![i]! });
    if (series.volume) bar.volume = series.volume[i]!;
    const last = out[out.length - 1];
    if (monthOf(date) !== month || !last || last.bars.length >= MAX_BARS_PER_RECORD) {
      month = monthOf(date);
      out.push({ bars: [bar] });
    } else {
      last.bars.push(bar);
    }
  }
  return out;
}

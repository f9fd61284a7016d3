import type { PriceSeries } from '../prices/price-series.ts';

/**
 * A PriceSeries from `{ date, close }` or `{ date, open, high, low, close }` points already
 * validated (ISO dates strictly ascending, prices finite and > 0, open/high/low on every point
 * or on none, as the request schemas guarantee). open/high/low are kept only when every point
 * has them.
 */
export function seriesFromPoints(
  points: ReadonlyArray<{ date: string; close: number; open?: number; high?: number; low?: number }>,
  symbol?: string,
): PriceSeries {
  const ohlc = points.length > 0 && points.every((p) => p.open !== undefined && p.high !== undefined && p.low !== undefined);
  return {
    ...(symbol === undefined ? {} : { symbol }),
    dates: points.map((p) => p.date),
    close: Float64Array.from(points, (p) => p.close),
    ...(ohlc
      ? {
          open: Float64Array.from(points, (p) => p.open as number),
          high: Float64Array.from(points, (p) => p.high as number),
          low: Float64Array.from(points, (p) => p.low as number),
        }
      : {}),
  };
}

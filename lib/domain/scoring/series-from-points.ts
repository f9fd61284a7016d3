import type { PriceSeries } from '../prices/price-series.ts';

/**
 * A PriceSeries from `{ date, close }` points already validated (ISO dates strictly ascending,
 * closes finite and > 0, as the request schema guarantees).
 */
export function seriesFromPoints(points: ReadonlyArray<{ date: string; close: number }>, symbol?: string): PriceSeries {
  return {
    ...(symbol === undefined ? {} : { symbol }),
    dates: points.map((p) => p.date),
    close: Float64Array.from(points, (p) => p.close),
  };
}

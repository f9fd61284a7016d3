/**
 * Which instruments can contribute training rows: a row needs MAX_LOOKBACK days of history
 * behind it and `horizon` days after it, so shorter histories (a newly listed symbol, a
 * handful of stray bars) are left out of the training set and reported, instead of
 * failing the whole run.
 */

import { MAX_LOOKBACK } from '../features/index.ts';
import type { PriceSeries } from '../prices/price-series.ts';

function minimumTrainingHistory(horizon: number): number {
  return MAX_LOOKBACK + horizon + 1;
}

export function selectTrainableSeries(
  series: readonly PriceSeries[],
  horizon: number,
): { trainable: PriceSeries[]; skipped: { symbol: string; observations: number }[] } {
  const min = minimumTrainingHistory(horizon);
  const trainable: PriceSeries[] = [];
  const skipped: { symbol: string; observations: number }[] = [];
  for (const s of series) {
    if (s.dates.length >= min) trainable.push(s);
    else skipped.push({ symbol: s.symbol ?? '?', observations: s.dates.length });
  }
  return { trainable, skipped };
}

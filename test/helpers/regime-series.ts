/**
 * A synthetic instrument whose volatility regime the model can learn and persistence cannot
 * follow: Gaussian daily returns, 40 % a year in every other block of `block` trading days
 * (shifted by `phase` days), 8 % otherwise. The training workflow tests use it so that a small
 * forest beats the baselines and a run reaches promotion whatever the model's edge on real markets.
 */
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { Xoshiro128 } from '../../lib/util/prng.ts';

/** `days` weekday closes from 1990-01-01. */
export function regimeSeries(symbol: string, opts: { seed: number; phase: number; days?: number; block?: number }): PriceSeries {
  const { seed, phase, days = 1200, block = 42 } = opts;
  const rng = new Xoshiro128(seed);
  const gauss = () => Math.sqrt(-2 * Math.log((rng.nextUint32() + 1) / 4294967297)) * Math.cos((2 * Math.PI * rng.nextUint32()) / 4294967296);
  const dates: string[] = [];
  const close = new Float64Array(days);
  let price = 100;
  for (let i = 0, d = 0; i < days; i++) {
    let day: Date;
    do day = new Date(Date.UTC(1990, 0, 1 + d++));
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
    dates.push(day.toISOString().slice(0, 10));
    const annual = Math.floor((i + phase) / block) % 2 === 1 ? 0.4 : 0.08;
    price *= 1 + (annual / Math.sqrt(252)) * gauss();
    close[i] = price;
  }
  return { symbol, dates, close };
}

/**
 * Deterministic synthetic price series for model tests: a random walk whose volatility
 * switches between calm and stormy regimes (so risk levels are learnable and persistent),
 * business-day dates from 2020-01-01, optional OHLC and volume.
 */
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { formatCsv } from '../../../lib/util/csv.ts';
import { Xoshiro128 } from '../../../lib/util/prng.ts';

export function businessDays(n: number, start = '2020-01-01'): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (out.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

export function syntheticSeries(o: { symbol: string; days: number; seed: number; ohlc?: boolean; volume?: boolean; regimeDays?: number }): PriceSeries {
  const rng = new Xoshiro128(o.seed);
  const rand = () => rng.nextFloat();
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const regime = o.regimeDays ?? 60;
  const close = new Float64Array(o.days);
  const open = new Float64Array(o.days);
  const high = new Float64Array(o.days);
  const low = new Float64Array(o.days);
  const volume = new Float64Array(o.days);
  let p = 100;
  let sigma = 0.01;
  for (let t = 0; t < o.days; t++) {
    if (t % regime === 0) sigma = [0.005, 0.01, 0.02][Math.floor(rand() * 3)];
    const o0 = p;
    p *= Math.exp(sigma * normal());
    close[t] = p;
    open[t] = o0;
    high[t] = Math.max(o0, p) * (1 + Math.abs(sigma * normal()) / 2);
    low[t] = Math.min(o0, p) * (1 - Math.abs(sigma * normal()) / 2);
    volume[t] = Math.round(1e6 * (1 + 50 * sigma * Math.abs(normal())));
  }
  const s: PriceSeries = { symbol: o.symbol, dates: businessDays(o.days), close };
  if (o.ohlc) Object.assign(s, { open, high, low });
  if (o.volume) s.volume = volume;
  return s;
}

/** A series as the text of a price file: `Date`, then `Open,High,Low` and `Volume` when it has them, and `Close`. */
export function priceFileText(s: PriceSeries): string {
  const columns: [string, ArrayLike<number> | undefined][] = [
    ['Open', s.open],
    ['High', s.high],
    ['Low', s.low],
    ['Close', s.close],
    ['Volume', s.volume],
  ];
  const present = columns.filter((c): c is [string, ArrayLike<number>] => c[1] !== undefined);
  return formatCsv(
    ['Date', ...present.map(([name]) => name)],
    s.dates.map((d, i) => [d, ...present.map(([, v]) => v[i])]),
  );
}

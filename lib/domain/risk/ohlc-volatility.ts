/**
 * Range-based (OHLC) volatility estimators and Wilder's ATR, with TTR's definitions
 * (`TTR::volatility`, `TTR::ATR`, TTR 0.24.3) except the annualisation default: N = 252 periods
 * per year here, where TTR defaults to 260. Window n defaults to 10 as in TTR.
 *
 * Every estimator returns a rolling series as long as the input, NaN where the window is not yet
 * full (TTR's NA). Logs are natural logs of price ratios. Warm-up (0-based index of the first value):
 * close-to-close n−1 (n prices = n−1 log returns, sd ddof 1); Parkinson, Garman–Klass,
 * Rogers–Satchell n−1; Yang–Zhang n (it needs the previous close).
 */
import { InvalidParameterError, requireLength, requirePositiveInteger } from './errors.ts';
import { moments, sampleVariance } from './moments.ts';
import { type AnnualizationOptions, logReturns, periodsOf } from './returns.ts';
import { rollingVolatility } from './rolling.ts';

/** Open/high/low/close arrays of equal length (prices > 0). */
export interface Ohlc {
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
}

/** Options of the OHLC estimators. */
export interface OhlcVolatilityOptions extends AnnualizationOptions {
  /** Window n in rows (default 10, TTR's default). */
  window?: number;
}

/** Yang–Zhang's α (TTR fixes it at 1.34). */
const YANG_ZHANG_ALPHA = 1.34;

/**
 * Window n (≥ `minWindow`), periods per year and row count, after checking that the given columns
 * (the first one names the length) have one length of at least n + `extra` rows.
 */
function setup(
  columns: Partial<Ohlc>,
  opts: OhlcVolatilityOptions | undefined,
  metric: string,
  { extra = 0, minWindow = 1 }: { extra?: number; minWindow?: number } = {},
) {
  const n = opts?.window ?? 10;
  requirePositiveInteger('window', n);
  if (n < minWindow) throw new InvalidParameterError('window', n, `≥ ${minWindow} for ${metric}`);
  const a = periodsOf(opts);
  const [[firstName, first], ...rest] = Object.entries(columns) as [string, ArrayLike<number>][];
  for (const [name, col] of rest) {
    if (col.length !== first.length) throw new InvalidParameterError(`${name} length`, col.length, `equal to ${firstName} length ${first.length}`);
  }
  requireLength(metric, first, n + extra);
  return { n, a, len: first.length };
}

/** The four columns, close first (an `Ohlc` may be a whole price series with other fields). */
function columnsOf(o: Ohlc): Ohlc {
  return { close: o.close, open: o.open, high: o.high, low: o.low };
}

/** Rolling √(scale · Σ_{window} term) for a per-row term (NaN where term is undefined). */
function rollingRootSum(term: Float64Array, n: number, scale: number, first: number): Float64Array {
  const out = new Float64Array(term.length).fill(Number.NaN);
  for (let t = first; t < term.length; t++) {
    let s = 0;
    for (let i = t - n + 1; i <= t; i++) s += term[i];
    out[t] = Math.sqrt(scale * s);
  }
  return out;
}

/** Sample variance (ddof 1) of x[t−n+1..t]. */
function windowVariance(x: Float64Array, t: number, n: number): number {
  return sampleVariance(moments(x.subarray(t - n + 1, t + 1)));
}

/**
 * Close-to-close: √N · sd(ln Cᵢ/Cᵢ₋₁) over the n−1 log returns inside n prices, ddof 1
 * (TTR `calc="close"`): the engine's rolling volatility of the log returns, one row later.
 * Only `close` is used.
 */
export function closeToCloseVolatility(close: ArrayLike<number>, opts?: OhlcVolatilityOptions): Float64Array {
  // n prices hold n−1 returns, and a sample standard deviation needs two.
  const { n, a, len } = setup({ close }, opts, 'closeToCloseVolatility', { minWindow: 3 });
  const out = new Float64Array(len).fill(Number.NaN);
  out.set(rollingVolatility(logReturns(close), n - 1, { periodsPerYear: a }), 1);
  return out;
}

/** Parkinson: √(N/(4n ln 2) · Σ ln(H/L)²) (TTR `calc="parkinson"`). Only `high` and `low` are used. */
export function parkinsonVolatility(ohlc: Pick<Ohlc, 'high' | 'low'>, opts?: OhlcVolatilityOptions): Float64Array {
  const { n, a, len } = setup({ high: ohlc.high, low: ohlc.low }, opts, 'parkinsonVolatility');
  const term = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const hl = Math.log(ohlc.high[i] / ohlc.low[i]);
    term[i] = hl * hl;
  }
  return rollingRootSum(term, n, a / (4 * n * Math.LN2), n - 1);
}

/** Garman–Klass: √(N/n · Σ[½ ln(H/L)² − (2 ln 2 − 1) ln(C/O)²]) (TTR `calc="garman.klass"`). */
export function garmanKlassVolatility(ohlc: Ohlc, opts?: OhlcVolatilityOptions): Float64Array {
  const { n, a, len } = setup(columnsOf(ohlc), opts, 'garmanKlassVolatility');
  const term = new Float64Array(len);
  const c = 2 * Math.LN2 - 1;
  for (let i = 0; i < len; i++) {
    const hl = Math.log(ohlc.high[i] / ohlc.low[i]);
    const co = Math.log(ohlc.close[i] / ohlc.open[i]);
    term[i] = 0.5 * hl * hl - c * co * co;
  }
  return rollingRootSum(term, n, a / n, n - 1);
}

function rsTerms(ohlc: Ohlc, len: number): Float64Array {
  const term = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const h = ohlc.high[i];
    const l = ohlc.low[i];
    term[i] = Math.log(h / ohlc.close[i]) * Math.log(h / ohlc.open[i]) + Math.log(l / ohlc.close[i]) * Math.log(l / ohlc.open[i]);
  }
  return term;
}

/** Rogers–Satchell: √(N/n · Σ[ln(H/C)ln(H/O) + ln(L/C)ln(L/O)]) (TTR `calc="rogers.satchell"`). */
export function rogersSatchellVolatility(ohlc: Ohlc, opts?: OhlcVolatilityOptions): Float64Array {
  const { n, a, len } = setup(columnsOf(ohlc), opts, 'rogersSatchellVolatility');
  return rollingRootSum(rsTerms(ohlc, len), n, a / n, n - 1);
}

/**
 * Yang–Zhang: √(σ²_o + kσ²_c + (1−k)σ²_rs), σ²_o = N·var(ln Oᵢ/Cᵢ₋₁), σ²_c = N·var(ln Cᵢ/Oᵢ)
 * (ddof 1, over n rows), σ²_rs the Rogers–Satchell variance, k = 0.34/(1.34 + (n+1)/(n−1))
 * (TTR `calc="yang.zhang"`, α = 1.34). Needs n ≥ 2 and n+1 rows.
 */
export function yangZhangVolatility(ohlc: Ohlc, opts?: OhlcVolatilityOptions): Float64Array {
  const { n, a, len } = setup(columnsOf(ohlc), opts, 'yangZhangVolatility', { extra: 1, minWindow: 2 });
  const k = (YANG_ZHANG_ALPHA - 1) / (YANG_ZHANG_ALPHA + (n + 1) / (n - 1));
  const ov = new Float64Array(len).fill(Number.NaN);
  const co = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    if (i > 0) ov[i] = Math.log(ohlc.open[i] / ohlc.close[i - 1]);
    co[i] = Math.log(ohlc.close[i] / ohlc.open[i]);
  }
  const rs = rsTerms(ohlc, len);
  const out = new Float64Array(len).fill(Number.NaN);
  for (let t = n; t < len; t++) {
    let srs = 0;
    for (let i = t - n + 1; i <= t; i++) srs += rs[i];
    out[t] = Math.sqrt(a * windowVariance(ov, t, n) + k * a * windowVariance(co, t, n) + (1 - k) * (a / n) * srs);
  }
  return out;
}

/** Result of {@link averageTrueRange}. */
export interface AtrResult {
  /** True range max(Hₜ, Cₜ₋₁) − min(Lₜ, Cₜ₋₁); NaN at index 0 (no previous close), as TTR. */
  trueRange: Float64Array;
  /** Wilder ATR; NaN before index n. */
  atr: Float64Array;
}

/**
 * Wilder's Average True Range as TTR `ATR(HLC, n = 14)`: the first value, at 0-based index n,
 * is the mean of TR₁..TRₙ; after that ATRₜ = TRₜ·(1/n) + ATRₜ₋₁·(1 − 1/n) (TTR's `EMA(wilder=TRUE)`).
 * In price units. The arithmetic is TTR's own (the seed sums TRᵢ/n, the update weights by
 * ratio = 1/n), so the values equal TTR's to the last bit.
 */
export function averageTrueRange(ohlc: Pick<Ohlc, 'high' | 'low' | 'close'>, window = 14): AtrResult {
  const { high, low, close } = ohlc;
  const { len } = setup({ close, high, low }, { window }, 'averageTrueRange', { extra: 1 });
  const tr = new Float64Array(len).fill(Number.NaN);
  for (let t = 1; t < len; t++) {
    const pc = close[t - 1];
    tr[t] = Math.max(high[t], pc) - Math.min(low[t], pc);
  }
  const atr = new Float64Array(len).fill(Number.NaN);
  let seed = 0;
  for (let t = 1; t <= window; t++) seed += tr[t] / window;
  atr[window] = seed;
  const ratio = 1 / window;
  for (let t = window + 1; t < len; t++) atr[t] = tr[t] * ratio + atr[t - 1] * (1 - ratio);
  return { trueRange: tr, atr };
}

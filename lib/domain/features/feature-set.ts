/**
 * The model's features: names, what each needs, and how it is computed from a PriceSeries.
 * The full definitions (formula, units, windows) are in docs/model.md; this file is the one
 * place they are implemented, so training, the workflow and the API compute them identically.
 *
 * Every statistic is the risk engine's (lib/domain/risk) evaluated on trailing windows, so a
 * feature and the metric of the same name cannot drift apart. Conventions: simple returns
 * r_t = C_t/C_{t-1} - 1 on `close` (Adj Close when the source had it); sample standard deviation
 * (ddof 1); annualised by √252 (TRADING_DAYS_PER_YEAR); losses (drawdowns) are positive fractions.
 * A feature value at date t uses prices at dates <= t only.
 */
import { DomainError } from '../errors.ts';
import type { PriceSeries } from '../prices/price-series.ts';
import {
  annualizeVolatility,
  averageTrueRange,
  beta,
  downsideDeviation,
  drawdownSeriesOfWealth,
  EWMA_BACKCAST_OBSERVATIONS,
  ewmaVarianceSeries,
  excessKurtosisFromMoments,
  maxDrawdownFromPrices,
  moments,
  parkinsonVolatility,
  RISKMETRICS_LAMBDA,
  rollingApply,
  rollingVolatility,
  sampleStandardDeviation,
  simpleReturns,
  skewnessFromMoments,
} from '../risk/index.ts';

/** Longest trailing window (in returns) any feature uses: rows before this index are dropped. */
export const MAX_LOOKBACK = 126;

/**
 * What a feature needs beyond closing prices. `cross-section`: the other instruments of a
 * training set on the same dates (one series alone, as a scoring request sends, has none).
 */
export type FeatureRequirement = 'close' | 'ohlc' | 'volume' | 'benchmark' | 'cross-section';

export interface FeatureDefinition {
  name: string;
  /**
   * How many trailing prices (the date's own and those before it) its value on a date depends
   * on: computed on the last `prices` prices alone, the value on the last date is the same to the
   * bit. `'all'` for a recursive feature (EWMA, Wilder's ATR), whose value depends on the whole
   * history, and for the cross-sectional ones.
   */
  prices: number | 'all';
  requires: FeatureRequirement;
  /** One line for docs and the model summary. */
  description: string;
}

/** Every feature the builder knows, in the column order it emits them. */
export const FEATURE_DEFINITIONS: readonly FeatureDefinition[] = [
  { name: 'vol_21', prices: 22, requires: 'close', description: 'annualised std (ddof 1) of the last 21 daily simple returns' },
  { name: 'vol_63', prices: 64, requires: 'close', description: 'annualised std (ddof 1) of the last 63 daily simple returns' },
  { name: 'vol_126', prices: 127, requires: 'close', description: 'annualised std (ddof 1) of the last 126 daily simple returns' },
  { name: 'ewma_vol', prices: 'all', requires: 'close', description: "annualised RiskMetrics EWMA volatility (λ 0.94) including today's return" },
  { name: 'downside_dev_63', prices: 64, requires: 'close', description: 'annualised full-N downside deviation (MAR 0) of the last 63 returns' },
  {
    name: 'drawdown_126',
    prices: 127,
    requires: 'close',
    description: "fall of today's close below the highest close of the last 127 closes (positive fraction)",
  },
  { name: 'max_drawdown_126', prices: 127, requires: 'close', description: 'largest peak-to-trough fall within the last 127 closes (positive fraction)' },
  { name: 'momentum_5', prices: 6, requires: 'close', description: 'C_t / C_{t-5} - 1' },
  { name: 'momentum_21', prices: 22, requires: 'close', description: 'C_t / C_{t-21} - 1' },
  { name: 'momentum_63', prices: 64, requires: 'close', description: 'C_t / C_{t-63} - 1' },
  { name: 'momentum_126', prices: 127, requires: 'close', description: 'C_t / C_{t-126} - 1' },
  { name: 'rv_d', prices: 2, requires: 'close', description: "HAR daily component: today's realised volatility √(252·r_t²), annualised" },
  { name: 'rv_w', prices: 6, requires: 'close', description: 'HAR weekly component: √(252 · mean of the last 5 squared returns), annualised' },
  { name: 'rv_m', prices: 23, requires: 'close', description: 'HAR monthly component: √(252 · mean of the last 22 squared returns), annualised' },
  { name: 'vol_ratio_21_126', prices: 127, requires: 'close', description: 'vol_21 / vol_126: the last month against the last half-year (1 = usual)' },
  { name: 'vol_z_126', prices: 127, requires: 'close', description: 'z-score of ln vol_21 today against its 106 values of the last 126 returns (0 if flat)' },
  {
    name: 'vol_of_vol_126',
    prices: 127,
    requires: 'close',
    description: 'std (ddof 1) of ln vol_21 over its 106 values of the last 126 returns (log-vol units)',
  },
  { name: 'skew_63', prices: 64, requires: 'close', description: 'population skewness of the last 63 returns' },
  { name: 'kurt_63', prices: 64, requires: 'close', description: 'population excess kurtosis of the last 63 returns' },
  { name: 'parkinson_vol_21', prices: 21, requires: 'ohlc', description: 'Parkinson high-low volatility over the last 21 days, annualised (N=252)' },
  {
    name: 'parkinson_vol_5',
    prices: 5,
    requires: 'ohlc',
    description: 'Parkinson high-low volatility over the last 5 days, annualised (N=252): the weekly range component',
  },
  { name: 'atr_pct_14', prices: 'all', requires: 'ohlc', description: "Wilder ATR(14) divided by today's (unadjusted) close" },
  { name: 'volume_z_63', prices: 63, requires: 'volume', description: "z-score of today's volume against the last 63 volumes (ddof 1; 0 if flat)" },
  { name: 'beta_63', prices: 64, requires: 'benchmark', description: "OLS beta of the last 63 daily returns on the benchmark's same-day returns" },
  {
    name: 'market_vol_21',
    prices: 'all',
    requires: 'cross-section',
    description: "mean vol_21 of the set's instruments on the same date (the market's volatility)",
  },
  {
    name: 'vol_rank_21',
    prices: 'all',
    requires: 'cross-section',
    description: "the instrument's vol_21 percentile among the set's instruments on the same date (0 calmest, 1 stormiest)",
  },
];

const BY_NAME = new Map(FEATURE_DEFINITIONS.map((d) => [d.name, d]));

/** What one series (plus an optional benchmark) can provide. */
export interface FeatureInputs {
  ohlc: boolean;
  volume: boolean;
  benchmark: boolean;
  /** Several instruments on shared dates, and the caller asked for cross-sectional features. */
  crossSection?: boolean;
}

const hasInput = (inputs: FeatureInputs, r: FeatureRequirement): boolean => (r === 'cross-section' ? inputs.crossSection === true : r === 'close' || inputs[r]);

export function seriesInputs(series: PriceSeries, benchmark?: PriceSeries): FeatureInputs {
  return {
    ohlc: Boolean(series.high && series.low),
    volume: Boolean(series.volume),
    benchmark: Boolean(benchmark),
  };
}

/** Feature names available given what the inputs hold, in canonical order. */
export function availableFeatureNames(inputs: FeatureInputs): string[] {
  return FEATURE_DEFINITIONS.filter((d) => hasInput(inputs, d.requires)).map((d) => d.name);
}

const undefinedColumn = (n: number) => new Float64Array(n).fill(NaN);

/** A series computed on the N−1 returns, placed at the dates of the N prices (NaN at date 0). */
function atPriceDates(x: Float64Array, n: number): Float64Array {
  const out = undefinedColumn(n);
  out.set(x, n - x.length);
  return out;
}

/** Simple returns aligned with the prices: r[0] = NaN, r[t] = C_t/C_{t−1} − 1 (the risk engine's `simpleReturns`). */
function simpleReturnsAligned(close: Float64Array): Float64Array {
  return close.length < 2 ? undefinedColumn(close.length) : atPriceDates(simpleReturns(close), close.length);
}

/** Annualised volatility of the last `w` returns at every date (the risk engine's `rollingVolatility`); NaN before index w. */
export function trailingVolatility(close: Float64Array, w: number): Float64Array {
  return close.length < 2 ? undefinedColumn(close.length) : atPriceDates(rollingVolatility(simpleReturns(close), w), close.length);
}

/**
 * Realised volatility over the last `w` returns at every date, annualised: √(252 · Σ r² / w),
 * returns not demeaned (Corsi's realised variance, with the squared daily return standing in for
 * intraday data). NaN before index w. The HAR components are w = 1, 5, 22.
 */
export function realisedVolatility(close: Float64Array, w: number): Float64Array {
  return rollingApply(
    simpleReturnsAligned(close),
    w,
    (win) => {
      let s = 0;
      for (const x of win) s += x * x;
      return annualizeVolatility(Math.sqrt(s / w));
    },
    1,
  );
}

/** The HAR (Corsi 2009) windows in trading days: daily, weekly, monthly. */
export const HAR_WINDOWS = Object.freeze({ d: 1, w: 5, m: 22 });

/**
 * Volatilities below this (annualised, 0.01 %/yr) count as this in logarithms: a flat window
 * (no price change for a month: a halted or illiquid instrument) has no finite log volatility.
 */
export const LOG_VOL_FLOOR = 1e-4;

/** ln(max(v, LOG_VOL_FLOOR)) elementwise (NaN stays NaN). */
export function logVolatility(v: Float64Array): Float64Array {
  return v.map((x) => (Number.isNaN(x) ? NaN : Math.log(Math.max(x, LOG_VOL_FLOOR))));
}

/** Values of ln vol_21 inside the last 126 returns: vol_21 of dates t−105..t. */
const LOG_VOL_WINDOW = MAX_LOOKBACK - 21 + 1;

function momentum(close: Float64Array, w: number): Float64Array {
  const out = undefinedColumn(close.length);
  for (let t = w; t < close.length; t++) out[t] = close[t] / close[t - w] - 1;
  return out;
}

/** Benchmark simple return for the same period as the series' return at t (NaN if not both dates present). */
function alignedBenchmarkReturns(series: PriceSeries, benchmark: PriceSeries): Float64Array {
  const byDate = new Map(benchmark.dates.map((d, i) => [d, benchmark.close[i]]));
  const out = undefinedColumn(series.dates.length);
  for (let t = 1; t < series.dates.length; t++) {
    const b1 = byDate.get(series.dates[t]);
    const b0 = byDate.get(series.dates[t - 1]);
    if (b1 !== undefined && b0 !== undefined) out[t] = b1 / b0 - 1;
  }
  return out;
}

/**
 * Throws FeatureInputError for the first of `names` (in order) that is unknown or needs an input
 * `series` (with `benchmark`) lacks.
 */
export function checkFeatureInputs(series: PriceSeries, names: readonly string[], benchmark?: PriceSeries): void {
  const inputs = seriesInputs(series, benchmark);
  for (const n of names) {
    const def = BY_NAME.get(n);
    if (!def) throw new FeatureInputError(`unknown feature '${n}'`, n, 'unknown-feature');
    if (!hasInput(inputs, def.requires)) {
      const what = {
        close: '',
        ohlc: 'open/high/low prices',
        volume: 'a volume column',
        benchmark: 'a benchmark series',
        'cross-section': 'the other instruments of a training set on the same dates',
      }[def.requires];
      throw new FeatureInputError(`feature '${n}' needs ${what}, which ${series.symbol ?? 'the series'} does not have`, n, 'missing-input');
    }
  }
}

/**
 * Computes the named features for every date of `series` (one Float64Array per name, NaN where
 * a trailing window is incomplete). Throws FeatureInputError when a name is unknown or needs an
 * input the series lacks.
 */
export function computeFeatureColumns(series: PriceSeries, names: readonly string[], opts: { benchmark?: PriceSeries } = {}): Float64Array[] {
  checkFeatureInputs(series, names, opts.benchmark);
  const close = series.close;
  const n = close.length;
  const cache = new Map<string, Float64Array>();
  const memo = (key: string, make: () => Float64Array): Float64Array => {
    let column = cache.get(key);
    if (!column) {
      column = make();
      cache.set(key, column);
    }
    return column;
  };
  // Computed once per call, when a feature needs them (vol_21 feeds vol_21, the ratio and the z-score).
  const returns = () => memo('returns', () => simpleReturnsAligned(close));
  const vol = (w: number) => memo(`vol ${w}`, () => trailingVolatility(close, w));
  const moments63 = () => {
    if (!cache.has('skew_63')) {
      const r = returns();
      const skew = undefinedColumn(n);
      const kurt = undefinedColumn(n);
      for (let t = 63; t < n; t++) {
        const m = moments(r.subarray(t - 62, t + 1));
        // A flat window has no asymmetry or tail information: 0, so the row is kept.
        skew[t] = skewnessFromMoments(m) ?? 0;
        kurt[t] = excessKurtosisFromMoments(m) ?? 0;
      }
      cache.set('skew_63', skew);
      cache.set('kurt_63', kurt);
    }
  };
  const logVolMoments = () => {
    if (!cache.has('vol_z_126')) {
      const lv = logVolatility(vol(21));
      const z = undefinedColumn(n);
      const vov = undefinedColumn(n);
      for (let t = 21 + LOG_VOL_WINDOW - 1; t < n; t++) {
        const m = moments(lv.subarray(t - LOG_VOL_WINDOW + 1, t + 1));
        const sd = sampleStandardDeviation(m);
        // A window whose volatility never changed: no dispersion to scale by, today is "usual".
        z[t] = m.m2 > 0 ? (lv[t] - m.mean) / sd : 0;
        vov[t] = sd;
      }
      cache.set('vol_z_126', z);
      cache.set('vol_of_vol_126', vov);
    }
  };
  const compute = (name: string): Float64Array => {
    switch (name) {
      case 'vol_21':
        return vol(21);
      case 'vol_63':
        return vol(63);
      case 'vol_126':
        return vol(126);
      case 'ewma_vol': {
        // ewmaVarianceSeries(r_1..r_N)[i] is the variance after observing r_i (index i of r).
        // Its start value uses the first 75 returns, so dates before that are left undefined.
        const v = undefinedColumn(n);
        if (n <= EWMA_BACKCAST_OBSERVATIONS) return v;
        const s = ewmaVarianceSeries(returns().subarray(1), { lambda: RISKMETRICS_LAMBDA });
        for (let i = EWMA_BACKCAST_OBSERVATIONS; i < n; i++) v[i] = annualizeVolatility(Math.sqrt(s[i]));
        return v;
      }
      case 'downside_dev_63':
        return rollingApply(returns(), 63, (win) => downsideDeviation(win), 1);
      case 'drawdown_126':
        // Today's point of the drawdown series of the last 127 closes.
        return rollingApply(close, 127, (win) => drawdownSeriesOfWealth(win)[126]);
      case 'max_drawdown_126':
        return rollingApply(close, 127, (win) => maxDrawdownFromPrices(win).maxDrawdown);
      case 'momentum_5':
        return momentum(close, 5);
      case 'momentum_21':
        return momentum(close, 21);
      case 'momentum_63':
        return momentum(close, 63);
      case 'momentum_126':
        return momentum(close, 126);
      case 'rv_d':
        return realisedVolatility(close, HAR_WINDOWS.d);
      case 'rv_w':
        return realisedVolatility(close, HAR_WINDOWS.w);
      case 'rv_m':
        return realisedVolatility(close, HAR_WINDOWS.m);
      case 'vol_ratio_21_126': {
        const v21 = vol(21);
        const v126 = vol(126);
        // A flat half-year (v126 = 0) has a flat month too: ratio 1, "as usual".
        return v21.map((v, t) => (v126[t] > 0 ? v / v126[t] : Number.isNaN(v126[t]) ? NaN : 1));
      }
      case 'vol_z_126':
      case 'vol_of_vol_126':
        logVolMoments();
        return cache.get(name)!;
      case 'skew_63':
      case 'kurt_63':
        moments63();
        return cache.get(name)!;
      case 'parkinson_vol_21':
        return n < 21 ? undefinedColumn(n) : parkinsonVolatility({ high: series.high!, low: series.low! }, { window: 21 });
      case 'parkinson_vol_5':
        return n < 5 ? undefinedColumn(n) : parkinsonVolatility({ high: series.high!, low: series.low! }, { window: 5 });
      case 'atr_pct_14': {
        // High/low are unadjusted, so true range and the divisor use the unadjusted close.
        const c = series.rawClose ?? close;
        if (n <= 14) return undefinedColumn(n);
        const { atr } = averageTrueRange({ high: series.high!, low: series.low!, close: c }, 14);
        for (let t = 0; t < n; t++) atr[t] /= c[t];
        return atr;
      }
      case 'volume_z_63':
        // A flat window (no dispersion beyond rounding) scores 0.
        return rollingApply(series.volume!, 63, (win) => {
          const m = moments(win);
          return m.m2 > 0 ? (win[62] - m.mean) / sampleStandardDeviation(m) : 0;
        });
      case 'beta_63': {
        const b = alignedBenchmarkReturns(series, opts.benchmark!);
        // Undefined while a window holds a return without its benchmark return, or a flat benchmark.
        return rollingApply(
          returns(),
          63,
          (win, end) => {
            const bw = b.subarray(end - 62, end + 1);
            return bw.some(Number.isNaN) ? NaN : (beta(win, bw) ?? NaN);
          },
          1,
        );
      }
      default:
        throw new FeatureInputError(`unknown feature '${name}'`, name, 'unknown-feature');
    }
  };
  return names.map((n) => compute(n));
}

/** The cross-sectional feature names among `names`, and the rest (per-series features), each in the given order. */
export function splitCrossSectional(names: readonly string[]): { perSeries: string[]; crossSectional: string[] } {
  const cross = new Set(FEATURE_DEFINITIONS.filter((d) => d.requires === 'cross-section').map((d) => d.name));
  return { perSeries: names.filter((n) => !cross.has(n)), crossSectional: names.filter((n) => cross.has(n)) };
}

/**
 * Cross-sectional features of every series of a set (`names` ⊆ market_vol_21, vol_rank_21), one
 * Float64Array per name per series, aligned with that series' dates. On a date, the cross-section
 * is every series with a vol_21 value that date (its own included): market_vol_21 is their mean,
 * vol_rank_21 the series' mid-rank percentile (rank − 1)/(m − 1) with ties averaged (0.5 when it
 * is alone). A value at date t uses the instruments' prices up to t only; instruments that close
 * later the same calendar day are counted (dates carry no time of day).
 */
export function crossSectionColumns(series: readonly PriceSeries[], names: readonly string[]): Float64Array[][] {
  for (const n of names) {
    if (BY_NAME.get(n)?.requires !== 'cross-section') throw new FeatureInputError(`'${n}' is not a cross-sectional feature`, n, 'unknown-feature');
  }
  const vols = series.map((s) => trailingVolatility(s.close, 21));
  const byDate = new Map<string, number[]>();
  series.forEach((s, k) => {
    s.dates.forEach((d, t) => {
      const v = vols[k][t];
      if (Number.isNaN(v)) return;
      const list = byDate.get(d) ?? [];
      list.push(v);
      byDate.set(d, list);
    });
  });
  return series.map((s, k) =>
    names.map((name) =>
      Float64Array.from(s.dates, (d, t) => {
        const v = vols[k][t];
        const all = byDate.get(d);
        if (Number.isNaN(v) || all === undefined) return NaN;
        if (name === 'market_vol_21') return all.reduce((a, b) => a + b, 0) / all.length;
        if (all.length === 1) return 0.5;
        const below = all.filter((x) => x < v).length;
        const ties = all.filter((x) => x === v).length - 1;
        return (below + ties / 2) / (all.length - 1);
      }),
    ),
  );
}

/**
 * Why a feature could not be computed: `unknown-feature`, the name is not in the catalogue;
 * `missing-input`, the history lacks an input the feature needs (OHLC, volume, a benchmark, a
 * cross-section of other instruments).
 */
export type FeatureInputReason = 'unknown-feature' | 'missing-input';

/**
 * A feature could not be computed from the inputs given; match `reason`, not the message. Code
 * `MODEL_INPUT_UNAVAILABLE` for a missing input (other data could fix it), `INVALID_PARAMETER`
 * for an unknown name (no data can: the caller asked for something that does not exist; a model
 * that lists one is foreign or corrupt, which the model's own code reports as such).
 */
export class FeatureInputError extends DomainError {
  readonly code: 'MODEL_INPUT_UNAVAILABLE' | 'INVALID_PARAMETER';
  /**
   * @param feature the feature's name, as the model lists it
   * @param reason what is wrong with it
   */
  constructor(
    message: string,
    readonly feature: string,
    readonly reason: FeatureInputReason,
  ) {
    super(message);
    this.code = reason === 'missing-input' ? 'MODEL_INPUT_UNAVAILABLE' : 'INVALID_PARAMETER';
  }
}

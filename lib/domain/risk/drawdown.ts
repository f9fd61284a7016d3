/**
 * Drawdowns of compounded wealth.
 *
 * The wealth path has N+1 points for N returns: W₀ = 1 before the first return and
 * Wᵢ = ∏_{j<i}(1 + r_j) after the i-th return. When the returns come from a price series,
 * wealth index i is price index i, so `dates[i]` is the date of wealth point i — the peak,
 * trough and recovery indices below can be used directly on `PriceSeries.dates`.
 * The start counts as a peak (as empyrical, PerformanceAnalytics and Riskfolio), so a loss on
 * the first day is a drawdown.
 *
 * Depths are positive loss fractions 1 − W_trough/W_peak (PerformanceAnalytics sign); the
 * signed value (empyrical, quantstats) is its negative.
 */
import { requireLength } from './errors.ts';

/** One drawdown episode: from a peak to the first point back at or above the peak. */
export interface DrawdownEpisode {
  /** 1 − W_trough/W_peak, a positive loss fraction. */
  depth: number;
  /** Wealth index of the peak (the last point at the running maximum before the fall). */
  peakIndex: number;
  /** Wealth index of the lowest point of the episode (first one, if tied). */
  troughIndex: number;
  /** First wealth index at or above the peak after the trough; null if not recovered by the end. */
  recoveryIndex: number | null;
  /** troughIndex − peakIndex: periods from the peak to the trough. */
  peakToTroughPeriods: number;
  /** recoveryIndex − troughIndex, or null if not recovered. */
  recoveryPeriods: number | null;
  /** recoveryIndex − peakIndex (PerformanceAnalytics `Length`), or null if not recovered. */
  durationPeriods: number | null;
}

/** Result of {@link maxDrawdownFromPrices}. */
export interface MaxDrawdownResult extends DrawdownEpisode {
  /** Same as `depth`: the maximum drawdown as a positive loss fraction (0 if wealth never fell). */
  maxDrawdown: number;
}

/** Wealth path W₀ = 1, Wᵢ = Wᵢ₋₁(1 + rᵢ₋₁); length N+1. */
export function wealthPath(returns: ArrayLike<number>): Float64Array {
  const n = returns.length;
  const w = new Float64Array(n + 1);
  w[0] = 1;
  for (let i = 0; i < n; i++) w[i + 1] = w[i] * (1 + returns[i]);
  return w;
}

/**
 * Drawdown at every point of a positive level path (prices, or {@link wealthPath} of returns):
 * 1 − Wᵢ/max_{j≤i}W_j, ≥ 0, first value 0.
 */
export function drawdownSeriesOfWealth(wealth: ArrayLike<number>): Float64Array {
  const out = new Float64Array(wealth.length);
  let peak = -Infinity;
  for (let i = 0; i < wealth.length; i++) {
    const w = wealth[i];
    if (w >= peak) peak = w;
    else out[i] = 1 - w / peak;
  }
  return out;
}

/**
 * Every drawdown episode of a level path (prices or wealth), in time order. An episode starts
 * at a peak followed by a lower point and ends at the first point ≥ the peak (or at the end).
 */
export function drawdownEpisodesOfWealth(wealth: ArrayLike<number>): DrawdownEpisode[] {
  const out: DrawdownEpisode[] = [];
  const n = wealth.length;
  if (n === 0) return out;
  let peakIdx = 0;
  let peak = wealth[0];
  let inDd = false;
  let trough = 0;
  let troughIdx = 0;
  const close = (recovery: number | null) => {
    out.push({
      depth: 1 - trough / peak,
      peakIndex: peakIdx,
      troughIndex: troughIdx,
      recoveryIndex: recovery,
      peakToTroughPeriods: troughIdx - peakIdx,
      recoveryPeriods: recovery === null ? null : recovery - troughIdx,
      durationPeriods: recovery === null ? null : recovery - peakIdx,
    });
  };
  for (let i = 1; i < n; i++) {
    const w = wealth[i];
    if (w >= peak) {
      if (inDd) {
        close(i);
        inDd = false;
      }
      peak = w;
      peakIdx = i;
    } else if (!inDd) {
      inDd = true;
      trough = w;
      troughIdx = i;
    } else if (w < trough) {
      trough = w;
      troughIdx = i;
    }
  }
  if (inDd) close(null);
  return out;
}

/**
 * The `top` deepest episodes, deepest first (ties: the earlier one first) — the content of
 * PerformanceAnalytics `table.Drawdowns` / quantstats `drawdown_details`.
 */
export function worstDrawdowns(episodes: readonly DrawdownEpisode[], top: number): DrawdownEpisode[] {
  return episodes
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.depth - a.e.depth || a.i - b.i)
    .slice(0, top)
    .map((x) => x.e);
}

/**
 * Maximum drawdown of a positive level path — prices (wealth = Pᵢ/P₀) or {@link wealthPath} of
 * returns — as a positive loss fraction with the indices of its deepest episode (index i = the
 * date of price i; for a wealth path, index 0 is before the first return). When the path never
 * falls, everything is 0. From prices, a price returning exactly to its peak counts as recovered;
 * compounding returns can land one ulp short of it.
 * @example maxDrawdownFromPrices([100, 110, 55, 66]) // { maxDrawdown: 0.5, peakIndex: 1, troughIndex: 2, recoveryIndex: null, ... }
 */
export function maxDrawdownFromPrices(prices: ArrayLike<number>): MaxDrawdownResult {
  requireLength('maxDrawdownFromPrices', prices, 2);
  const [deepest] = worstDrawdowns(drawdownEpisodesOfWealth(prices), 1);
  if (!deepest) {
    return {
      maxDrawdown: 0,
      depth: 0,
      peakIndex: 0,
      troughIndex: 0,
      recoveryIndex: 0,
      peakToTroughPeriods: 0,
      recoveryPeriods: 0,
      durationPeriods: 0,
    };
  }
  return { maxDrawdown: deepest.depth, ...deepest };
}

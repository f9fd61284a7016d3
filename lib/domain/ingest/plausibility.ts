/**
 * Plausibility of a new close against what the lake already holds for the symbol: a bar that
 * would move the series far beyond its own recent volatility, or that rewrites a stored close by
 * a large fraction, is HELD (quarantined with its evidence, not applied) until a person releases
 * it (`riskfn lake release`). One typing error (close 1000 where the series sits near 105) would
 * otherwise rewrite history and flip the symbol's risk level.
 *
 * Pure: the caller loads the symbol's stored closes once ({@link CloseHistory}) and feeds the
 * record's bars in order; every accepted bar is added to the history so the next bar (of the same
 * record or of a later record in the batch) is checked against it.
 */
import type { QuarantineReason } from '../../schemas/quarantine-reason.ts';

/**
 * The thresholds, with why:
 * - `floor` 0.25 (|log return|, ≈ +28 % / −22 % in one step): a daily move an index or a large
 *   stock makes only in a crash; below it nothing is ever held, so ordinary days cost no
 *   volatility estimate.
 * - `k` 10 × robust daily volatility: lets a volatile symbol (σ 4 % → limit 40 %) move further
 *   than the floor. A 10σ move under a fat-tailed distribution still happens a few times in a
 *   stock's life (earnings gaps); holding those for a person to confirm is the intended trade.
 * - robust volatility = 1.4826 × MAD of the last `window` (63 ≈ one quarter of trading days)
 *   log returns: the MAD ignores the very spikes being hunted, 1.4826 makes it σ for normal data.
 *   With fewer than `minReturns` (20) returns the estimate is noise, so only the floor applies.
 * - `maxRevisionFraction` 0.10: vendors correct closes by cents and dividend re-adjustments move
 *   old closes by a few percent; a change above 10 % of a stored close is a split, a wrong symbol
 *   or a typing error, each of which a person should see before it rewrites history.
 * A ratio applied to a split-adjusted history (2:1 → −69 % in log terms) exceeds every limit here,
 * which is why splits travel in a `split` batch (see docs/data-lake.md).
 */
export const PLAUSIBILITY_RULES = {
  floor: 0.25,
  k: 10,
  window: 63,
  minReturns: 20,
  madToSigma: 1.4826,
  maxRevisionFraction: 0.1,
} as const;

export type PlausibilityRules = { readonly [K in keyof typeof PLAUSIBILITY_RULES]: number };

/** A stored neighbour of the checked bar and the log return between the two (later / earlier). */
export interface Neighbour {
  date: string;
  close: number;
  /** ln(later close / earlier close), taken in date order between the neighbour and the bar. */
  logReturn: number;
}

/** Why a bar was held: the numbers a person needs to decide (stored on the quarantine object). */
export type HoldEvidence =
  | {
      kind: 'IMPLAUSIBLE_PRICE';
      close: number;
      previous?: Neighbour;
      next?: Neighbour;
      /** The |log return| limit applied: max(floor, k × robustVolatility). */
      threshold: number;
      floor: number;
      k: number;
      /** 1.4826 × MAD of the log returns used; absent when fewer than minReturns were available. */
      robustVolatility?: number;
      returnsUsed: number;
    }
  | {
      kind: 'SUSPECT_REVISION';
      close: number;
      date: string;
      storedClose: number;
      /** |close − storedClose| / storedClose. */
      revisionFraction: number;
      maxRevisionFraction: number;
    };

export type PlausibilityVerdict =
  | { ok: true }
  | { ok: false; reason: Extract<QuarantineReason, 'IMPLAUSIBLE_PRICE' | 'SUSPECT_REVISION'>; detail: string; evidence: HoldEvidence };

const OK: PlausibilityVerdict = { ok: true };

/**
 * One symbol's closes by date, ascending (the latest revision of each date), kept sorted as bars
 * are accepted. Backed by plain arrays: appending a newer date (the usual case) is a push.
 */
export class CloseHistory {
  readonly dates: string[];
  readonly closes: number[];

  /** `dates` ascending and unique, `closes` aligned; the arrays are copied. */
  constructor(dates: readonly string[] = [], closes: ArrayLike<number> = []) {
    this.dates = [...dates];
    this.closes = Array.from(closes);
  }

  get size(): number {
    return this.dates.length;
  }

  /** Index of the first date ≥ `date` (binary search; `size` when every date is earlier). */
  lowerBound(date: string): number {
    const d = this.dates;
    const n = d.length;
    if (n === 0 || d[n - 1]! < date) return n; // appending: the common case, O(1)
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d[mid]! < date) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sets the close of `date` (inserting the date, or replacing a stored close). */
  set(date: string, close: number): void {
    const i = this.lowerBound(date);
    if (i < this.dates.length && this.dates[i] === date) {
      this.closes[i] = close;
    } else if (i === this.dates.length) {
      this.dates.push(date);
      this.closes.push(close);
    } else {
      this.dates.splice(i, 0, date);
      this.closes.splice(i, 0, close);
    }
  }
}

/** Scratch space for the volatility estimate (reused: no allocation per checked bar). */
let scratch = new Float64Array(64);

function median(a: Float64Array, n: number): number {
  const s = a.subarray(0, n).sort();
  return n % 2 === 1 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * 1.4826 × MAD of up to `window` log returns of `h` ending at index `end` (inclusive), or
 * undefined when fewer than `minReturns` are available there.
 */
function robustVolatility(h: CloseHistory, end: number, rules: PlausibilityRules): { sigma?: number; used: number } {
  const first = Math.max(1, end - rules.window + 1);
  const n = end - first + 1;
  if (n < rules.minReturns) return { used: Math.max(0, n) };
  if (scratch.length < n) scratch = new Float64Array(n);
  const c = h.closes;
  for (let i = first; i <= end; i++) scratch[i - first] = Math.log(c[i]! / c[i - 1]!);
  const m = median(scratch, n);
  for (let i = 0; i < n; i++) scratch[i] = Math.abs(scratch[i]! - m);
  return { sigma: rules.madToSigma * median(scratch, n), used: n };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/**
 * Checks a bar's close against `history` (its symbol's stored closes plus the bars accepted
 * before it). Rules, in order:
 * 1. a symbol without history accepts anything (nothing to compare with);
 * 2. a date already stored is a revision: held as SUSPECT_REVISION when it moves the stored close
 *    by more than `maxRevisionFraction`;
 * 3. otherwise the bar sits between its stored neighbours (the previous and/or next date): it is
 *    held as IMPLAUSIBLE_PRICE when its |log return| against EVERY neighbour it has exceeds
 *    max(floor, k × robust volatility). "Every", not "any": a bar that agrees with one side sits
 *    at a genuine jump already in the series (e.g. a back-filled day just after a crash).
 * Does not modify `history`.
 */
export function checkPlausibility(history: CloseHistory, date: string, close: number, rules: PlausibilityRules = PLAUSIBILITY_RULES): PlausibilityVerdict {
  const n = history.size;
  if (n === 0) return OK;
  const i = history.lowerBound(date);
  const { dates, closes } = history;

  if (i < n && dates[i] === date) {
    const stored = closes[i]!;
    const revisionFraction = Math.abs(close - stored) / stored;
    if (revisionFraction <= rules.maxRevisionFraction) return OK;
    return {
      ok: false,
      reason: 'SUSPECT_REVISION',
      detail: `close ${close} would revise the stored close ${stored} of ${date} by ${pct(revisionFraction)} (limit ${pct(rules.maxRevisionFraction)})`,
      evidence: { kind: 'SUSPECT_REVISION', close, date, storedClose: stored, revisionFraction, maxRevisionFraction: rules.maxRevisionFraction },
    };
  }

  const prevClose = i > 0 ? closes[i - 1]! : undefined;
  const nextClose = i < n ? closes[i]! : undefined;
  const rPrev = prevClose === undefined ? undefined : Math.log(close / prevClose);
  const rNext = nextClose === undefined ? undefined : Math.log(nextClose / close);
  const move = Math.min(rPrev === undefined ? Infinity : Math.abs(rPrev), rNext === undefined ? Infinity : Math.abs(rNext));
  // The threshold is at least the floor: an ordinary day is accepted without a volatility estimate.
  if (move <= rules.floor) return OK;

  // Volatility of the returns leading up to the bar (or, for a bar before all history, the first ones).
  const end = i > 0 ? i - 1 : Math.min(n - 1, rules.window);
  const vol = robustVolatility(history, end, rules);
  const threshold = Math.max(rules.floor, vol.sigma === undefined ? 0 : rules.k * vol.sigma);
  if (move <= threshold) return OK;

  const evidence: HoldEvidence = { kind: 'IMPLAUSIBLE_PRICE', close, threshold, floor: rules.floor, k: rules.k, returnsUsed: vol.used };
  if (rPrev !== undefined) evidence.previous = { date: dates[i - 1]!, close: prevClose!, logReturn: rPrev };
  if (rNext !== undefined) evidence.next = { date: dates[i]!, close: nextClose!, logReturn: rNext };
  if (vol.sigma !== undefined) evidence.robustVolatility = vol.sigma;
  const against = [
    evidence.previous && `previous close ${prevClose} (${evidence.previous.date})`,
    evidence.next && `next close ${nextClose} (${evidence.next.date})`,
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    ok: false,
    reason: 'IMPLAUSIBLE_PRICE',
    detail: `close ${close} on ${date} moves |log return| ${move.toFixed(3)} against the ${against}, above the limit ${threshold.toFixed(3)} = max(floor ${rules.floor}, ${rules.k} × robust volatility ${vol.sigma === undefined ? `n/a: ${vol.used} returns` : vol.sigma.toFixed(4)})`,
    evidence,
  };
}

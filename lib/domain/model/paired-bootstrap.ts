/**
 * How sure is a difference in score between two predictors scored on the same test rows: a
 * paired circular block bootstrap over dates (Politis & Romano 1992).
 *
 * Both predictors' scores on a date are summarised by sufficient statistics ({@link DateScore}:
 * the confusion counts and the summed log loss and Brier score), so a resample only adds up the
 * statistics of the dates it draws (a date drawn twice counts twice) and computes each score from
 * the sums, for both predictors at once (paired: the same dates for both, so what the two share,
 * the difficulty of the period, cancels out of the difference).
 *
 * Why dates and blocks of dates:
 * - dates, not rows: instruments on the same date move together (one market shock lifts every
 *   volatility at once), so the rows of a date are not independent draws;
 * - blocks of `horizon` consecutive dates: a label looks `horizon` days ahead, so the labels of
 *   neighbouring dates share all but one of their daily returns (20 of 21 for a 21-day horizon).
 *   A block that long keeps that dependence inside the resample; the circular variant wraps
 *   around the end so every date is equally likely to be drawn.
 *
 * Conventions: every difference is signed so that positive means the model is better (balanced
 * accuracy model − baseline; log loss and Brier baseline − model). `difference` is the one on the
 * full sample (exactly the pooled scores' difference), `standardError` the standard deviation of
 * the resampled differences, `lower`/`upper` their 5th and 95th percentiles (numpy's default
 * linear interpolation): a 90 % two-sided percentile interval, so `upper < 0` means the model is
 * worse with 95 % one-sided confidence. `probabilityBetter` is the share of resamples in which the
 * model is strictly better. Seeded: the same input and seed give the same numbers.
 */
import { deriveSeed, Xoshiro128 } from '../../util/prng.ts';
import { TrainingDataError } from './errors.ts';

/**
 * One predictor's scores on the test rows of one date: the confusion counts (row-major, true
 * class by predicted class, in the evaluation's `classes` order) and the summed log loss (nats)
 * and multi-class Brier score of those rows. Pools exactly: add the counts and the sums.
 */
export interface DateScore {
  date: string;
  confusion: number[];
  logLoss: number;
  brier: number;
}

/**
 * Per-date sums over `from` classes re-laid over `to` (a superset: a class `from` lacks gets
 * zero counts), so two models whose class lists differ can be paired. Exact: a class without
 * rows adds nothing to any score.
 */
export function reindexDateScores(scores: readonly DateScore[], from: readonly string[], to: readonly string[]): DateScore[] {
  const at = from.map((c) => to.indexOf(c));
  if (at.some((i) => i < 0)) throw new TrainingDataError(`classes ${from.join(', ')} are not all among ${to.join(', ')}`);
  const k = from.length;
  const m = to.length;
  return scores.map((d) => {
    const confusion = new Array<number>(m * m).fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) confusion[at[i] * m + at[j]] = d.confusion[i * k + j];
    return { ...d, confusion };
  });
}

/** The bootstrap's estimate of one score's difference (positive: the model is better). */
export interface DifferenceEstimate {
  /** On the full sample: the pooled scores' difference. */
  difference: number;
  /** Standard deviation of the resampled differences. */
  standardError: number;
  /** 5th percentile of the resampled differences (lower end of the 90 % interval). */
  lower: number;
  /** 95th percentile of the resampled differences (upper end of the 90 % interval). */
  upper: number;
  /** Share of resamples in which the model is strictly better (0 to 1). */
  probabilityBetter: number;
}

/** The model against one baseline on the three scores, with how they were resampled. */
export interface ScoreDifferences {
  /** Dates resampled (the test dates both were scored on). */
  dates: number;
  /** Consecutive dates per block (the label horizon). */
  blockLength: number;
  resamples: number;
  seed: number;
  balancedAccuracy: DifferenceEstimate;
  logLoss: DifferenceEstimate;
  brier: DifferenceEstimate;
}

export interface PairedBootstrapOptions {
  /** Consecutive dates per block: the label horizon (values below 1 count as 1; above the number of dates, as that number). */
  blockLength: number;
  /** Resamples (default 1000). */
  resamples?: number;
  /** Seed of the block draws. */
  seed: number;
}

/** Resamples by default: enough for a standard error to about 2 % and the 5 %/95 % percentiles to about ±0.1 SE. */
const DEFAULT_RESAMPLES = 1000;

/** Stream of the seed used for the block draws, so they do not repeat the draws of the forest's first tree. */
const BOOTSTRAP_STREAM = 0x626f6f74;

type Scores = { balancedAccuracy: number; logLoss: number; brier: number };

/**
 * The three scores of summed statistics, as metricsFromCounts (metrics.ts) computes them: balanced
 * accuracy averages recall over the classes present; log loss and Brier are per row. Inlined
 * because a bootstrap computes them thousands of times and needs none of the per-class detail.
 */
function scoresOf(k: number, sums: Float64Array, offset: number): Scores {
  let rows = 0;
  let recall = 0;
  let present = 0;
  for (let i = 0; i < k; i++) {
    let support = 0;
    for (let j = 0; j < k; j++) support += sums[offset + i * k + j];
    rows += support;
    if (support > 0) {
      recall += sums[offset + i * k + i] / support;
      present += 1;
    }
  }
  return {
    balancedAccuracy: present > 0 ? recall / present : NaN,
    logLoss: rows > 0 ? sums[offset + k * k] / rows : NaN,
    brier: rows > 0 ? sums[offset + k * k + 1] / rows : NaN,
  };
}

/** Positive when `model` is better than `baseline`. */
function differences(model: Scores, baseline: Scores): Scores {
  return {
    balancedAccuracy: model.balancedAccuracy - baseline.balancedAccuracy,
    logLoss: baseline.logLoss - model.logLoss,
    brier: baseline.brier - model.brier,
  };
}

/** Linear-interpolation percentile (numpy's default) of sorted values, q in [0, 1]. */
function percentile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function estimate(full: number, draws: number[]): DifferenceEstimate {
  const finite = draws.filter(Number.isFinite);
  const n = finite.length;
  if (n < 2) return { difference: full, standardError: NaN, lower: NaN, upper: NaN, probabilityBetter: NaN };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const variance = finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  const sorted = [...finite].sort((a, b) => a - b);
  return {
    difference: full,
    standardError: Math.sqrt(variance),
    lower: percentile(sorted, 0.05),
    upper: percentile(sorted, 0.95),
    probabilityBetter: finite.filter((d) => d > 0).length / n,
  };
}

/**
 * The paired circular block bootstrap of the model's scores against a baseline's over the same
 * dates. `model` and `baseline` hold one entry per date, in the same order (each predictor's
 * per-date statistics over `classes`); throws TrainingDataError when their dates differ or there
 * are none.
 */
export function pairedBootstrap(
  model: readonly DateScore[],
  baseline: readonly DateScore[],
  classes: readonly string[],
  opts: PairedBootstrapOptions,
): ScoreDifferences {
  const n = model.length;
  const k = classes.length;
  if (n === 0) throw new TrainingDataError('a paired bootstrap needs at least one date');
  if (baseline.length !== n || model.some((d, i) => d.date !== baseline[i].date)) {
    throw new TrainingDataError('a paired bootstrap needs both predictors scored on the same dates');
  }
  for (const d of [...model, ...baseline]) {
    if (d.confusion.length !== k * k) throw new TrainingDataError(`date ${d.date}: ${d.confusion.length} confusion counts for ${k} classes`);
  }
  const B = opts.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(B) || B < 1) throw new TrainingDataError(`resamples must be a positive integer, got ${B}`);
  const L = Math.min(n, Math.max(1, Math.floor(opts.blockLength)));

  // Running sums over the dates twice over (the circle unrolled), both predictors side by side
  // (k² + 2 numbers each): a block of consecutive dates then costs one subtraction per number.
  const w = k * k + 2;
  const cum = new Float64Array((2 * n + 1) * 2 * w);
  for (let t = 0; t < 2 * n; t++) {
    const o = t * 2 * w;
    for (const [p, d] of [model[t % n], baseline[t % n]].entries()) {
      for (let j = 0; j < k * k; j++) cum[o + 2 * w + p * w + j] = cum[o + p * w + j] + d.confusion[j];
      cum[o + 2 * w + p * w + k * k] = cum[o + p * w + k * k] + d.logLoss;
      cum[o + 2 * w + p * w + k * k + 1] = cum[o + p * w + k * k + 1] + d.brier;
    }
  }
  const sums = new Float64Array(2 * w);
  const scoresOfSums = (): [Scores, Scores] => [scoresOf(k, sums, 0), scoresOf(k, sums, w)];
  /** Adds dates start .. start + length - 1 (wrapping around; start < n, length <= n). */
  const addBlock = (start: number, length: number) => {
    const from = start * 2 * w;
    const to = (start + length) * 2 * w;
    for (let j = 0; j < 2 * w; j++) sums[j] += cum[to + j] - cum[from + j];
  };

  addBlock(0, n);
  const full = differences(...scoresOfSums());

  const rng = new Xoshiro128(deriveSeed(opts.seed, BOOTSTRAP_STREAM));
  const draws: Record<keyof Scores, number[]> = { balancedAccuracy: [], logLoss: [], brier: [] };
  for (let b = 0; b < B; b++) {
    sums.fill(0);
    for (let drawn = 0; drawn < n; drawn += L) addBlock(rng.nextInt(n), Math.min(L, n - drawn));
    const d = differences(...scoresOfSums());
    draws.balancedAccuracy.push(d.balancedAccuracy);
    draws.logLoss.push(d.logLoss);
    draws.brier.push(d.brier);
  }
  return {
    dates: n,
    blockLength: L,
    resamples: B,
    seed: opts.seed,
    balancedAccuracy: estimate(full.balancedAccuracy, draws.balancedAccuracy),
    logLoss: estimate(full.logLoss, draws.logLoss),
    brier: estimate(full.brier, draws.brier),
  };
}

/**
 * How a series behaved in the benchmark's up and down markets (aligned series: same length, same
 * dates). empyrical's convention throughout: an UP period is one where the benchmark return
 * b > 0, a DOWN period one where b < 0; a period with b = 0 is in neither. The risk-free rate
 * plays no part (empyrical ignores it here too).
 *
 * Capture ratio (empyrical `up_capture` / `down_capture`): the annualised geometric return of
 * the series over those periods divided by the benchmark's over the same periods, both
 * annualised over the n selected periods as if they were consecutive:
 * [(∏(1+rᵢ))^(A/n) − 1] / [(∏(1+bᵢ))^(A/n) − 1]. PerformanceAnalytics 2.1.0
 * `UpDownRatios(method="Capture")` divides the CUMULATIVE returns, ∏(1+rᵢ) − 1, and counts
 * b = 0 as a down period, so its values differ (docs/metrics.md §6).
 *
 * Up/down beta (empyrical `up_alpha_beta` / `down_alpha_beta`): the OLS beta cov(r, b)/var(b) on
 * the up (down) periods only.
 */
import { betaOf, coMoments } from './co-moments.ts';
import { InvalidParameterError } from './errors.ts';
import { safeRatio } from './ratios.ts';
import { type AnnualizationOptions, annualizeGrowth, periodsOf } from './returns.ts';

type Side = 'up' | 'down';

/** The periods of one side: the series' and the benchmark's returns where b > 0 (up) or b < 0 (down). */
function side(returns: ArrayLike<number>, benchmark: ArrayLike<number>, which: Side): { r: number[]; b: number[] } {
  if (returns.length !== benchmark.length) {
    throw new InvalidParameterError('benchmark length', benchmark.length, `equal to the series length ${returns.length} (align them first)`);
  }
  const r: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < returns.length; i++) {
    const x = benchmark[i];
    if (which === 'up' ? x > 0 : x < 0) {
      r.push(returns[i]);
      b.push(x);
    }
  }
  return { r, b };
}

function captureRatio(returns: ArrayLike<number>, benchmark: ArrayLike<number>, which: Side, opts?: AnnualizationOptions): number | null {
  const a = periodsOf(opts);
  const { r, b } = side(returns, benchmark, which);
  const n = r.length;
  if (n === 0) return null;
  let gR = 1;
  let gB = 1;
  for (let i = 0; i < n; i++) {
    gR *= 1 + r[i];
    gB *= 1 + b[i];
  }
  return safeRatio(annualizeGrowth(gR, n, a), annualizeGrowth(gB, n, a));
}

/**
 * Up-market capture ratio (empyrical `up_capture`): annualised geometric return of the series over
 * the periods where the benchmark rose (b > 0), divided by the benchmark's annualised return over
 * them. 1 = the series captured all of the benchmark's gains; > 1 more. A = `periodsPerYear`
 * (default 252). Null when the benchmark never rose.
 * @example upCaptureRatio([0.02, -0.01, 0.01], [0.01, -0.02, 0]) // one up period: (1.02^252 − 1)/(1.01^252 − 1) ≈ 12.95
 */
export function upCaptureRatio(returns: ArrayLike<number>, benchmark: ArrayLike<number>, opts?: AnnualizationOptions): number | null {
  return captureRatio(returns, benchmark, 'up', opts);
}

/**
 * Down-market capture ratio (empyrical `down_capture`): annualised geometric return of the series
 * over the periods where the benchmark fell (b < 0), divided by the benchmark's annualised return
 * over them. < 1 = the series lost less than the benchmark in its falls; negative = it gained.
 * Null when the benchmark never fell.
 */
export function downCaptureRatio(returns: ArrayLike<number>, benchmark: ArrayLike<number>, opts?: AnnualizationOptions): number | null {
  return captureRatio(returns, benchmark, 'down', opts);
}

/** Result of {@link upDownBeta}. */
export interface UpDownBeta {
  /** OLS beta on the periods with b > 0; null with fewer than 2 of them or a constant benchmark there. */
  upBeta: number | null;
  /** OLS beta on the periods with b < 0; null with fewer than 2 of them or a constant benchmark there. */
  downBeta: number | null;
}

/** Beta cov(r, b)/var(b) (population co-moments) on the benchmark's up periods and on its down periods separately. */
export function upDownBeta(returns: ArrayLike<number>, benchmark: ArrayLike<number>): UpDownBeta {
  const betaOn = (which: Side): number | null => {
    const { r, b } = side(returns, benchmark, which);
    return r.length < 2 ? null : betaOf(coMoments(r, b));
  };
  return { upBeta: betaOn('up'), downBeta: betaOn('down') };
}

/**
 * Co-moments of two aligned series, the one place beta and correlation are computed from
 * (the CAPM metrics, the up/down-market betas, the stability of a wealth curve).
 */
import { InvalidParameterError, requireLength } from './errors.ts';
import { moments } from './moments.ts';
import { safeRatio } from './ratios.ts';

/** Means and (population) co-moments of two aligned series. */
export interface CoMoments {
  n: number;
  meanA: number;
  meanB: number;
  /** Σ(a−ā)²/N */
  varA: number;
  varB: number;
  cov: number;
}

/**
 * Co-moments of aligned series `a` and `b` (≥ 2 values each). The variances are those of
 * {@link moments}, so a series constant up to rounding has variance exactly 0, and then its
 * covariance is 0 too.
 */
export function coMoments(a: ArrayLike<number>, b: ArrayLike<number>): CoMoments {
  if (a.length !== b.length) {
    throw new InvalidParameterError('benchmark length', b.length, `equal to the series length ${a.length} (align them first)`);
  }
  requireLength('coMoments', a, 2);
  const n = a.length;
  const ma = moments(a);
  const mb = moments(b);
  let cov = 0;
  if (ma.m2 > 0 && mb.m2 > 0) {
    for (let i = 0; i < n; i++) cov += (a[i] - ma.mean) * (b[i] - mb.mean);
    cov /= n;
  }
  return { n, meanA: ma.mean, meanB: mb.mean, varA: ma.m2, varB: mb.m2, cov };
}

/** Pearson correlation of co-moments; null when either series is constant (up to rounding). */
export function correlationOf(c: CoMoments): number | null {
  return safeRatio(c.cov, Math.sqrt(c.varA * c.varB));
}

/** OLS slope cov(a, b)/var(b) of co-moments; null when `b` is constant (up to rounding). */
export function betaOf(c: CoMoments): number | null {
  return safeRatio(c.cov, c.varB);
}

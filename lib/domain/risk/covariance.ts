/**
 * Covariance matrices of aligned asset returns. Input: one return array per asset (columns),
 * all the same length T. Output: a dense symmetric p×p matrix, row-major, PER PERIOD (multiply
 * by A to annualise, as PyPortfolioOpt does by default).
 */
import { InvalidParameterError, requireLength } from './errors.ts';
import { EWMA_BACKCAST_OBSERVATIONS, lambdaOf } from './ewma.ts';
import { moments } from './moments.ts';

/** A dense p×p matrix stored row-major: element (i, j) is `data[i * size + j]`. */
export interface CovarianceMatrix {
  size: number;
  data: Float64Array;
}

/** Asset return columns: `columns[i][t]` is asset i's return in period t. */
export type ReturnColumns = readonly ArrayLike<number>[];

/** @internal Validates shape; returns [p, T]. */
export function shapeOf(columns: ReturnColumns, metric: string, minT = 2): [number, number] {
  const p = columns.length;
  if (p === 0) throw new InvalidParameterError('assets', 0, 'at least one asset');
  const t = columns[0].length;
  for (let i = 1; i < p; i++) {
    if (columns[i].length !== t) {
      throw new InvalidParameterError(`asset ${i} length`, columns[i].length, `equal to asset 0 length ${t} (align them first)`);
    }
  }
  requireLength(metric, columns[0], minT);
  return [p, t];
}

/** Demeaned copies of the columns; all zeros for a column that is constant up to rounding ({@link moments}). */
function centered(columns: ReturnColumns, p: number, t: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < p; i++) {
    const c = columns[i];
    const m = moments(c);
    const x = new Float64Array(t);
    if (m.m2 > 0) for (let k = 0; k < t; k++) x[k] = c[k] - m.mean;
    out.push(x);
  }
  return out;
}

/**
 * Σ_t x[t]·y[t] / d for every pair, symmetric fill. Four columns j share each load of x_i[t]
 * (about a third faster than one pair at a time; each pair's sum is still accumulated in t order).
 */
function crossProducts(x: Float64Array[], p: number, t: number, d: number): CovarianceMatrix {
  const data = new Float64Array(p * p);
  const put = (i: number, j: number, s: number) => {
    data[i * p + j] = data[j * p + i] = s / d;
  };
  for (let i = 0; i < p; i++) {
    const xi = x[i];
    let j = i;
    for (; j + 3 < p; j += 4) {
      const a = x[j];
      const b = x[j + 1];
      const c = x[j + 2];
      const e = x[j + 3];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < t; k++) {
        const v = xi[k];
        s0 += v * a[k];
        s1 += v * b[k];
        s2 += v * c[k];
        s3 += v * e[k];
      }
      put(i, j, s0);
      put(i, j + 1, s1);
      put(i, j + 2, s2);
      put(i, j + 3, s3);
    }
    for (; j < p; j++) {
      const xj = x[j];
      let s = 0;
      for (let k = 0; k < t; k++) s += xi[k] * xj[k];
      put(i, j, s);
    }
  }
  return { size: p, data };
}

/** Sample covariance, ddof 1 (R `cov`, pandas `.cov()`, numpy `np.cov`). */
export function sampleCovariance(columns: ReturnColumns): CovarianceMatrix {
  const [p, t] = shapeOf(columns, 'sampleCovariance');
  return crossProducts(centered(columns, p, t), p, t, t - 1);
}

/**
 * RiskMetrics EWMA covariance (zero mean, λ = 0.94): Σₜ = λΣₜ₋₁ + (1−λ)rₜ₋₁rₜ₋₁ᵀ, started from
 * the backcast Σ₀ = Σ_{i<τ} λ^i rᵢrᵢᵀ / Σ λ^i over τ = min(75, T) (the multivariate form of
 * `ewmaStartVariance`). Returns the forecast after the last period (its diagonal equals
 * `ewmaVarianceSeries` of each asset's last element). Not PyPortfolioOpt `exp_cov` (demeaned, span 180).
 */
export function ewmaCovariance(columns: ReturnColumns, opts?: { lambda?: number }): CovarianceMatrix {
  const [p, t] = shapeOf(columns, 'ewmaCovariance', 1);
  const lambda = lambdaOf(opts);
  const data = new Float64Array(p * p);
  const tau = Math.min(EWMA_BACKCAST_OBSERVATIONS, t);
  const r = new Float64Array(p);
  let w = 1;
  let sw = 0;
  for (let k = 0; k < tau; k++) {
    for (let i = 0; i < p; i++) r[i] = columns[i][k];
    for (let i = 0; i < p; i++) for (let j = i; j < p; j++) data[i * p + j] += w * r[i] * r[j];
    sw += w;
    w *= lambda;
  }
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) data[i * p + j] /= sw;
  const b = 1 - lambda;
  for (let k = 0; k < t; k++) {
    for (let i = 0; i < p; i++) r[i] = columns[i][k];
    for (let i = 0; i < p; i++) {
      const ri = b * r[i];
      const row = i * p;
      for (let j = i; j < p; j++) data[row + j] = lambda * data[row + j] + ri * r[j];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) data[i * p + j] = data[j * p + i];
  return { size: p, data };
}

/** Result of {@link ledoitWolfCovariance}. */
export interface ShrunkCovariance extends CovarianceMatrix {
  /** Shrinkage intensity δ in [0, 1]. */
  shrinkage: number;
  /** The target's diagonal value μ = tr(S)/p. */
  target: number;
}

/**
 * Ledoit–Wolf (2004) shrinkage towards μI, μ = tr(S)/p, with S the ddof-0 covariance of the
 * demeaned returns — exactly scikit-learn `ledoit_wolf` / `LedoitWolf().covariance_`, which
 * PyPortfolioOpt `CovarianceShrinkage.ledoit_wolf()` and Riskfolio `ledoit` call.
 */
export function ledoitWolfCovariance(columns: ReturnColumns): ShrunkCovariance {
  const [p, t] = shapeOf(columns, 'ledoitWolfCovariance');
  const x = centered(columns, p, t);
  const s = crossProducts(x, p, t, t);
  let trace = 0;
  for (let i = 0; i < p; i++) trace += s.data[i * p + i];
  const mu = trace / p;
  let delta_ = 0;
  for (let k = 0; k < p * p; k++) delta_ += s.data[k] * s.data[k];
  // beta_ = Σ_{i,j} Σ_t x_ti² x_tj² = Σ_t (Σ_i x_ti²)²
  let beta_ = 0;
  for (let k = 0; k < t; k++) {
    let rowSq = 0;
    for (let i = 0; i < p; i++) rowSq += x[i][k] * x[i][k];
    beta_ += rowSq * rowSq;
  }
  let beta = (beta_ / t - delta_) / (p * t);
  const delta = (delta_ - 2 * mu * trace + p * mu * mu) / p;
  beta = Math.min(beta, delta);
  // One asset, or S already a multiple of I: nothing to shrink (sklearn returns 0 for p = 1).
  const shrinkage = p === 1 || beta <= 0 || delta <= 0 ? 0 : beta / delta;
  const data = new Float64Array(p * p);
  for (let k = 0; k < p * p; k++) data[k] = (1 - shrinkage) * s.data[k];
  for (let i = 0; i < p; i++) data[i * p + i] += shrinkage * mu;
  return { size: p, data, shrinkage, target: mu };
}

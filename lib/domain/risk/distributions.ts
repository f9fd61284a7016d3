/**
 * Normal and chi-square distribution functions, accurate to about 1e-15 relative, written
 * out here because the engine must not depend on a statistics runtime.
 *
 * The normal CDF goes through the regularised incomplete gamma function
 * (erfc(x) = Q(½, x²)), evaluated by its power series or its continued fraction (modified
 * Lentz); the quantile starts from Abramowitz–Stegun 26.2.23 and is polished by Halley
 * steps on that CDF. Checked against scipy (test/fixtures/risk/reference-py.json).
 */
import { InvalidParameterError } from './errors.ts';

/** ln √(2π), to double precision. */
const LN_SQRT_2PI = 0.9189385332046728;
const EPS = 1e-16;
const MAX_ITER = 500;

/** ln Γ(a) for a > 0: exact for integers and half-integers up to 171, Lanczos (g=7) otherwise. */
function logGamma(a: number): number {
  if (!(a > 0)) throw new InvalidParameterError('a', a, '> 0');
  const twice = 2 * a;
  if (Number.isInteger(twice) && a <= 171) {
    // Γ(k) = (k−1)!, Γ(k+½) = √π·(2k)!/(4^k k!) — built by the recursion Γ(x+1) = xΓ(x).
    let x = Number.isInteger(a) ? 1 : 0.5;
    let lg = Number.isInteger(a) ? 0 : 0.5 * Math.log(Math.PI);
    while (x < a) {
      lg += Math.log(x);
      x += 1;
    }
    return lg;
  }
  return lanczosLogGamma(a);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

function lanczosLogGamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - lanczosLogGamma(1 - a);
  const x = a - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (x + i);
  const t = x + 7.5;
  return LN_SQRT_2PI + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Lower regularised incomplete gamma P(a, x) by its series (converges fast for x < a+1). */
function gammaPSeries(a: number, x: number, lga: number): number {
  let sum = 1 / a;
  let term = sum;
  let ap = a;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lga);
}

/** Upper regularised incomplete gamma Q(a, x) by its continued fraction (x ≥ a+1). */
function gammaQContinuedFraction(a: number, x: number, lga: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lga) * h;
}

/** Regularised lower incomplete gamma P(a, x). */
function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  const lga = logGamma(a);
  return x < a + 1 ? gammaPSeries(a, x, lga) : 1 - gammaQContinuedFraction(a, x, lga);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), computed without cancellation. */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const lga = logGamma(a);
  return x < a + 1 ? 1 - gammaPSeries(a, x, lga) : gammaQContinuedFraction(a, x, lga);
}

/** Complementary error function erfc(x). */
function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 0) return regularizedGammaQ(0.5, x * x);
  return 1 + regularizedGammaP(0.5, x * x);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LN_SQRT_2PI);
}

/** Standard normal CDF Φ(x) (R `pnorm`, scipy `norm.cdf`); accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p) (R `qnorm`, scipy `norm.ppf`). `normalPpf(0.05)` ≈ −1.6449.
 * @param p probability in (0, 1); 0 and 1 give ∓Infinity
 */
export function normalPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new InvalidParameterError('p', p, 'in [0, 1]');
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work in the lower tail for accuracy; reflect at the end.
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  const t = Math.sqrt(-2 * Math.log(q));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 6; i++) {
    const f = normalCdf(x) - q;
    const u = f / normalPdf(x);
    // Halley step for Φ(x) = q: Φ'' = −xφ.
    const dx = u / (1 + 0.5 * x * u);
    x -= dx;
    if (Math.abs(dx) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return upper ? -x : x;
}

/**
 * Chi-square survival function 1 − CDF (the p-value of a likelihood-ratio statistic), computed
 * directly so small p-values keep their digits (R `1 - pchisq(x, df)` loses them below ~1e-16).
 */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new InvalidParameterError('df', df, '> 0');
  return regularizedGammaQ(df / 2, x / 2);
}

/** Binomial CDF P(X ≤ k) for X ~ Binomial(n, p), summed in log space. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const lnN = logGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let s = 0;
  for (let i = 0; i <= k; i++) {
    s += Math.exp(lnN - logGamma(i + 1) - logGamma(n - i + 1) + i * lp + (n - i) * lq);
  }
  return Math.min(1, s);
}

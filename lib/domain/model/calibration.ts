/**
 * Calibration of the forest's class probabilities on held-out rows.
 *
 * A forest's probabilities are vote shares: autocorrelated training rows make its trees agree
 * too often, so the shares are over-confident (and often exactly 0, which log loss punishes
 * without limit). The map learnt here turns them into probabilities that come true as often as
 * they say, fitted on a purged validation slice at the end of the training period (never on
 * the rows it is scored on).
 *
 * Method: **Dirichlet calibration** (Kull et al. 2019): a multinomial logistic regression on
 * the log-probabilities, q = softmax(W · ln(p + ε) + b), W a K×K matrix, b a K-vector, fitted
 * by Newton's method on the log-likelihood with an L2 penalty (λ/2)‖W‖² (b unpenalised, as
 * scikit-learn's LogisticRegression with C = 1/λ). Why this one: it is the multi-class
 * generalisation of Platt scaling (one model for all classes, so no per-class renormalising
 * as one-vs-rest Platt or isotonic need), it can both sharpen/soften (W's diagonal, like a
 * temperature) and move probability between neighbouring classes or towards the recent class
 * mix (off-diagonal W, b), which a regime shift calls for, and its 12 parameters fit stably on a
 * few hundred rows where isotonic regression's step functions would not. Starting from W = I,
 * b = 0 (the identity map), so it never does worse on the slice than the raw shares.
 *
 * Fallbacks, recorded in the map's `method` and `reason`:
 * - a class with no row in the slice (its intercept would run to −∞), or fewer than
 *   MIN_DIRICHLET_ROWS rows: **temperature scaling**, q = softmax(ln(p + ε) / T), one
 *   parameter that needs no example of every class (Guo et al. 2017);
 * - fewer than MIN_TEMPERATURE_ROWS rows: **none**, q = (p + ε) / Σ(p + ε) (only the smoothing
 *   that keeps every class possible).
 *
 * ε is half of one tree's vote (0.5 / trees): a class no tree voted for keeps a small, finite
 * log-probability.
 */
import { TrainingDataError } from './errors.ts';
import { solveLinearSystem } from './linear-system.ts';

/** Rows a calibration slice needs for the Dirichlet map (else temperature scaling). */
export const MIN_DIRICHLET_ROWS = 50;
/** Rows a calibration slice needs for temperature scaling (else no calibration). */
export const MIN_TEMPERATURE_ROWS = 10;
/** L2 strength on W (scikit-learn's C = 1). */
export const CALIBRATION_L2 = 1;

/** A fitted calibration map: probabilities in `classes` order in, calibrated probabilities in the same order out. */
export type Calibration = {
  /** The class order of the map's input and output. */
  classes: string[];
  /** Added to each input probability before the log. */
  epsilon: number;
  /** Rows of the slice the map was fitted on. */
  rows: number;
  /**
   * Weight of the HAR baseline's probabilities in the served ones (0: none): served =
   * (1 − harWeight) · calibrated forest + harWeight · HAR (see {@link poolWithHar}).
   */
  harWeight: number;
} & (
  | { method: 'dirichlet'; weights: number[][]; intercepts: number[] }
  | { method: 'temperature'; temperature: number; reason: string }
  | { method: 'none'; reason: string }
);

function logInputs(p: readonly number[], epsilon: number): number[] {
  return p.map((v) => Math.log(Math.max(0, v) + epsilon));
}

function softmaxInPlace(z: number[]): number[] {
  const m = Math.max(...z);
  let s = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp(z[k] - m);
    s += z[k];
  }
  for (let k = 0; k < z.length; k++) z[k] /= s;
  return z;
}

/** Calibrated probabilities of one row (`p` in `cal.classes` order). */
export function calibrate(cal: Calibration, p: readonly number[]): number[] {
  const x = logInputs(p, cal.epsilon);
  if (cal.method === 'none') return softmaxInPlace(x);
  if (cal.method === 'temperature') return softmaxInPlace(x.map((v) => v / cal.temperature));
  return softmaxInPlace(cal.weights.map((w, k) => cal.intercepts[k] + w.reduce((a, wj, j) => a + wj * x[j], 0)));
}

/**
 * Fits the calibration map on held-out rows.
 * @param proba raw probabilities per row in `classes` order
 * @param truth per row, the index of the true class in `classes`
 * @param trees the forest's size (sets ε = 0.5 / trees)
 */
export function fitCalibration(classes: readonly string[], proba: readonly (readonly number[])[], truth: readonly number[], trees: number): Calibration {
  const k = classes.length;
  const epsilon = 0.5 / trees;
  const base = { classes: [...classes], epsilon, rows: proba.length, harWeight: 0 };
  if (proba.length !== truth.length) throw new TrainingDataError('calibration: probabilities and labels differ in length');
  if (proba.length < MIN_TEMPERATURE_ROWS) {
    return { ...base, method: 'none', reason: `${proba.length} calibration rows (fewer than ${MIN_TEMPERATURE_ROWS})` };
  }
  const x = proba.map((p) => logInputs(p, epsilon));
  const counts = classes.map((_, c) => truth.filter((t) => t === c).length);
  const missing = classes.filter((_, c) => counts[c] === 0);
  if (missing.length > 0 || proba.length < MIN_DIRICHLET_ROWS) {
    const reason =
      missing.length > 0
        ? `no ${missing.join(', ')} row in the ${proba.length} calibration rows`
        : `${proba.length} calibration rows (fewer than ${MIN_DIRICHLET_ROWS})`;
    return { ...base, method: 'temperature', temperature: fitTemperature(x, truth), reason };
  }
  const { weights, intercepts } = fitDirichlet(x, truth, k);
  return { ...base, method: 'dirichlet', weights, intercepts };
}

/** Mean negative log-likelihood of softmax(x / T). */
function temperatureLoss(x: readonly number[][], truth: readonly number[], t: number): number {
  let loss = 0;
  for (let i = 0; i < x.length; i++) {
    const z = x[i].map((v) => v / t);
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
    loss += lse - z[truth[i]];
  }
  return loss / x.length;
}

/** T minimising the log loss, by golden-section search on ln T in [−4, 4] (T from 0.018 to 55). */
function fitTemperature(x: readonly number[][], truth: readonly number[]): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let lo = -4;
  let hi = 4;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = temperatureLoss(x, truth, Math.exp(a));
  let fb = temperatureLoss(x, truth, Math.exp(b));
  for (let it = 0; it < 80 && hi - lo > 1e-9; it++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = temperatureLoss(x, truth, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = temperatureLoss(x, truth, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Penalised multinomial logistic regression by damped Newton steps. Parameters per class k:
 * [W_k0 .. W_k(K−1), b_k]. The objective is Σ_i −ln q_i,y_i + (λ/2)‖W‖².
 */
function fitDirichlet(x: readonly number[][], truth: readonly number[], k: number): { weights: number[][]; intercepts: number[] } {
  const d = k + 1;
  const size = k * d;
  const theta = new Array<number>(size).fill(0);
  for (let c = 0; c < k; c++) theta[c * d + c] = 1; // W = I, b = 0: the identity map
  const rowLogits = (th: readonly number[], xi: readonly number[]): number[] =>
    Array.from({ length: k }, (_, c) => {
      let z = th[c * d + k];
      for (let j = 0; j < k; j++) z += th[c * d + j] * xi[j];
      return z;
    });
  const objective = (th: readonly number[]): number => {
    let loss = 0;
    for (let i = 0; i < x.length; i++) {
      const z = rowLogits(th, x[i]);
      const m = Math.max(...z);
      loss += m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0)) - z[truth[i]];
    }
    let pen = 0;
    for (let c = 0; c < k; c++) for (let j = 0; j < k; j++) pen += th[c * d + j] ** 2;
    return loss + (CALIBRATION_L2 / 2) * pen;
  };
  let f = objective(theta);
  for (let iter = 0; iter < 100; iter++) {
    const grad = new Array<number>(size).fill(0);
    const hess = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (let i = 0; i < x.length; i++) {
      const q = softmaxInPlace(rowLogits(theta, x[i]));
      const xi = [...x[i], 1];
      for (let c = 0; c < k; c++) {
        const r = q[c] - (truth[i] === c ? 1 : 0);
        for (let j = 0; j < d; j++) grad[c * d + j] += r * xi[j];
        for (let l = 0; l < k; l++) {
          const w = q[c] * ((c === l ? 1 : 0) - q[l]);
          if (w === 0) continue;
          for (let j = 0; j < d; j++) {
            const wx = w * xi[j];
            for (let m = 0; m < d; m++) hess[c * d + j][l * d + m] += wx * xi[m];
          }
        }
      }
    }
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < k; j++) {
        grad[c * d + j] += CALIBRATION_L2 * theta[c * d + j];
        hess[c * d + j][c * d + j] += CALIBRATION_L2;
      }
    }
    const gmax = Math.max(...grad.map(Math.abs));
    if (gmax < 1e-9 * Math.max(1, x.length)) break;
    // Adding the same constant to every intercept changes nothing: a tiny ridge makes the step unique.
    for (let p = 0; p < size; p++) hess[p][p] += 1e-9 * Math.max(1, x.length);
    const step = solveLinearSystem(
      hess,
      grad.map((g) => -g),
    );
    if (step === null) break;
    let t = 1;
    let next = theta.map((v, p) => v + t * step[p]);
    let fn = objective(next);
    while (!(fn <= f) && t > 1e-10) {
      t /= 2;
      next = theta.map((v, p) => v + t * step[p]);
      fn = objective(next);
    }
    if (!(fn <= f)) break;
    const done = f - fn < 1e-12 * Math.max(1, Math.abs(f));
    for (let p = 0; p < size; p++) theta[p] = next[p];
    f = fn;
    if (done) break;
  }
  // Report intercepts centred on 0 (the one representative of the equivalent intercept vectors).
  const intercepts = Array.from({ length: k }, (_, c) => theta[c * d + k]);
  const mean = intercepts.reduce((a, v) => a + v, 0) / k;
  return {
    weights: Array.from({ length: k }, (_, c) => theta.slice(c * d, c * d + k)),
    intercepts: intercepts.map((v) => v - mean),
  };
}

/**
 * The served probabilities: the calibrated forest pooled with the HAR baseline's probabilities
 * of the same row (both in `cal.classes` order), (1 − w) · calibrated + w · HAR with w the
 * map's `harWeight`. Without HAR probabilities (or w = 0) the calibrated forest alone.
 */
export function poolWithHar(cal: Calibration, calibrated: readonly number[], har: readonly number[] | null): number[] {
  const w = cal.harWeight;
  if (w === 0 || har === null) return [...calibrated];
  return calibrated.map((c, k) => (1 - w) * c + w * har[k]);
}

/**
 * The HAR weight w in [0, 1] minimising the log loss of (1 − w) · calibrated + w · HAR on the
 * calibration slice (golden-section search; the loss is convex in w).
 *
 * Why pool at all: a forest cannot forecast a level it never saw in training (a calm history
 * followed by a storm: every tree answers from the calm leaves), while HAR's regression in
 * log-volatility extrapolates. A linear pool keeps every class possible in proportion to HAR's
 * view and lets the slice decide how much the forest adds beyond it (Stone 1961; Genest and
 * Zidek 1986 on linear opinion pools).
 */
export function fitHarWeight(calibrated: readonly (readonly number[])[], har: readonly (readonly number[])[], truth: readonly number[]): number {
  if (calibrated.length === 0) return 0;
  const loss = (w: number) => {
    let l = 0;
    for (let i = 0; i < calibrated.length; i++) {
      const t = truth[i];
      l -= Math.log(Math.max(1e-15, (1 - w) * calibrated[i][t] + w * har[i][t]));
    }
    return l;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  let lo = 0;
  let hi = 1;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = loss(a);
  let fb = loss(b);
  for (let it = 0; it < 60 && hi - lo > 1e-6; it++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = loss(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = loss(b);
    }
  }
  const w = (lo + hi) / 2;
  // The ends are candidates too (the optimum may sit on the boundary).
  return [0, w, 1].reduce((best, c) => (loss(c) < loss(best) ? c : best), w);
}

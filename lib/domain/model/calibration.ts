/**
 * Calibration of the forest's class probabilities on held-out rows.
 *
 * A forest's probabilities are vote shares: autocorrelated training rows make its trees agree
 * too often, so the shares are over-confident (and often exactly 0, which log loss punishes
 * without limit). The map learnt here turns them into probabilities that come true about as
 * often as they say, fitted on a purged validation slice at the end of the training period
 * (never on the rows it is scored on).
 *
 * Method: **temperature scaling** (Guo et al. 2017), q = softmax(ln(p + ε) / T), one parameter
 * fitted by log loss. Why this one: the slice is the most recent stretch of the training
 * period, and the rows it is applied to come after it, often in another volatility regime. A
 * map with more freedom learns the slice's class mix along with the forest's over-confidence
 * (a multinomial map of the log-probabilities, 12 parameters, was tried: on the eustock and
 * Dow data it scored worse out of sample on log loss and calibration error than this one
 * parameter, 0.83 against 0.70 pooled log loss on eustock); a temperature only sharpens or
 * softens, keeps the forest's ranking of the classes, and needs no example of every class, so
 * a slice without any `high` row still calibrates. Isotonic or per-class Platt maps would need
 * a renormalisation and many rows per class.
 *
 * Fallback, recorded in the map's `method` and `reason`: fewer than MIN_TEMPERATURE_ROWS rows:
 * **none**, q = (p + ε) / Σ(p + ε) (only the smoothing that keeps every class possible).
 *
 * ε is half of one tree's vote (0.5 / trees): a class no tree voted for keeps a small, finite
 * log-probability.
 */
import { TrainingDataError } from './errors.ts';

/** Rows a calibration slice needs for temperature scaling (else no calibration). */
export const MIN_TEMPERATURE_ROWS = 10;

/** A fitted calibration map: probabilities in `classes` order in, calibrated probabilities in the same order out. */
export type Calibration = {
  /** The class order of the map's input and output. */
  classes: string[];
  /** Added to each input probability before the log. */
  epsilon: number;
  /** Rows of the slice the map was fitted on. */
  rows: number;
  /**
   * Fitted weight of the HAR baseline's probabilities in the served ones (0: none): served =
   * (1 − w) · calibrated forest + w · HAR (see {@link poolWithHar}), with w = harWeight, or
   * with a trust region w(x) = 1 − (1 − harWeight)(1 − u(x)) ({@link harWeightAt}).
   */
  harWeight: number;
  /**
   * Where the forest's training data ends (see {@link HarTrust}); absent: the weight is
   * `harWeight` everywhere.
   */
  harTrust?: HarTrust;
} & ({ method: 'temperature'; temperature: number } | { method: 'none'; reason: string });

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
  return softmaxInPlace(x.map((v) => v / cal.temperature));
}

/**
 * Fits the calibration map on held-out rows.
 * @param proba raw probabilities per row in `classes` order
 * @param truth per row, the index of the true class in `classes`
 * @param trees the forest's size (sets ε = 0.5 / trees)
 */
export function fitCalibration(classes: readonly string[], proba: readonly (readonly number[])[], truth: readonly number[], trees: number): Calibration {
  const epsilon = 0.5 / trees;
  const base = { classes: [...classes], epsilon, rows: proba.length, harWeight: 0 };
  if (proba.length !== truth.length) throw new TrainingDataError('calibration: probabilities and labels differ in length');
  if (proba.length < MIN_TEMPERATURE_ROWS) {
    return { ...base, method: 'none', reason: `${proba.length} calibration rows (fewer than ${MIN_TEMPERATURE_ROWS})` };
  }
  const x = proba.map((p) => logInputs(p, epsilon));
  return { ...base, method: 'temperature', temperature: fitTemperature(x, truth) };
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
 * The trust region of a forest: how much of what a query asks the forest has seen in training.
 * A tree answers a query beyond its training data with its outermost leaf, a constant, while
 * HAR's log-linear forecast extrapolates; and a forest's probability for a class rests on the
 * training rows of that class. Both are counted in rows of evidence and discounted the same way,
 * by the credibility share (Bühlmann) HAR's view gets when it is worth k rows:
 *
 * - *where the query is*: m = the training rows strictly beyond the query's HAR forecast (the
 *   smaller of the counts below and above it), t(m) = (k/(k + m) − k/(k + L)) / (1 − k/(k + L))
 *   for m < L, 0 from m = L on (the share rescaled to reach 0 at L rows);
 * - *what it has seen of every class*: c = k / (k + n), n = the training rows of the rarest class.
 *
 * k = {@link TRUST_WINDOWS} label windows of rows (10 × horizon: rows of overlapping labels are
 * far from independent, one window's worth carries about one independent outcome), L = 10 k.
 * The forest keeps (1 − t)(1 − c) of its fitted share: served HAR weight
 * w(x) = 1 − (1 − w)(1 − t(m(x)))(1 − c), with w the fitted `harWeight` (HAR alone beyond the
 * training range; the fitted pool deep inside it when every class is well represented). Only
 * the L lowest and L highest training forecasts are needed, so that is what is stored.
 */
export interface HarTrust {
  /** k: training rows HAR's view is worth. */
  prior: number;
  /** L: from this many training rows beyond a query on, its position costs the forest nothing (t = 0). */
  span: number;
  /** Training rows of the rarest class (n). */
  rarestClassRows: number;
  /** The `span` lowest training forecasts (ln annualised volatility), ascending (all when there are fewer). */
  lowest: number[];
  /** The `span` highest training forecasts, ascending (all when there are fewer). */
  highest: number[];
}

/** Independent label windows of evidence HAR's view is worth in the trust region (k = this × horizon rows). */
const TRUST_WINDOWS = 10;

/**
 * The trust region of a forest trained on rows with HAR forecasts `forecasts` (ln vol), for
 * labels `horizon` rows ahead, whose rarest class has `rarestClassRows` training rows.
 */
export function harTrust(forecasts: readonly number[], horizon: number, rarestClassRows: number): HarTrust {
  const prior = TRUST_WINDOWS * Math.max(1, horizon);
  const span = 10 * prior;
  const sorted = [...forecasts].sort((a, b) => a - b);
  return { prior, span, rarestClassRows, lowest: sorted.slice(0, span), highest: sorted.slice(Math.max(0, sorted.length - span)) };
}

/**
 * u in [0, 1]: the share of the forest's fitted weight that goes to HAR for a query with HAR
 * forecast `mu`, 1 − (1 − t)(1 − c) (see {@link HarTrust}; 1: beyond every training row).
 */
export function outsideTrust(trust: HarTrust, mu: number): number {
  const below = firstIndex(trust.lowest, (v) => v >= mu);
  const above = trust.highest.length - firstIndex(trust.highest, (v) => v > mu);
  const m = Math.min(below, above);
  const floor = trust.prior / (trust.prior + trust.span);
  const t = m >= trust.span ? 0 : Math.max(0, (trust.prior / (trust.prior + m) - floor) / (1 - floor));
  const c = trust.prior / (trust.prior + trust.rarestClassRows);
  return 1 - (1 - t) * (1 - c);
}

/** The first index of ascending `xs` where `past` holds (xs.length when nowhere): a binary search. */
function firstIndex(xs: readonly number[], past: (v: number) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(xs[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The HAR weight served for a row whose HAR forecast is `mu` (null: unknown, the fitted weight). */
export function harWeightAt(cal: Calibration, mu: number | null): number {
  if (!cal.harTrust || mu === null || !Number.isFinite(mu)) return cal.harWeight;
  return 1 - (1 - cal.harWeight) * (1 - outsideTrust(cal.harTrust, mu));
}

/**
 * The served probabilities: the calibrated forest pooled with the HAR baseline's probabilities
 * of the same row (both in `cal.classes` order), (1 − w) · calibrated + w · HAR with w the
 * row's HAR weight (default the map's `harWeight`; {@link harWeightAt} for the trust region).
 * Without HAR probabilities (or w = 0) the calibrated forest alone.
 */
export function poolWithHar(cal: Calibration, calibrated: readonly number[], har: readonly number[] | null, w: number = cal.harWeight): number[] {
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
 * Zidek 1986 on linear opinion pools). `outside` (per row, {@link outsideTrust} against the
 * rows the slice's forest was fitted on) fits w as it is served: row i pooled with
 * 1 − (1 − w)(1 − outside[i]); the loss stays convex in w (each row's probability is linear in w).
 */
export function fitHarWeight(
  calibrated: readonly (readonly number[])[],
  har: readonly (readonly number[])[],
  truth: readonly number[],
  outside?: readonly number[],
): number {
  if (calibrated.length === 0) return 0;
  const loss = (w: number) => {
    let l = 0;
    for (let i = 0; i < calibrated.length; i++) {
      const t = truth[i];
      const wi = outside ? 1 - (1 - w) * (1 - outside[i]) : w;
      l -= Math.log(Math.max(1e-15, (1 - wi) * calibrated[i][t] + wi * har[i][t]));
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

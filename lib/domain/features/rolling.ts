/**
 * Trailing-window statistics evaluated at every index of a series, for the feature builder.
 *
 * Convention for every function here: the value at index `t` uses only inputs at indices
 * `<= t` (so a feature row never sees the future), and is `NaN` where the window is not yet
 * complete. Inputs are plain per-period numbers (returns, log ranges, volumes); annualisation
 * is the caller's job. Windows are recomputed per index (O(n·w)): exact, no running-sum drift,
 * and cheap at daily history lengths.
 */

/**
 * `fn` applied to each trailing window `x[t-w+1..t]` (a zero-copy subarray) for t >= start+w-1;
 * NaN before. Used to evaluate the risk engine's whole-series metrics at every date.
 */
export function rollingApply(x: Float64Array, w: number, start: number, fn: (window: Float64Array) => number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = start + w - 1; t < x.length; t++) out[t] = fn(x.subarray(t - w + 1, t + 1));
  return out;
}

/** Sample standard deviation (ddof 1) of `x[t-w+1..t]`; NaN for t < w-1 + start. */
export function rollingStd(x: Float64Array, w: number, start = 0): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = start + w - 1; t < x.length; t++) {
    let mean = 0;
    for (let i = t - w + 1; i <= t; i++) mean += x[i];
    mean /= w;
    let ss = 0;
    for (let i = t - w + 1; i <= t; i++) ss += (x[i] - mean) ** 2;
    out[t] = Math.sqrt(ss / (w - 1));
  }
  return out;
}

/** Maximum of `x[t-w+1..t]`. */
export function rollingMax(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = w - 1; t < x.length; t++) {
    let m = -Infinity;
    for (let i = t - w + 1; i <= t; i++) if (x[i] > m) m = x[i];
    out[t] = m;
  }
  return out;
}

/** Mean of `x[t-w+1..t]`. */
export function rollingMean(x: Float64Array, w: number, start = 0): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = start + w - 1; t < x.length; t++) {
    let s = 0;
    for (let i = t - w + 1; i <= t; i++) s += x[i];
    out[t] = s / w;
  }
  return out;
}

/**
 * OLS slope of `y` on `x` (population cov/var) over the trailing window; NaN where either
 * input is NaN inside the window or `x` is flat.
 */
export function rollingBeta(y: Float64Array, x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(y.length).fill(NaN);
  for (let t = w - 1; t < y.length; t++) {
    let my = 0;
    let mx = 0;
    let bad = false;
    for (let i = t - w + 1; i <= t; i++) {
      if (Number.isNaN(y[i]) || Number.isNaN(x[i])) {
        bad = true;
        break;
      }
      my += y[i];
      mx += x[i];
    }
    if (bad) continue;
    my /= w;
    mx /= w;
    let cov = 0;
    let varx = 0;
    for (let i = t - w + 1; i <= t; i++) {
      cov += (y[i] - my) * (x[i] - mx);
      varx += (x[i] - mx) ** 2;
    }
    if (varx > 0) out[t] = cov / varx;
  }
  return out;
}

/**
 * Wilder ATR as TTR seeds it: TR_t = max(H_t, C_{t-1}) - min(L_t, C_{t-1}) from t = 1
 * (TR_0 undefined), ATR first defined at t = n as the mean of TR_1..TR_n, then
 * ATR_t = ATR_{t-1} + (TR_t - ATR_{t-1})/n.
 */
export function wilderAtr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  let atr = 0;
  for (let t = 1; t < close.length; t++) {
    const tr = Math.max(high[t], close[t - 1]) - Math.min(low[t], close[t - 1]);
    if (t < n) atr += tr;
    else if (t === n) {
      atr = (atr + tr) / n;
      out[t] = atr;
    } else {
      atr += (tr - atr) / n;
      out[t] = atr;
    }
  }
  return out;
}

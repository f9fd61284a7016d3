"""numpy/pandas/scipy reference for bench/risk-metrics.bench.ts (run by it; not a test).

    python3 bench/risk_metrics_reference.py PRICES.f64 ASSETS DAYS REPS

Reads the same generated prices (float64, row-major DAYS x ASSETS) from a temp file written by
the TypeScript bench and computes the same work per repetition: the full single-series metric
set of every asset (as computeSeriesMetrics: returns, CAGR, volatility, downside/semi deviation,
Sharpe/Sortino/Calmar/Omega/tail ratio, biased and bias-corrected skewness/kurtosis, maximum
drawdown with peak/trough/recovery and the 5 worst drawdowns, historical/Gaussian/Cornish-Fisher
VaR and ES, RiskMetrics EWMA volatility), then the ASSETS x ASSETS sample covariance and an
equal-weight portfolio's Gaussian and historical VaR/ES with component VaR.

Idiomatic vectorised numpy (whole matrix per call, axis=0), scipy.signal.lfilter for the EWMA
recursion, np.cov for the covariance; drawdown episodes per asset with vectorised numpy.
Prints one JSON line: median seconds and a few values to cross-check against TypeScript.
"""
import json
import math
import sys
import time

import numpy as np
import pandas as pd
from scipy import signal, stats

A = 252
CONF = 0.95
LAM = 0.94


def drawdown_details(w, top=5):
    """Episodes of a wealth/price path: (depth, peak, trough, recovery or -1), deepest first."""
    runmax = np.maximum.accumulate(w)
    under = w < runmax
    if not under.any():
        return [(0.0, 0, 0, 0)]
    d = np.diff(np.concatenate(([0], under.astype(np.int8), [0])))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)  # first index back at/above the peak (len(w) if never)
    dd = 1 - w / runmax
    out = []
    for s, e in zip(starts, ends):
        t = s + int(np.argmax(dd[s:e]))
        out.append((float(dd[t]), int(s - 1), t, int(e) if e < len(w) else -1))
    out.sort(key=lambda x: -x[0])
    return out[:top]


def series_metrics(P):
    """All single-series metrics of every column of the price matrix P (DAYS x ASSETS)."""
    R = P[1:] / P[:-1] - 1
    n = R.shape[0]
    mean = R.mean(axis=0)
    dev = R - mean
    m2 = (dev ** 2).mean(axis=0)
    m3 = (dev ** 3).mean(axis=0)
    m4 = (dev ** 4).mean(axis=0)
    sd = np.sqrt(m2 * n / (n - 1))
    growth = P[-1] / P[0]
    ann = growth ** (A / n) - 1
    neg = np.minimum(R, 0)
    dd = np.sqrt((neg ** 2).mean(axis=0))
    semi = np.sqrt((np.minimum(dev, 0) ** 2).mean(axis=0))
    skew = m3 / m2 ** 1.5
    kurt = m4 / m2 ** 2 - 3
    skew_u = pd.DataFrame(R).skew().to_numpy()
    kurt_u = pd.DataFrame(R).kurt().to_numpy()
    S = np.sort(R, axis=0)  # one sort feeds every quantile
    q05, q95, qa = np.quantile(S, [0.05, 0.95, 1 - CONF], axis=0, method="linear")
    hvar = -qa
    hes = -np.where(S <= qa, S, 0).sum(axis=0) / (S <= qa).sum(axis=0)
    alpha = 1 - CONF
    z = stats.norm.ppf(alpha)
    gvar = -mean - z * np.sqrt(m2)
    ges = -mean + stats.norm.pdf(z) / alpha * np.sqrt(m2)
    h = z + (z ** 2 - 1) * skew / 6 + (z ** 3 - 3 * z) * kurt / 24 - (2 * z ** 3 - 5 * z) * skew ** 2 / 36
    cfvar = -mean - h * np.sqrt(m2)
    mes = stats.norm.pdf(h) * (1 + h ** 3 * skew / 6 + (h ** 6 - 9 * h ** 4 + 9 * h ** 2 + 3) * skew ** 2 / 72 + (h ** 4 - 2 * h ** 2 - 1) * kurt / 24)
    cfes = -mean - np.sqrt(m2) * np.minimum(-mes / alpha, h)
    up = np.maximum(R, 0).sum(axis=0)
    down = -neg.sum(axis=0)
    tau = min(75, n)
    wts = LAM ** np.arange(tau)
    s0 = (wts[:, None] * R[:tau] ** 2).sum(axis=0) / wts.sum()
    ew, _ = signal.lfilter([1 - LAM], [1, -LAM], R ** 2, axis=0, zi=(LAM * s0)[None, :])
    details = [drawdown_details(P[:, j]) for j in range(P.shape[1])]
    mdd = np.array([d[0][0] for d in details])
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "cumulativeReturn": growth - 1, "annualizedReturn": ann, "annualizedVolatility": sd * math.sqrt(A),
            "downsideDeviation": dd * math.sqrt(A), "semideviation": semi * math.sqrt(A),
            "sharpeRatio": mean / sd * math.sqrt(A), "sortinoRatio": mean / dd * math.sqrt(A),
            "calmarRatio": ann / mdd, "omegaRatio": up / down, "tailRatio": np.abs(q95) / np.abs(q05),
            "skewness": skew, "excessKurtosis": kurt, "skewnessUnbiased": skew_u, "excessKurtosisUnbiased": kurt_u,
            "maxDrawdown": mdd, "drawdowns": details,
            "historicalVar": hvar, "historicalEs": hes, "gaussianVar": gvar, "gaussianEs": ges,
            "cornishFisherVar": cfvar, "cornishFisherEs": cfes, "ewmaVolatility": np.sqrt(A * ew[-1]),
        }


def portfolio(P, w):
    R = P[1:] / P[:-1] - 1
    C = np.cov(R, rowvar=False)
    mu = R.mean(axis=0)
    alpha = 1 - CONF
    z = -stats.norm.ppf(alpha)
    sp = math.sqrt(w @ C @ w)
    marginal = -mu + z * (C @ w) / sp
    gvar = -(w @ mu) + z * sp
    rp = R @ w
    T = len(rp)
    hpos = (T - 1) * alpha
    lo = int(math.floor(hpos))
    f = hpos - lo
    order = np.argsort(rp)
    q = rp[order[lo]] + f * (rp[order[lo + 1]] - rp[order[lo]])
    comp_h = -w * ((1 - f) * R[order[lo]] + f * R[order[lo + 1]])
    tail = rp <= q
    return {"cov": C, "gaussianVar": gvar, "componentVar": w * marginal, "historicalVar": -q,
            "historicalEs": -rp[tail].mean(), "componentHist": comp_h}


def main():
    path, assets, days, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    P = np.fromfile(path, dtype="<f8").reshape(days, assets)
    w = np.full(assets, 1 / assets)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        m = series_metrics(P)
        p = portfolio(P, w)
        times.append(time.perf_counter() - t0)
    print(json.dumps({
        "medianSeconds": float(np.median(times)), "reps": reps,
        "check": {k: float(m[k][0]) for k in ("annualizedVolatility", "sharpeRatio", "maxDrawdown", "historicalVar", "historicalEs",
                                              "cornishFisherEs", "ewmaVolatility", "excessKurtosisUnbiased", "calmarRatio")}
        | {"cov01": float(p["cov"][0, 1]), "portfolioGaussianVar": float(p["gaussianVar"]), "portfolioHistoricalVar": float(p["historicalVar"]),
           "componentSum": float(p["componentVar"].sum())},
    }))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A variant of the risk model measured and not adopted (docs/model.md, "What was tried"):
HAR plus a random-forest REGRESSION of HAR's residual in log volatility, with class
probabilities from a Gaussian predictive distribution, against HAR alone, on exactly the
walk-forward folds `riskfn train` uses (scripts/walk-forward-folds.ts writes them).

  npx tsx scripts/walk-forward-folds.ts dataset.csv folds.json
  /usr/bin/python3 scripts/har-residual-forest.py dataset.csv folds.json [seeds, default 42,7]

Per fold: HAR (OLS of ln forward vol on ln RV_d, RV_w, RV_m, each floored at 1 %/yr as in har.ts)
on the training rows; scikit-learn's RandomForestRegressor (100 trees, leaves of 21 rows, a third
of the features per split) on its residuals; class probabilities Phi((ln band - mu) / s) against
the 15 % / 25 % bands. Variants: the forest's correction shrunk by a factor and s both chosen by
log loss on the calibration slice (forest and HAR refit on the rows before it), or taken whole
with HAR's residual s. Decisions argmax p_k / prior_k under the training priors, as the model's.
Prints pooled balanced accuracy / log loss / Brier. Needs numpy, scipy, pandas, scikit-learn.
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.ensemble import RandomForestRegressor

csv, folds_json = sys.argv[1], sys.argv[2]
seeds = [int(s) for s in (sys.argv[3] if len(sys.argv) > 3 else '42,7').split(',')]
df = pd.read_csv(csv)
F = json.load(open(folds_json))
assert list(df.date.astype(str) + '|' + df.symbol.astype(str)) == F['rows'], 'the folds were written for another dataset'
X = df[F['featureNames']].to_numpy(float)
CLASSES = ['low', 'medium', 'high']
y = df.risk_level.map({c: i for i, c in enumerate(CLASSES)}).to_numpy()
D = np.column_stack([np.ones(len(df)), np.log(np.maximum(df[['rv_daily', 'rv_weekly', 'rv_monthly']].to_numpy(float), 0.01))])
t = np.log(df.forward_vol.to_numpy(float))
LOW, MEDIUM = np.log(0.15), np.log(0.25)


def probabilities(mu, s):
    a, b = norm.cdf((LOW - mu) / s), norm.cdf((MEDIUM - mu) / s)
    return np.column_stack([a, np.maximum(0, b - a), 1 - b])


def har(rows):
    b, *_ = np.linalg.lstsq(D[rows], t[rows], rcond=None)
    e = t[rows] - D[rows] @ b
    return b, np.sqrt(e @ e / (len(rows) - 4))


def log_loss(p, truth):
    return -np.mean(np.log(np.clip(p[np.arange(len(truth)), truth], 1e-15, 1)))


def scores(p, truth, decided):
    recall = [np.mean(decided[truth == k] == k) for k in range(3) if np.any(truth == k)]
    return np.mean(recall), log_loss(p, truth), np.mean(np.sum((p - np.eye(3)[truth]) ** 2, 1))


def forest(seed):
    return RandomForestRegressor(100, min_samples_leaf=21, max_features=1 / 3, random_state=seed, n_jobs=2)


for seed in seeds:
    pooled = {}
    for f in F['folds']:
        train, test, before, cal = (np.array(f[k]) for k in ('train', 'test', 'beforeSlice', 'slice'))
        prior = np.maximum([np.mean(y[train] == k) for k in range(3)], 1e-9)
        b, s = har(train)
        # Shrinkage and spread chosen on the calibration slice, with HAR and the forest fitted on the rows before it.
        bi, _ = har(before)
        inner = forest(seed).fit(X[before], t[before] - D[before] @ bi)
        mu_cal, r_cal = D[cal] @ bi, inner.predict(X[cal])
        best = None
        for lam in np.linspace(0, 1.5, 16):
            spread = np.sqrt(np.mean((t[cal] - mu_cal - lam * r_cal) ** 2))
            score = log_loss(probabilities(mu_cal + lam * r_cal, spread), y[cal])
            if best is None or score < best[0]:
                best = (score, lam, spread)
        _, lam, spread = best
        correction = forest(seed).fit(X[train], t[train] - D[train] @ b).predict(X[test])
        mu = D[test] @ b
        for name, p in (
            ('HAR', probabilities(mu, s)),
            ('HAR + forest residual, shrunk on the slice', probabilities(mu + lam * correction, spread)),
            ('HAR + forest residual, whole', probabilities(mu + correction, s)),
        ):
            pooled.setdefault(name, ([], [], []))
            pooled[name][0].append(p)
            pooled[name][1].append(y[test])
            pooled[name][2].append(np.argmax(p / prior, 1))
    for name, (p, truth, decided) in pooled.items():
        print(f'seed {seed}  {name:45s}', ' / '.join(f'{v:.4f}' for v in scores(np.vstack(p), np.concatenate(truth), np.concatenate(decided))))

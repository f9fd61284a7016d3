#!/usr/bin/env python3
"""scikit-learn side of bench/forest.bench.ts (not run by the tests).

Usage: forest_reference.py DATA_DIR REPS
DATA_DIR holds meta.json ({"rows", "train_rows", "features", "classes"}), X.f64 (row-major
float64, little endian) and y.u8 (class index per row), written by the TS bench. Trains
RandomForestClassifier(n_estimators=100, max_features="sqrt", n_jobs=1) REPS times on the
first train_rows rows, predicts the rest (3 times per run), and prints one JSON object on stdout with the
median train / predict seconds, test accuracy, pickled model size, peak RSS, and one
n_jobs=2 training time.
"""
import json
import os
import pickle
import resource
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier

data_dir, reps = sys.argv[1], int(sys.argv[2])
meta = json.load(open(os.path.join(data_dir, "meta.json")))
X = np.fromfile(os.path.join(data_dir, "X.f64"), dtype="<f8").reshape(meta["rows"], meta["features"])
y = np.fromfile(os.path.join(data_dir, "y.u8"), dtype=np.uint8)
n = meta["train_rows"]
X_train, y_train, X_test, y_test = X[:n], y[:n], X[n:], y[n:]

train_s, predict_s, acc = [], [], []
model = None
for rep in range(reps):
    model = RandomForestClassifier(n_estimators=100, max_features="sqrt", n_jobs=1, random_state=rep)
    t0 = time.perf_counter()
    model.fit(X_train, y_train)
    train_s.append(time.perf_counter() - t0)
    for _ in range(3):
        t0 = time.perf_counter()
        pred = model.predict(X_test)
        predict_s.append(time.perf_counter() - t0)
    acc.append(float(np.mean(pred == y_test)))

two = RandomForestClassifier(n_estimators=100, max_features="sqrt", n_jobs=2, random_state=0)
t0 = time.perf_counter()
two.fit(X_train, y_train)
train_2 = time.perf_counter() - t0

print(json.dumps({
    "library": f"scikit-learn {sklearn.__version__}",
    "train_s": statistics.median(train_s),
    "train_all_s": train_s,
    "train_2threads_s": train_2,
    "predict_s": statistics.median(predict_s),
    "accuracy": statistics.median(acc),
    "model_bytes": len(pickle.dumps(model)),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))

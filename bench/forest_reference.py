#!/usr/bin/env python3
"""scikit-learn side of bench/forest.bench.ts (not run by the tests).

Usage: forest_reference.py DATA_DIR SEED
DATA_DIR holds meta.json ({"rows", "train_rows", "features", "classes"}), X.f64 (row-major
float64, little endian) and y.u8 (class index per row), written by the TS bench. Trains
RandomForestClassifier(n_estimators=100, max_features="sqrt", random_state=SEED) with n_jobs=1,
then n_jobs=2, on the first train_rows rows, predicts the rest (3 times, median), and prints one
JSON object on stdout: per n_jobs the train seconds (wall and process CPU, all threads), predict
seconds, test accuracy and pickled model size, and the process's peak RSS.
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

data_dir, seed = sys.argv[1], int(sys.argv[2])
meta = json.load(open(os.path.join(data_dir, "meta.json")))
X = np.fromfile(os.path.join(data_dir, "X.f64"), dtype="<f8").reshape(meta["rows"], meta["features"])
y = np.fromfile(os.path.join(data_dir, "y.u8"), dtype=np.uint8)
n = meta["train_rows"]
X_train, y_train, X_test, y_test = X[:n], y[:n], X[n:], y[n:]

runs = {}
for n_jobs in (1, 2):
    model = RandomForestClassifier(n_estimators=100, max_features="sqrt", n_jobs=n_jobs, random_state=seed)
    t0 = time.perf_counter()
    c0 = time.process_time()
    model.fit(X_train, y_train)
    train_s = time.perf_counter() - t0
    train_cpu_s = time.process_time() - c0
    predict_s = []
    for _ in range(3):
        t0 = time.perf_counter()
        pred = model.predict(X_test)
        predict_s.append(time.perf_counter() - t0)
    runs[f"n_jobs={n_jobs}"] = {
        "train_s": train_s,
        "train_cpu_s": train_cpu_s,
        "predict_s": statistics.median(predict_s),
        "accuracy": float(np.mean(pred == y_test)),
        "model_bytes": len(pickle.dumps(model)),
    }

print(json.dumps({
    "library": f"scikit-learn {sklearn.__version__}",
    "runs": runs,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))

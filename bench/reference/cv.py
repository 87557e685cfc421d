#!/usr/bin/python3
"""Times scikit-learn's TimeSeriesSplit for bench/cv.ts: materialises every fold's indices, as our split does.

Usage: /usr/bin/python3 bench/reference/cv.py N SPLITS RUNS   → prints {"ms": median, "folds": k, "testTotal": t}
"""
import json
import sys
import time

import numpy as np
from sklearn.model_selection import TimeSeriesSplit

n, splits, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
X = np.zeros((n, 1))
times, folds = [], []
for _ in range(runs):
    start = time.perf_counter()
    folds = list(TimeSeriesSplit(n_splits=splits).split(X))
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"ms": float(np.median(times)), "folds": len(folds), "testTotal": int(sum(len(t) for _, t in folds))}))

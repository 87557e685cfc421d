#!/usr/bin/python3
"""Times the reference implementations for bench/stats.ts on the very same data (float64 files written by it).

Usage: /usr/bin/python3 bench/reference/stats.py DIR RUNS
Prints one JSON object: {"ks2Sample": {"ms": median, "statistic": s, "pValue": p}, ...}.
"""
import json
import sys

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score
from timing import timed

directory, runs = sys.argv[1], int(sys.argv[2])
a = np.fromfile(f"{directory}/a.f64")
b = np.fromfile(f"{directory}/b.f64")
labels = np.fromfile(f"{directory}/labels.f64")
scores = np.fromfile(f"{directory}/scores.f64")


out = {}
ms, r = timed(lambda: stats.ks_2samp(a, b), runs, warmup=False)
out["ks2Sample"] = {"ms": ms, "value": float(r.statistic), "pValue": float(r.pvalue)}
ms, v = timed(lambda: roc_auc_score(labels, scores), runs, warmup=False)
out["rocAuc"] = {"ms": ms, "value": float(v)}
ms, v = timed(lambda: stats.wasserstein_distance(a, b), runs, warmup=False)
out["wasserstein"] = {"ms": ms, "value": float(v)}
print(json.dumps(out))

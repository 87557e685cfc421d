#!/usr/bin/python3
"""scipy reference for bench/drift.ts: the per-column tests DriftDetector runs, in a plain loop over the columns,
on the very same data (raw little-endian float64 files written by bench/drift.ts, column after column).

- default: the normalised Wasserstein distance, wasserstein_distance(ref, cur) / max(std(ref), 0.001), which
  Evidently's preset (and DriftDetector's default) uses for numeric columns of more than 1,000 reference rows;
- ks: ks_2samp(ref, cur) (method 'auto': asymptotic at these sizes).

Usage: /usr/bin/python3 bench/reference/drift.py DIR RUNS ROWS COLUMNS
Prints one JSON object: {"default": {"ms", "statistics"}, "ks": {"ms", "pValues"}}.
"""
import json
import sys

import numpy as np
from scipy import stats
from timing import timed

directory, runs, rows, columns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
reference = np.fromfile(f"{directory}/reference.f64", dtype="<f8").reshape(columns, rows)
current = np.fromfile(f"{directory}/current.f64", dtype="<f8").reshape(columns, rows)


def wasserstein_loop():
    return [
        float(stats.wasserstein_distance(reference[c], current[c]) / max(np.std(reference[c]), 0.001))
        for c in range(columns)
    ]


def ks_loop():
    return [float(stats.ks_2samp(reference[c], current[c]).pvalue) for c in range(columns)]


default_ms, statistics = timed(wasserstein_loop, runs)
ks_ms, p_values = timed(ks_loop, runs)
print(json.dumps({"default": {"ms": default_ms, "statistics": statistics}, "ks": {"ms": ks_ms, "pValues": p_values}}))

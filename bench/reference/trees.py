#!/usr/bin/python3
"""scikit-learn's RandomForestRegressor and XGBoost's histogram boosting for bench/trees.ts, on the very same data
(raw little-endian float64 files written by the TypeScript bench; 20 feature columns, row-major).

Usage: /usr/bin/python3 bench/reference/trees.py DIR RUNS THREADS [forest|boost]
  DIR holds forest_X.f64, forest_y.f64, forest_Xt.f64, forest_yt.f64 (RandomForestRegressor, 100 trees, every
  feature at each split) and boost_X.f64, boost_y.f64, boost_Xt.f64, boost_yt.f64 (XGBRegressor, tree_method "hist",
  200 rounds, depth 6, 256 bins, learning rate 0.3). THREADS is n_jobs / nthread (1 = single-threaded).
  A fit takes seconds, so fits are timed without a warm-up (median of RUNS); the boosting fit includes building the
  quantile DMatrix, as XGBRegressor.fit does. Forest prediction is timed after one warm-up, median of max(RUNS, 5).
Prints one JSON object: {"forest": {"fitMs", "predictMs", "r2"}, "boost": {"fitMs", "rmse"}, "versions": {...}};
with a 4th argument, only that part.
"""
import json
import sys

import numpy as np
import sklearn
import xgboost
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error, r2_score
from timing import timed

COLUMNS = 20
directory, runs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
parts = [sys.argv[4]] if len(sys.argv) > 4 else ["forest", "boost"]


def load(prefix):
    X = np.fromfile(f"{directory}/{prefix}_X.f64", dtype="<f8").reshape(-1, COLUMNS)
    y = np.fromfile(f"{directory}/{prefix}_y.f64", dtype="<f8")
    Xt = np.fromfile(f"{directory}/{prefix}_Xt.f64", dtype="<f8").reshape(-1, COLUMNS)
    yt = np.fromfile(f"{directory}/{prefix}_yt.f64", dtype="<f8")
    if len(X) != len(y) or len(Xt) != len(yt):
        raise SystemExit(f"{prefix}: {len(X)} rows of X for {len(y)} targets, {len(Xt)} test rows for {len(yt)}")
    return X, y, Xt, yt


def forest():
    X, y, Xt, yt = load("forest")

    def fit():
        return RandomForestRegressor(n_estimators=100, max_features=1.0, n_jobs=threads, random_state=0).fit(X, y)

    fit_ms, model = timed(fit, runs, warmup=False)
    predict_ms, prediction = timed(lambda: model.predict(Xt), max(runs, 5))
    return {"fitMs": fit_ms, "predictMs": predict_ms, "r2": float(r2_score(yt, prediction))}


def boost():
    X, y, Xt, yt = load("boost")

    def fit():
        return xgboost.XGBRegressor(tree_method="hist", n_estimators=200, max_depth=6, max_bin=256, learning_rate=0.3,
                                    nthread=threads, random_state=0).fit(X, y)

    fit_ms, model = timed(fit, runs, warmup=False)
    return {"fitMs": fit_ms, "rmse": float(np.sqrt(mean_squared_error(yt, model.predict(Xt))))}


result = {part: {"forest": forest, "boost": boost}[part]() for part in parts}
result["versions"] = {"numpy": np.__version__, "sklearn": sklearn.__version__, "xgboost": xgboost.__version__}
print(json.dumps(result))

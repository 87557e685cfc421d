#!/usr/bin/python3
"""NumPy reference for bench/backtest.ts: the vectorised 'close'-execution backtest of docs/backtest.md, on the very
same bars and positions (raw little-endian float64 files written by bench/backtest.ts).

    p[-1] = 0;  s[t+1] = p[t]·(close[t+1]/close[t] − 1) − |p[t] − p[t−1]|·k;  E = E0·cumprod(1 + s)

with k = fees.rate + slippageBps/1e4 + spreadBps/2e4, then drawdown and the headline statistics with empyrical's
conventions (sharpe and volatility with ddof = 1, sortino's downside deviation over every period).

Usage: /usr/bin/python3 bench/reference/backtest.py DIR RUNS K PERIODS_PER_YEAR SWEEP_BARS FAST SLOW
  DIR holds close.f64 and positions.f64; FAST and SLOW are comma-separated window lengths, the grid being every
  (fast, slow) pair with fast < slow. The sweep runs on the first SWEEP_BARS closes with long/flat positions
  (1 while the fast moving average is above the slow one, 0 otherwise and before the slow average exists).
Prints one JSON object: {"run": {"ms", "stats": {...}}, "sweep": {"ms", "pairs", "perSecond", "sharpe": [...]}}.
"""
import json
import math
import sys

import numpy as np
from timing import timed

directory, runs, k, ppy = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
sweep_bars = int(sys.argv[5])
fast_windows = [int(w) for w in sys.argv[6].split(",")]
slow_windows = [int(w) for w in sys.argv[7].split(",")]
close = np.fromfile(f"{directory}/close.f64", dtype="<f8")
positions = np.fromfile(f"{directory}/positions.f64", dtype="<f8")
INITIAL_CAPITAL = 10_000.0


def backtest(close, p):
    """Equity, drawdown and headline statistics of holding p[t] from bar t's close to bar t + 1's close."""
    r = close[1:] / close[:-1] - 1
    previous = np.concatenate(([0.0], p[:-2]))  # p[t − 1] for t = 0..n − 2, with p[−1] = 0
    s = p[:-1] * r - np.abs(p[:-1] - previous) * k
    equity = INITIAL_CAPITAL * np.cumprod(np.concatenate(([1.0], 1 + s)))
    drawdown = equity / np.maximum.accumulate(equity) - 1
    growth = equity[-1] / INITIAL_CAPITAL
    mean, std = s.mean(), s.std(ddof=1)
    downside = np.sqrt(np.mean(np.minimum(s, 0) ** 2))
    stats = {
        "totalReturn": growth - 1,
        "cagr": growth ** (ppy / len(s)) - 1,
        "annualVolatility": std * math.sqrt(ppy),
        "sharpe": mean / std * math.sqrt(ppy),
        "sortino": mean / downside * math.sqrt(ppy),
        "maxDrawdown": drawdown.min(),
    }
    return equity, drawdown, stats


def sweep(close):
    """Every (fast, slow) pair: long/flat moving-average crossover positions, then the same backtest; Sharpe each."""
    n = len(close)
    cumsum = np.concatenate(([0.0], np.cumsum(close)))
    cache = {}

    def rolling_mean(w):
        if w not in cache:
            m = np.full(n, np.nan)
            m[w - 1 :] = (cumsum[w:] - cumsum[:-w]) / w
            cache[w] = m
        return cache[w]

    sharpe = []
    for fast in fast_windows:
        for slow in slow_windows:
            if fast >= slow:
                continue
            p = (rolling_mean(fast) > rolling_mean(slow)).astype(np.float64)  # NaN compares False: flat
            sharpe.append(backtest(close, p)[2]["sharpe"])
    return sharpe


def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


run_ms, (_, _, run_stats) = timed(lambda: backtest(close, positions), runs)
sweep_close = close[:sweep_bars].copy()
sweep_ms, sharpe = timed(lambda: sweep(sweep_close), runs)
print(
    json.dumps(
        {
            "run": {"ms": run_ms, "stats": {name: finite_or_none(v) for name, v in run_stats.items()}},
            "sweep": {
                "ms": sweep_ms,
                "pairs": len(sharpe),
                "perSecond": len(sharpe) / (sweep_ms / 1000),
                "sharpe": [finite_or_none(v) for v in sharpe],
            },
        }
    )
)

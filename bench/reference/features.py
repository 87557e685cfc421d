#!/usr/bin/python3
"""pandas reference for the features section of bench/models.ts: every indicator of docs/features.md in its textbook
pandas form (rolling windows, ewm with adjust=False, alpha = 1/n for Wilder), assembled into one DataFrame with the
leading warm-up rows and the last (target-less) row dropped and a next-bar direction target, on the very same bars
(raw little-endian float64 files written by bench/models.ts). The zero-denominator conventions of docs/features.md
are applied too, so that both sides compute the same thing.

Usage: /usr/bin/python3 bench/reference/features.py DIR RUNS
  DIR holds timestamp.f64, open.f64, high.f64, low.f64, close.f64, volume.f64.
Prints one JSON object: {"ms", "rows", "warmUp", "names", "sample": {"rows": [...], "columns": {name: [...]}}}.
"""
import json
import math
import sys

import numpy as np
import pandas as pd
from timing import timed

directory, runs = sys.argv[1], int(sys.argv[2])
bars = {k: np.fromfile(f"{directory}/{k}.f64", dtype="<f8") for k in ("timestamp", "open", "high", "low", "close", "volume")}


def wilder(s, n):
    return s.ewm(alpha=1 / n, adjust=False, min_periods=n).mean()


def ema(s, n):
    return s.ewm(span=n, adjust=False, min_periods=n).mean()


def features():
    c, h, l, v = (pd.Series(bars[k]) for k in ("close", "high", "low", "volume"))
    ts = pd.to_datetime(pd.Series(bars["timestamp"]).astype(np.int64), unit="ms", utc=True)
    f = {}
    f["ret"] = c.pct_change()
    f["logRet"] = np.log(c / c.shift())
    f["lag1"] = c.shift(1)
    f["mom10"] = c.diff(10)
    m20, s20 = c.rolling(20).mean(), c.rolling(20).std()
    f["mean20"], f["std20"] = m20, s20
    f["min20"], f["max20"] = c.rolling(20).min(), c.rolling(20).max()
    f["z20"] = ((c - m20) / s20).mask(s20 == 0, 0.0)
    f["sma50"] = c.rolling(50).mean()
    f["ema20"] = ema(c, 20)
    d = c.diff()
    gain, loss = wilder(d.clip(lower=0), 14), wilder((-d).clip(lower=0), 14)
    f["rsi14"] = (100 - 100 / (1 + gain / loss)).mask((gain == 0) & (loss == 0), 50.0)
    line = ema(c, 12) - ema(c, 26)
    signal = ema(line, 9)
    f["macd.line"], f["macd.signal"], f["macd.histogram"] = line, signal, line - signal
    f["bb.middle"], f["bb.upper"], f["bb.lower"] = m20, m20 + 2 * s20, m20 - 2 * s20
    prev = c.shift()
    tr = pd.concat([h - l, (h - prev).abs(), (l - prev).abs()], axis=1).max(axis=1)
    atr = wilder(tr, 14)
    f["atr14"] = atr
    up, down = h.diff(), -l.diff()
    plus = pd.Series(np.where((up > down) & (up > 0), up, 0.0))
    minus = pd.Series(np.where((down > up) & (down > 0), down, 0.0))
    plus.iloc[0] = minus.iloc[0] = np.nan
    plus, minus = wilder(plus, 14), wilder(minus, 14)
    pdi = (100 * plus / atr).mask((atr == 0) & plus.notna(), 0.0)
    mdi = (100 * minus / atr).mask((atr == 0) & minus.notna(), 0.0)
    dx = (100 * (pdi - mdi).abs() / (pdi + mdi)).mask(pdi + mdi == 0, 0.0)
    f["adx.plusDI"], f["adx.minusDI"], f["adx.adx"] = pdi, mdi, wilder(dx, 14)
    hh, ll = h.rolling(14).max(), l.rolling(14).min()
    k = (100 * (c - ll) / (hh - ll)).mask(hh == ll, 50.0)
    f["stoch.k"], f["stoch.d"] = k, k.rolling(3).mean()
    f["williamsR"] = (-100 * (hh - c) / (hh - ll)).mask(hh == ll, -50.0)
    f["obv"] = (np.sign(d) * v).fillna(0).cumsum()
    tp = (h + l + c) / 3
    money, shares = (tp * v).cumsum(), v.cumsum()
    f["vwap"] = (money / shares).mask(shares == 0, tp)
    money, shares = (tp * v).rolling(20).sum(), v.rolling(20).sum()
    f["vwap20"] = (money / shares).mask(shares == 0, tp)
    f["rv20"] = f["logRet"].rolling(20).std() * math.sqrt(252)
    f["dow"] = ts.dt.dayofweek.astype(np.float64)
    f["month"] = ts.dt.month.astype(np.float64)
    f["quarter"] = ts.dt.quarter.astype(np.float64)
    frame = pd.DataFrame(f)
    warm_up = int(frame.notna().all(axis=1).to_numpy().argmax())
    y = (c.shift(-1) > c).astype(np.float64)
    frame, y = frame.iloc[warm_up:-1], y.iloc[warm_up:-1]
    return frame, y, warm_up


ms, (frame, y, warm_up) = timed(features, runs)
picks = np.arange(0, len(frame), max(1, len(frame) // 1000))
print(json.dumps({
    "ms": ms,
    "rows": len(frame),
    "warmUp": warm_up,
    "names": list(frame.columns),
    "sample": {"rows": picks.tolist(), "y": y.to_numpy()[picks].tolist(),
               "columns": {name: frame[name].to_numpy()[picks].tolist() for name in frame.columns}},
}))

"""Timing shared by the reference scripts: the median in milliseconds of repeated calls, and the last value."""
import time

import numpy as np


def timed(fn, runs, warmup=True):
    if warmup:
        fn()  # as the TypeScript side does
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), value

#!/usr/bin/python3
"""Optuna's samplers for bench/tuning.ts: the quality of TPESampler and RandomSampler on the benchmark's test functions,
and TPESampler's cost per trial as trials accumulate.

Usage:
  /usr/bin/python3 bench/reference/tuning.py quality SEEDS TRIALS [POINTS]
    For each test function, each seed 0..SEEDS-1 and each of TPESampler(seed=seed) and RandomSampler(seed=seed)
    (Optuna's defaults otherwise), minimises the function over its box for TRIALS trials, one suggest_float per
    coordinate (x0, x1, ...), and keeps the study's best value. POINTS, a JSON file {name: [[x...], ...]} written by
    the TypeScript side, lists points at which to evaluate this script's formulas, so that it can check that both sides
    compute the same functions over the same boxes.
    Prints {"functions": {name: {"bounds", "tpe": [best per seed], "random": [...], "values": [f(point)...]}},
            "versions": {...}}.
  /usr/bin/python3 bench/reference/tuning.py overhead TRIALS
    TPESampler(seed=0) on the 7-parameter mixed space of the TypeScript side (x0..x4 uniform on [-5, 5], n log-int on
    [1, 1000], k categorical of 4) with its trivial objective, TRIALS trials through ask and tell; the wall time of
    each trial (ask, the suggestions, the objective and tell) in milliseconds, and the process's CPU time over the same
    span (which other processes competing for the cores inflate less).
    Prints {"msPerTrial": [...], "cpuMsPerTrial": [...], "best": best value, "versions": {...}}.

The formulas and boxes repeat bench/lib/test-functions.ts (Virtual Library of Simulation Experiments, Surjanovic and
Bingham) term by term, in the same order of operations, so that both sides agree to rounding.
"""
import json
import math
import sys
import time

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi * math.pi)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
HARTMANN3_P = [[0.3689, 0.117, 0.2673], [0.4699, 0.4387, 0.747], [0.1091, 0.8732, 0.5547],
               [0.0381, 0.5743, 0.8828]]
HARTMANN6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8],
               [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN6_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
               [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann(a, p):
    def f(x):
        total = 0.0
        for i in range(4):
            inner = 0.0
            for j in range(len(a[i])):
                inner += a[i][j] * (x[j] - p[i][j]) ** 2
            total += HARTMANN_ALPHA[i] * math.exp(-inner)
        return -total
    return f


def rosenbrock(x):
    total = 0.0
    for i in range(len(x) - 1):
        total += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (x[i] - 1) ** 2
    return total


def ackley(x):
    squares = 0.0
    cosines = 0.0
    for xi in x:
        squares += xi * xi
        cosines += math.cos(2 * math.pi * xi)
    return -20 * math.exp(-0.2 * math.sqrt(squares / len(x))) - math.exp(cosines / len(x)) + 20 + math.e


def styblinski_tang(x):
    total = 0.0
    for xi in x:
        total += xi ** 4 - 16 * xi * xi + 5 * xi
    return total / 2


def levy(x):
    d = len(x)
    w = [1 + (xi - 1) / 4 for xi in x]
    total = math.sin(math.pi * w[0]) ** 2
    for i in range(d - 1):
        total += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    return total + (w[d - 1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[d - 1]) ** 2)


FUNCTIONS = {
    "Branin": (branin, [[-5, 10], [0, 15]]),
    "Hartmann3": (hartmann(HARTMANN3_A, HARTMANN3_P), [[0, 1]] * 3),
    "Hartmann6": (hartmann(HARTMANN6_A, HARTMANN6_P), [[0, 1]] * 6),
    "Rosenbrock-4D": (rosenbrock, [[-5, 10]] * 4),
    "Ackley-5D": (ackley, [[-32.768, 32.768]] * 5),
    "Styblinski-Tang-5D": (styblinski_tang, [[-5, 5]] * 5),
    "Levy-5D": (levy, [[-10, 10]] * 5),
}


def best_value(fn, bounds, sampler, trials):
    def objective(trial):
        return fn([trial.suggest_float(f"x{i}", low, high) for i, (low, high) in enumerate(bounds)])

    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(objective, n_trials=trials)
    return float(study.best_value)


def quality(seeds, trials, points):
    out = {}
    for name, (fn, bounds) in FUNCTIONS.items():
        out[name] = {
            "bounds": bounds,
            "tpe": [best_value(fn, bounds, optuna.samplers.TPESampler(seed=s), trials) for s in range(seeds)],
            "random": [best_value(fn, bounds, optuna.samplers.RandomSampler(seed=s), trials) for s in range(seeds)],
            "values": [fn(point) for point in points.get(name, [])],
        }
    return {"functions": out}


CHOICES = ["a", "b", "c", "d"]


def overhead(trials):
    """Per-trial wall and CPU time of TPESampler on the mixed space, with the TypeScript side's trivial objective."""
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=0))
    times, cpu = [], []
    for _ in range(trials):
        start, start_cpu = time.perf_counter(), time.process_time()
        trial = study.ask()
        squares = sum(trial.suggest_float(f"x{i}", -5, 5) ** 2 for i in range(5))
        n = trial.suggest_int("n", 1, 1000, log=True)
        k = trial.suggest_categorical("k", CHOICES)
        study.tell(trial, squares + (math.log10(n) - 1) ** 2 + CHOICES.index(k))
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {"msPerTrial": times, "cpuMsPerTrial": cpu, "best": float(study.best_value)}


mode = sys.argv[1]
if mode == "quality":
    points = {}
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as file:
            points = json.load(file)
    result = quality(int(sys.argv[2]), int(sys.argv[3]), points)
elif mode == "overhead":
    result = overhead(int(sys.argv[2]))
else:
    raise SystemExit(f"unknown mode {mode!r}: expected quality or overhead")
result["versions"] = {"optuna": optuna.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}
print(json.dumps(result))

"""River's learners on the same Elec2 stream and protocol as bench/src/learners.ts.

Predict then learn on every record (test-then-train), one warm-up pass, best of N timed passes.
Data loading, standard scaling and the dict conversion River needs are done before timing, as
in the TypeScript bench, so the figures are the learners' own.

Run (see bench/python/README.md for the venv):
    .venv-river/bin/python bench/python/river_learners.py [--rounds N]
"""

from __future__ import annotations

import argparse
import gzip
import math
import platform
import time
from collections.abc import Callable
from pathlib import Path

import river
from river import anomaly, bandit, cluster, linear_model, multiclass, naive_bayes, optim, proba, tree

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=3)
rounds = parser.parse_args().rounds

# --- data: the file bench/src/learners.ts reads; the 8 numeric columns, class UP = True ------
DATA = Path(__file__).resolve().parents[2] / "packages/learn/test-data/elec2_electricity.csv.gz"
with gzip.open(DATA, "rt", encoding="utf-8") as f:
    lines = f.read().strip().split("\n")
names = lines[0].split(",")[:8]
rows = lines[1:]
raw = [[float(v) for v in line.split(",")[:8]] for line in rows]
label = [line.endswith("UP") for line in rows]
n = len(raw)
D = 8


def online_scale(data: list[list[float]]) -> list[list[float]]:
    """Standard scaling with the statistics of earlier records only (population variance),
    the same arithmetic in the same order as learners.ts, so the inputs are bit-identical."""
    mean = [0.0] * D
    m2 = [0.0] * D
    out = []
    for i, x in enumerate(data):
        row = [0.0] * D
        for f in range(D):
            sd = math.sqrt(m2[f] / i) if i > 0 else 0.0
            row[f] = (x[f] - mean[f]) / sd if sd > 0 else 0.0
            delta = x[f] - mean[f]
            mean[f] = mean[f] + delta / (i + 1)
            m2[f] = m2[f] + delta * (x[f] - mean[f])
        out.append(row)
    return out


scaled = online_scale(raw)


def as_dicts(data: list[list[float]], keys: list[str]) -> list[dict[str, float]]:
    return [dict(zip(keys, x)) for x in data]


raw_d = as_dicts(raw, names)
scaled_d = as_dicts(scaled, names)
# FTRL and RLS treat the intercept as an always-1 coordinate in Tributary; give River the same.
scaled_bias_d = [{**x, "bias": 1.0} for x in scaled_d]
# Regression: nswdemand (column 4) from the other scaled features.
reg_names = names[:4] + names[5:]
reg_x = as_dicts([x[:4] + x[5:] for x in scaled], reg_names)
reg_x_bias = [{**x, "bias": 1.0} for x in reg_x]
reg_y = [x[4] for x in raw]

# --- protocols (the loops of learners.ts) -----------------------------------------------------


def binary(make: Callable, xs: list[dict], ys: list = label) -> Callable[[], float]:
    def run() -> float:
        m = make()
        ok = 0
        for x, y in zip(xs, ys):
            if m.predict_one(x) == y:
                ok += 1
            m.learn_one(x, y)
        return ok / n

    return run


# Learners that take class labels (0/1) rather than booleans.
class_label = [1 if y else 0 for y in label]


def multi(make: Callable, xs: list[dict]) -> Callable[[], float]:
    return binary(make, xs, class_label)


def regression(make: Callable, xs: list[dict]) -> Callable[[], float]:
    def run() -> float:
        m = make()
        err = 0.0
        for x, y in zip(xs, reg_y):
            err += abs(m.predict_one(x) - y)
            m.learn_one(x, y)
        return err / n

    return run


def anomaly_scores(make: Callable) -> Callable[[], float]:
    def run() -> float:
        m = make()
        s = 0.0
        for x in raw_d:
            s += m.score_one(x)
            m.learn_one(x)
        return s / n

    return run


# River's KMeans draws each centre coordinate lazily while iterating a set of feature names;
# string hashing is randomised per process, so with string keys the centres (and the quality)
# change from run to run. Integer keys make the run reproducible.
raw_int_d = [dict(enumerate(x)) for x in raw]


def clusters(make: Callable) -> Callable[[], float]:
    def run() -> float:
        m = make()
        s = 0.0
        for x in raw_int_d:
            s += m.predict_one(x)
            m.learn_one(x)
        return s / n

    return run


ARMS = [0, 1]  # arm 1 = "price goes UP", arm 0 = "DOWN"; reward 1 when right


def bandit_run(make: Callable) -> Callable[[], float]:
    def run() -> float:
        b = make()
        r = 0
        for y in label:
            arm = b.pull(ARMS)
            reward = 1 if (arm == 1) == y else 0
            r += reward
            b.update(arm, reward)
        return r / n

    return run


def contextual_run(make: Callable) -> Callable[[], float]:
    def run() -> float:
        b = make()
        r = 0
        for x, y in zip(scaled_d, label):
            arm = b.pull(ARMS, context=x)
            reward = 1 if (arm == 1) == y else 0
            r += reward
            b.update(arm, x, reward)
        return r / n

    return run


# --- contenders: (Tributary row name, River model, input, quality, pass) ---------------------
contenders = [
    (
        "logisticRegression (SGD)",
        "LogisticRegression()",
        "scaled",
        "accuracy",
        binary(lambda: linear_model.LogisticRegression(), scaled_d),
    ),
    (
        "logisticRegression (AdaGrad, L2)",
        "LogisticRegression(AdaGrad(), l2=1e-4)",
        "scaled",
        "accuracy",
        binary(
            lambda: linear_model.LogisticRegression(optimizer=optim.AdaGrad(), l2=1e-4), scaled_d
        ),
    ),
    (
        "logisticRegression (Adam, L1)",
        "LogisticRegression(Adam(0.01), l1=1e-4)",
        "scaled",
        "accuracy",
        binary(
            lambda: linear_model.LogisticRegression(optimizer=optim.Adam(0.01), l1=1e-4), scaled_d
        ),
    ),
    (
        "ftrlProximal",
        "LogisticRegression(FTRLProximal(), intercept_lr=0) + bias feature",
        "scaled",
        "accuracy",
        binary(
            lambda: linear_model.LogisticRegression(
                optimizer=optim.FTRLProximal(), intercept_lr=0.0
            ),
            scaled_bias_d,
        ),
    ),
    (
        "perceptron",
        "Perceptron()",
        "scaled",
        "accuracy",
        binary(lambda: linear_model.Perceptron(), scaled_d),
    ),
    (
        "passiveAggressiveClassifier",
        "PAClassifier()",
        "scaled",
        "accuracy",
        binary(lambda: linear_model.PAClassifier(), scaled_d),
    ),
    (
        "gaussianNaiveBayes",
        "GaussianNB()",
        "raw",
        "accuracy",
        multi(lambda: naive_bayes.GaussianNB(), raw_d),
    ),
    (
        "hoeffdingTree",
        "HoeffdingTreeClassifier()",
        "raw",
        "accuracy",
        multi(lambda: tree.HoeffdingTreeClassifier(), raw_d),
    ),
    (
        "oneVsRest(logisticRegression)",
        "OneVsRestClassifier(LogisticRegression())",
        "scaled",
        "accuracy",
        multi(lambda: multiclass.OneVsRestClassifier(linear_model.LogisticRegression()), scaled_d),
    ),
    (
        # Tributary's linearRegression uses River's squared loss (gradient 2(p - y)), so the
        # defaults are the same update.
        "linearRegression (AdaGrad)",
        "LinearRegression(AdaGrad(0.01))",
        "scaled",
        "MAE nswdemand",
        regression(lambda: linear_model.LinearRegression(optimizer=optim.AdaGrad(0.01)), reg_x),
    ),
    (
        # Bayesian linear regression with unit prior and noise precision has the posterior mean
        # of ridge regression with penalty 1, i.e. RLS with delta = 1 and no forgetting.
        "recursiveLeastSquares",
        "BayesianLinearRegression(alpha=1, beta=1) + bias feature",
        "scaled",
        "MAE nswdemand",
        regression(lambda: linear_model.BayesianLinearRegression(alpha=1, beta=1), reg_x_bias),
    ),
    (
        "passiveAggressiveRegressor",
        "PARegressor(C=0.01, eps=0.01)",
        "scaled",
        "MAE nswdemand",
        regression(lambda: linear_model.PARegressor(C=0.01, eps=0.01), reg_x),
    ),
    (
        "halfSpaceTrees",
        "HalfSpaceTrees(seed=42)",
        "raw [0,1]",
        "mean score",
        anomaly_scores(lambda: anomaly.HalfSpaceTrees(seed=42)),
    ),
    (
        "kMeans (k=5)",
        "KMeans(n_clusters=5, seed=42)",
        "raw",
        "mean cluster id",
        clusters(lambda: cluster.KMeans(n_clusters=5, seed=42)),
    ),
    (
        # Tributary plays each arm once before exploiting: burn_in=1.
        "epsilonGreedy",
        "EpsilonGreedy(0.1, burn_in=1, seed=42)",
        "—",
        "mean reward",
        bandit_run(lambda: bandit.EpsilonGreedy(epsilon=0.1, burn_in=1, seed=42)),
    ),
    (
        "ucb1",
        "UCB(delta=1, seed=42)",
        "—",
        "mean reward",
        bandit_run(lambda: bandit.UCB(delta=1, seed=42)),
    ),
    (
        "thompsonSampling (Beta)",
        "ThompsonSampling(Beta(), seed=42)",
        "—",
        "mean reward",
        bandit_run(lambda: bandit.ThompsonSampling(reward_obj=proba.Beta(), seed=42)),
    ),
    (
        # Not the same bound: River adds the noise variance inside the square root and has no
        # width factor (mu + sqrt(1/beta + x'A^-1x)); Tributary's row uses 0.1*sqrt(x'A^-1x).
        "linUcb",
        "LinUCBDisjoint(alpha=1, beta=1, seed=42)",
        "scaled",
        "mean reward",
        contextual_run(lambda: bandit.LinUCBDisjoint(alpha=1, beta=1, seed=42)),
    ),
]

print(
    f"# River {river.__version__} on Elec2 ({n:,} records, {D} features): predict + learn per "
    f"record, best of {rounds} passes, Python {platform.python_version()}\n"
)
print("| learner (Tributary name) | River model | input | records/s | µs/record | quality |")
print("|---|---|---|---:|---:|---|")
for name, model, inp, quality_name, run in contenders:
    run()  # warm-up, as learners.ts
    best = math.inf
    quality = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        quality = run()
        best = min(best, (time.perf_counter_ns() - t0) / 1e6)
    print(
        f"| {name} | {model} | {inp} | {round(n / (best / 1000)):,} | "
        f"{best * 1000 / n:.2f} | {quality_name} {quality:.4f} |",
        flush=True,
    )

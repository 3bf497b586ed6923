"""River's StandardScaler + OneHotEncoder + LogisticRegression pipeline on the streams and
protocol of bench/src/pipelines.ts: records parsed once before timing (dicts of numbers and
strings), predict_one then learn_one on every record, one warm-up pass, best of N passes, on
the process's CPU time by default (as bench/src/pipelines.ts; --clock wall for wall time).

Run (see bench/python/README.md for the venv):
    .venv-river/bin/python bench/python/river_pipelines.py [--rounds N] [--clock cpu|wall]
"""

from __future__ import annotations

import argparse
import gzip
import math
import platform
import time
from pathlib import Path

import river
from river import compose, linear_model, preprocessing

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
args = parser.parse_args()
rounds = args.rounds
now_ns = time.process_time_ns if args.clock == "cpu" else time.perf_counter_ns
ROOT = Path(__file__).resolve().parents[2]


def elec2():
    with gzip.open(ROOT / "packages/learn/test-data/elec2_electricity.csv.gz", "rt") as f:
        lines = f.read().strip().split("\n")
    head = lines[0].split(",")[:8]
    recs, labels = [], []
    for line in lines[1:]:
        c = line.split(",")
        recs.append({h: float(v) for h, v in zip(head, c[:8])})
        labels.append(c[8] == "UP")
    num = ["date", "period", "nswprice", "nswdemand", "vicprice", "vicdemand", "transfer"]
    return "Elec2", recs, labels, num, ["day"]


def bike():
    lines = (ROOT.parent / "shared/datasets/bike_sharing_dataset_clean.csv").read_text().strip().split("\n")
    head = lines[0].split(",")
    recs, labels = [], []
    for line in lines[1:]:
        c = line.split(",")
        r = {}
        for h, v in zip(head, c):
            if h in ("date_time", "users"):
                continue
            r[h] = v if h == "weather" else float(v)
        recs.append(r)
        labels.append(float(c[head.index("users")]) > 140)
    num = ["holiday", "workingday", "temp", "atemp", "hum", "windspeed"]
    return "Bike sharing", recs, labels, num, ["month", "hour", "weekday", "weather"]


def pipeline(num, cat):
    return (
        (compose.Select(*num) | preprocessing.StandardScaler())
        + (compose.Select(*cat) | preprocessing.OneHotEncoder())
    ) | linear_model.LogisticRegression()


print(
    f"# River {river.__version__} pipelines from parsed records: test-then-train, best of "
    f"{rounds} passes ({args.clock} time), Python {platform.python_version()}\n"
)
print("| stream | River pipeline | records/s | µs/record | accuracy |")
print("|---|---|---:|---:|---|")
for name, recs, labels, num, cat in (elec2(), bike()):
    n = len(recs)

    def run() -> float:
        m = pipeline(num, cat)
        ok = 0
        for x, y in zip(recs, labels):
            if m.predict_one(x) == y:
                ok += 1
            m.learn_one(x, y)
        return ok / n

    run()
    best, quality = math.inf, 0.0
    for _ in range(rounds):
        t0 = now_ns()
        quality = run()
        best = min(best, (now_ns() - t0) / 1e6)
    print(
        f"| {name} ({n:,}) | (Select(num) \\| StandardScaler) + (Select(cat) \\| OneHotEncoder) \\| LogisticRegression | "
        f"{round(n / (best / 1000)):,} | {best * 1000 / n:.2f} | {quality:.4f} |",
        flush=True,
    )

#!/usr/bin/python3
"""The back-test behind the flow model's intervals: fit on the bundled
sample up to 2020-12-31, project to 2025, and compare with what the sample
shows at 2025-12-31, grade by grade -- how often the observed share falls
in the 95% interval (flow: Monte Carlo with rates drawn from their
uncertainty, and with --fixed-rates; trend: the prediction interval), and
the mean absolute error of each method's 2025 share.

usage: benchmarks/backtest.py [PARITY_BINARY] [SAMPLE_CSV]   (from the clone)
"""
import json
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else "build/parity"
sample = sys.argv[2] if len(sys.argv) > 2 else "data/sample.csv"


def run(*args):
    out = subprocess.run([binary, *args, "--input", sample, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


observed = {g["grade"]: g["female_share"]
            for g in run("representation", "--by", "grade", "--at", "2025-12-31")["groups"]}
fits = {
    "flow (rates drawn)": run("project", "--method", "flow", "--at", "2020-12-31", "--horizon", "2025",
                              "--simulations", "1000", "--seed", "1"),
    "flow (fixed rates)": run("project", "--method", "flow", "--at", "2020-12-31", "--horizon", "2025",
                              "--simulations", "1000", "--seed", "1", "--fixed-rates"),
    "trend": run("project", "--method", "trend", "--at", "2020-12-31", "--horizon", "2025"),
}
print(f"{'method':20}  {'grades':>6}  {'in 95%':>6}  {'mean abs. error':>15}")
for name, doc in fits.items():
    n = inside = 0
    err = 0.0
    for g in doc["groups"]:
        grade, year = g.get("grade"), g["projection"].get("2025")
        if grade not in observed or observed[grade] is None or not year or year["female_share"] is None:
            continue
        n += 1
        err += abs(year["female_share"] - observed[grade])
        lo, hi = year["pi95"] or (None, None)
        if lo is not None and lo <= observed[grade] <= hi:
            inside += 1
    print(f"{name:20}  {n:6}  {inside:6}  {err / n:15.3f}")

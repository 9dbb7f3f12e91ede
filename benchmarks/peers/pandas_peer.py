"""pandas peer: the same kernels as parity-bench, in pandas (Debian's
python3-pandas), on one thread as pandas runs.

usage: python3 pandas_peer.py FILE.csv
"""
import sys
import time

import numpy as np
import pandas as pd

RANK = {g: k for k, g in enumerate(
    "G1 G2 G3 G4 G5 G6 G7 NOA NOB NOC NOD NOE P1 P2 P3 P4 P5 D1 D2 ASG USG".split())}


def main(path):
    start = time.perf_counter()
    t = pd.read_csv(path, dtype={"sex": "category", "grade": "category",
                                 "department": "category", "duty_station": "category",
                                 "location_type": "category", "contract_type": "category"})
    loaded = time.perf_counter()
    print(f"pandas\tload_csv\t{loaded - start:.6f}\t")

    t0 = time.perf_counter()
    last = t[t.snapshot_date == t.snapshot_date.max()]
    rep = pd.crosstab(last.grade, last.sex)
    assert len(rep)
    print(f"pandas\trepresentation\t{time.perf_counter() - t0:.6f}\t")

    t0 = time.perf_counter()
    dates = sorted(t.snapshot_date.unique())
    frames = []
    by_date = {d: g[["staff_id", "sex", "grade"]] for d, g in t.groupby("snapshot_date")}
    for d0, d1 in zip(dates, dates[1:]):
        a, b = by_date[d0], by_date[d1]
        m = a.merge(b, on="staff_id", how="outer", suffixes=("0", "1"), indicator=True)
        hires = m[m._merge == "right_only"].groupby(["grade1", "sex1"], observed=True).size()
        seps = m[m._merge == "left_only"].groupby(["grade0", "sex0"], observed=True).size()
        both = m[m._merge == "both"]
        up = both.grade1.astype(str).map(RANK) > both.grade0.astype(str).map(RANK)
        promo = both[up].groupby(["grade0", "sex0"], observed=True).size()
        frames.append(pd.DataFrame({"hires": hires, "separations": seps, "promotions": promo}))
    flows = pd.concat(frames).groupby(level=[0, 1]).sum()
    assert len(flows)
    print(f"pandas\tflows\t{time.perf_counter() - t0:.6f}\t")

    t0 = time.perf_counter()
    x = pd.to_datetime(t.snapshot_date)
    t["x"] = (x - pd.Timestamp("1970-01-01")).dt.days / 365.2425
    t["f"] = (t.sex == "F").astype(int)
    t["n"] = t.sex.isin(["F", "M", "X"]).astype(int)
    s = t.groupby(["grade", "x"], observed=True)[["f", "n"]].sum().reset_index()
    s = s[s.n > 0]
    s["y"] = s.f / s.n
    slopes = s.groupby("grade", observed=True).apply(
        lambda g: np.polyfit(g.x, g.y, 1)[0] if len(g) > 1 else np.nan)
    assert len(slopes)
    print(f"pandas\ttrend\t{time.perf_counter() - t0:.6f}\t")
    print(f"pandas\tend_to_end\t{time.perf_counter() - start:.6f}\t")


if __name__ == "__main__":
    main(sys.argv[1])

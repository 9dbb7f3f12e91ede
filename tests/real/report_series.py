"""A series of reports, and the dashboard's six, protected as one publication.

usage: report_series.py PARITY PROJECT_ROOT

A reader of this year's report has last year's too (and the dashboard page
holds six). The same people are counted in both: the staff at the start of
this year's movements are last year's stocks by grade; an earlier share is
a share of an earlier snapshot's counts; the pooled movements are the sum of
the years'. So, for the bundled sample with a department breakdown, over
every report date (`parity report --at D`, default --min-cell 5):

1. the staff at the start of each year's movements (F, M+X, total by grade)
   are shown, or withheld, exactly as last year's report shows its staff by
   grade;
2. an earlier share (history columns, the headline's earlier shares) is
   shown only where that snapshot's own report shows the row's F and total;
3. no pooled count is published beside the years it adds up so that one
   withheld year's count is their difference;
4. the dashboard embeds these same reports, cell for cell (the columns of
   the movement tables it draws, the units it names);
5. each year's movements by department and grade: every count shown equals
   the sample's (computed again in SQLite), none from 1 to 4; the staff at
   the start as last year's report shows its department x grade stocks; and
   no count withheld -- the organisation's for that grade, or a small one of
   a department -- can be worked out from the departments' counts, their
   rows' totals and the organisation's (linear algebra over each grade and
   event, the departments too small to name as one unknown row);
6. a pooled count by department is shown only where it is the sum of the
   years' counts, each shown.
Written from the report's JSON and the sample alone, not from the engine's
internals.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_check import load, movements  # noqa: E402  the second route, in SQLite

parity, root = sys.argv[1], sys.argv[2]
sample = os.path.join(root, "data", "sample.csv")
failures = []


def fail(what):
    failures.append(what)
    print("FAIL " + what)


def rows(t):
    return [dict(r) for r in t["rows"]]


def close(a, b):
    """Equal, numbers to the page's six decimals."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-6
    return a == b


def key(r, dim):
    return "*" if r.get("is_total") else r[dim]


with tempfile.TemporaryDirectory() as work:
    cfg = os.path.join(work, "cfg.json")
    with open(cfg, "w") as f:
        json.dump({"report": {"breakdowns": ["department,grade"]}}, f)
    dates = [l.split(",")[0] for l in open(sample).read().splitlines()[1:]]
    dates = sorted(set(dates))
    reps = {}
    for d in dates:
        out = subprocess.run([parity, "report", "--input", sample, "--config", cfg, "--at", d,
                              "--reproducible"], capture_output=True, text=True, check=True).stdout
        reps[d] = json.loads(out)
    checked = {"start": 0, "shares": 0, "pooled": 0, "unit": 0, "unit_withheld": 0, "unit_pooled": 0}
    for prev, d in zip(dates, dates[1:]):
        t, pt = reps[d]["tables"], reps[prev]["tables"]
        # 1. the staff at the start are last year's stocks, as last year showed them
        stock = {key(r, "grade"): r for r in rows(pt["representation_by_grade"])}
        for r in rows(t["movements_year"]):
            g = key(r, "grade")
            for c in ("female", "male_other", "total"):
                a, b = r[f"headcount_{c}"], stock.get(g, {}).get(c, 0)
                if g not in stock and a in (0, None):
                    continue
                checked["start"] += 1
                if (a is None) != (b is None) or (a is not None and a != b):
                    fail(f"{d}: staff at the start, {g} {c}: {a} here, {b} in the report at {prev}")
    # 2. earlier shares only where that snapshot's report shows F and total
    for d in dates:
        t = reps[d]["tables"]
        for name, dim in (("representation_by_grade", "grade"), ("representation_by_category", "category"),
                          ("headline", "population")):
            if name not in t:
                continue
            for col in t[name]["columns"]:
                m = re.fullmatch(r"female_share_(\d{4})(\d{2})(\d{2})", col["name"])
                if not m:
                    continue
                h = f"{m[1]}-{m[2]}-{m[3]}"
                then = {key(r, dim): r for r in rows(reps[h]["tables"][name])}
                for r in rows(t[name]):
                    if r[col["name"]] is None:
                        continue
                    checked["shares"] += 1
                    p = then.get(key(r, dim))
                    if p is None or p["female"] is None or p["total"] is None:
                        fail(f"{d}: {name} {key(r, dim)} shows the share at {h}, which withholds its counts")
                    elif abs(p["female"] / p["total"] - r[col["name"]]) > 1e-9:
                        fail(f"{d}: {name} {key(r, dim)}: share at {h} differs from that report's counts")
    # 3. a pooled count is never a withheld year's count plus shown ones
    for d in dates:
        t = reps[d]["tables"]
        if "movements_pooled" not in t:
            continue
        m = re.search(r"\((\d{4}-\d{2}-\d{2}) to", t["movements_pooled"]["title"])
        years = [y for y in dates if m[1] < y <= d]
        yearly = [{key(r, "grade"): r for r in rows(reps[y]["tables"]["movements_year"])} for y in years]
        for r in rows(t["movements_pooled"]):
            g = key(r, "grade")
            for c, v in r.items():
                if not re.fullmatch(r"(headcount|hires|promotions|promotions_out|separations|moves)_(female|male_other|total)", c):
                    continue
                if v is None:
                    continue
                parts = [y.get(g, {}).get(c, 0) for y in yearly]
                checked["pooled"] += 1
                if sum(p is None for p in parts) == 1:
                    fail(f"{d}: pooled {g} {c} = {v} gives away the one withheld year ({parts})")
    # 5. a year's movements by department and grade
    db = load(sample)
    SX = (("female", "F"), ("male_other", "N"))
    COUNTS = re.compile(r"(headcount|hires|promotions|promotions_out|separations|moves)_(female|male_other|total)")
    UNIT = "movements_year_by_department_and_grade"

    def true_count(truth, u, ev, sx):
        return sum(truth.get((u, ev, x), 0) for y, x in SX if sx in (y, "total"))

    for prev, d in zip(dates, dates[1:]):
        t, pt = reps[d]["tables"], reps[prev]["tables"]
        if UNIT not in t:
            fail(f"{d}: no {UNIT}")
            continue
        truth = movements(db, prev, d, by_dept=True)
        named = [r for r in rows(t[UNIT]) if r["department"] != "(withheld)"]
        stock = {(r["department"], r["grade"]): r for r in rows(pt["by_department_and_grade"])}
        for r in named:
            u = (r["department"], r["grade"])
            for c, v in r.items():
                m = COUNTS.fullmatch(c)
                if not m or v is None:
                    continue
                checked["unit"] += 1
                if v != true_count(truth, u, m[1], m[2]):
                    fail(f"{d}: {u} {c} = {v}, the sample's is {true_count(truth, u, m[1], m[2])}")
                if 0 < v < 5 and m[1] != "headcount":
                    fail(f"{d}: {u} {c} = {v} shown")
            for c in ("female", "male_other", "total"):
                a, b = r[f"headcount_{c}"], stock[u][c] if u in stock else None
                if u not in stock and a in (None, 0):
                    continue
                checked["start"] += 1
                if a != b:
                    fail(f"{d}: {u} staff at the start {c}: {a} here, {b} in the report at {prev}")
        # recoverable? per grade and event: the unknowns are the withheld
        # counts of the departments named, the organisation's withheld ones,
        # and the departments not named (when the grade has any) as one row
        h = {}
        for (u, ev, x), n in truth.items():
            if ev in ("headcount", "ends"):
                h.setdefault(u, [0, 0])[ev == "ends"] += n
        hidden = {u for u, (h0, h1) in h.items() if max(h0, h1) < 5}
        org = {r["grade"]: r for r in rows(t["movements_year"]) if not r.get("is_total")}
        for g, o in org.items():
            for ev in ("hires", "promotions", "promotions_out", "separations", "moves"):
                var = {}

                def term(name, val):
                    """A known value, or an unknown's index."""
                    return ("k", val) if val is not None else ("u", var.setdefault(name, len(var)))

                S3 = ("female", "male_other", "total")
                blocks = [[term(("org", s), o[f"{ev}_{s}"]) for s in S3]]
                for r in named:
                    if r["grade"] == g:
                        u = (r["department"], g)
                        blocks.append([term((u, s), r[f"{ev}_{s}"]) for s in S3])
                if any(u[1] == g for u in hidden):
                    blocks.append([term(("hidden", s), None) for s in S3])
                eqs = [[(f, 1), (n, 1), (tot, -1)] for f, n, tot in blocks]  # F + N = T
                eqs += [[(blocks[0][j], 1)] + [(b[j], -1) for b in blocks[1:]] for j in range(3)]
                if not var:
                    continue
                A = np.zeros((len(eqs), len(var)))
                for i, e in enumerate(eqs):
                    for (kind, v), c in e:
                        if kind == "u":
                            A[i, v] += c
                rank = np.linalg.matrix_rank(A)
                for name, j in var.items():
                    if name[0] == "hidden":
                        continue
                    if name[0] != "org" and not 0 < true_count(truth, name[0], ev, name[1]) < 5:
                        continue
                    checked["unit_withheld"] += 1
                    e = np.zeros((1, len(var)))
                    e[0, j] = 1
                    if np.linalg.matrix_rank(np.vstack([A, e])) == rank:
                        fail(f"{d}: {g} {ev}: withheld {name} is worked out from the departments' counts")
    # 6. pooled by department: sums of the years' counts, each shown
    for d in dates:
        t = reps[d]["tables"]
        name = "movements_pooled_by_department_and_grade"
        if name not in t:
            continue
        m = re.search(r"\((\d{4}-\d{2}-\d{2}) to", t[name]["title"])
        years = [y for y in dates if m[1] < y <= d]
        yearly = [{(r["department"], r["grade"]): r for r in rows(reps[y]["tables"][UNIT])} for y in years]
        for r in rows(t[name]):
            u = (r["department"], r["grade"])
            if u[0] == "(withheld)":
                continue
            for c, v in r.items():
                if not COUNTS.fullmatch(c) or v is None:
                    continue
                parts = [y[u][c] for y in yearly if u in y]
                checked["unit_pooled"] += 1
                if None in parts or sum(parts) != v:
                    fail(f"{d}: pooled {u} {c} = {v} against the years' {parts}")
    # 4. the dashboard embeds the same reports
    page = os.path.join(work, "d.html")
    subprocess.run([parity, "dashboard", "--input", sample, "--config", cfg, "-o", page], check=True)
    html = open(page).read()
    i = html.index("const DATA = ") + len("const DATA = ")
    data, _ = json.JSONDecoder().raw_decode(html[i:].replace("<\\/", "</"))
    for d in data["dates"]:
        for name, tb in data["reports"][d]["tables"].items():
            got = [dict(zip(tb["cols"], r)) for r in tb["rows"]]
            want = reps[d]["tables"][name]["rows"]
            if name.startswith("movements_") or name.endswith("_and_grade"):  # the columns it draws, the units it names
                want = [{k: r[k] for k in tb["cols"] if k in r} for r in want if "(withheld)" not in r.values()]
                if not ({"grade", "hires_female", "separations_male_other"} <= set(tb["cols"]) or
                        {"grade", "female", "total", "female_share", "status"} <= set(tb["cols"])):
                    fail(f"dashboard {d} {name}: columns {tb['cols']}")
            if not close(got, want):
                fail(f"dashboard {d} {name}: not the report's")
    if min(checked.values()) == 0:
        fail(f"nothing checked: {checked}")
    print(f"report series: {len(dates)} reports; {checked['start']} staff-at-start counts, "
          f"{checked['shares']} earlier shares, {checked['pooled']} pooled counts checked; by department: "
          f"{checked['unit']} counts against the sample, {checked['unit_withheld']} withheld ones not "
          f"recoverable, {checked['unit_pooled']} pooled ones the years' sums; {len(failures)} failures")
sys.exit(1 if failures else 0)

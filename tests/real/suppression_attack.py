"""The attacker of parity's published counts (README, "Personal data").

usage: suppression_attack.py PARITY PROJECT_ROOT

For each output below, run with --min-cell 5 --format json, this plays the
reader who wants a withheld count back: it knows how the table adds up
(F + M + X = total on every row; the group rows add up to the total row,
column by column, U included) and that counts are whole and not negative,
and it takes every number shown. For every withheld count it asks a linear
program (scipy) for the smallest and the largest value the published
numbers allow; the cell is safe when they differ by at least one (the
tables are totally unimodular, so the bounds are whole numbers and both are
possible). The test also checks the primary rule itself -- no count from 1
to 4 is shown, no count at all (not even a 0) nor the name of a group of
fewer than 5,
nor a share, interval, gap or status of a row whose counts are withheld
(the unnamed groups come last) -- and that withholding is not gratuitous: what is shown
equals the count without --min-cell.

Outputs: the bundled sample by grade, by category, by department x grade;
a generated organisation of 80 small departments (3 to 40 staff each),
by department and by department x grade; and without a total row (by
snapshot_date), where only the rows add up.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

SEXES = ["female", "male", "other", "unknown", "total"]
PARTS = ["female", "male", "other"]
DERIVED = ["female_share", "ci95", "gap_to_parity", "gap_to_parity_men", "status"]
MIN_CELL = 5


def run(parity, args):
    out = subprocess.run([parity, "representation", *args, "--format", "json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"parity {' '.join(args)}: exit {out.returncode}: {out.stderr}")
    return json.loads(out.stdout)


def rows_of(doc):
    rows = list(doc["groups"])
    if doc.get("total") is not None:
        rows.append(doc["total"])
    return rows


def attack(doc, label):
    """Bounds of every withheld count; returns the number of cells attacked."""
    rows = rows_of(doc)
    has_total = doc.get("total") is not None
    ngroups = len(doc["groups"])
    var = {}  # (row, sex) -> variable index
    for i, row in enumerate(rows):
        for s in SEXES:
            var[(i, s)] = len(var)
    n = len(var)
    data, ri, ci = [], [], []

    def eq(terms):
        r = eq.count
        for k, c in terms:
            data.append(c)
            ri.append(r)
            ci.append(var[k])
        eq.count += 1
    eq.count = 0

    for i, row in enumerate(rows):
        eq([((i, s), 1) for s in PARTS] + [((i, "total"), -1)])
    if has_total:
        for s in SEXES:
            eq([((i, s), 1) for i in range(ngroups)] + [((ngroups, s), -1)])
    a_eq = csr_matrix((data, (ri, ci)), shape=(eq.count, n))
    b_eq = np.zeros(eq.count)
    # what is shown is known exactly; what is withheld is a whole number >= 0
    bounds = []
    for i, row in enumerate(rows):
        for s in SEXES:
            bounds.append((row[s], row[s]) if row[s] is not None else (0, None))
    attacked = 0
    for i, row in enumerate(rows):
        for s in SEXES:
            if row[s] is not None:
                continue
            c = np.zeros(n)
            c[var[(i, s)]] = 1
            lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            assert lo.status == 0 and hi.status == 0, (label, i, s, lo.message, hi.message)
            low, high = lo.fun, -hi.fun
            assert high - low >= 1 - 1e-6, (
                f"{label}: row {i} {s} is {low:g} whatever is withheld: recoverable")
            attacked += 1
    return attacked


def check_rules(doc, plain, label):
    """No small count shown; no derived cell of a withheld row; shown = true."""
    rows = rows_of(doc)
    # the groups too small to be named come after the named ones, in order
    def tiny(g):
        return 0 < g["total"] < MIN_CELL
    groups = plain["groups"]
    truth = [g for g in groups if not tiny(g)] + [g for g in groups if tiny(g)]
    if plain.get("total") is not None:
        truth.append(plain["total"])
    assert len(rows) == len(truth), label
    for row, true in zip(rows, truth):
        for s in SEXES:
            if row[s] is not None:
                assert row[s] == true[s], (label, row, true)
                assert not (0 < row[s] < MIN_CELL), (label, "small count shown", row)
        if 0 < true["total"] < MIN_CELL:  # a group that small shows no count, not even 0
            assert all(row[s] is None for s in SEXES), (label, "count of a tiny group shown", row)
            dims = [k for k in true if k not in SEXES + DERIVED]
            assert all(row[k] == "(withheld)" for k in dims), (label, "name of a tiny group shown", row)
        withheld = row["female"] is None or row["total"] is None  # what shares are made of
        small = 0 < true["total"] < MIN_CELL or 0 < true["female"] < MIN_CELL
        if withheld or small:
            for d in DERIVED:
                assert row[d] is None, (label, "derived cell of a withheld row shown", d, row)
    if any(row[s] is None for row in rows for s in SEXES):
        assert doc["glass_ceiling_index"] is None, (label, "glass ceiling shown")
    assert doc["parameters"]["min_cell"] == MIN_CELL


def small_departments(path):
    """80 departments of 3 to 40 staff over the UN grades, seeded."""
    rnd = random.Random(7)
    grades = ["G3", "G4", "G5", "P2", "P3", "P4", "P5", "D1"]
    lines = ["snapshot_date,staff_id,sex,grade,department"]
    k = 0
    for d in range(80):
        for _ in range(rnd.randint(3, 40)):
            sex = rnd.choices("FMXU", weights=[48, 48, 1, 3])[0]
            lines.append(f"2024-12-31,s{k},{sex},{rnd.choice(grades)},Dept {d:03d}")
            k += 1
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parity, root = sys.argv[1], sys.argv[2]
    sample = os.path.join(root, "data", "sample.csv")
    with tempfile.TemporaryDirectory() as tmp:
        org = os.path.join(tmp, "org.csv")
        small_departments(org)
        cases = [
            ([sample], "grade"), ([sample], "category"), ([sample], "department,grade"),
            ([org], "department"), ([org], "department,grade"), ([org], "grade"),
            ([sample], "snapshot_date"),
        ]
        cells = 0
        for files, by in cases:
            label = f"{os.path.basename(files[0])} by {by}"
            args = [a for f in files for a in ("--input", f)] + ["--by", by]
            doc = run(parity, args + ["--min-cell", str(MIN_CELL)])
            plain = run(parity, args)
            check_rules(doc, plain, label)
            n = attack(doc, label)
            assert by == "snapshot_date" or n > 0, (label, "nothing withheld: the test tests nothing")
            cells += n
            print(f"{label}: {n} withheld counts, each with at least two possible values")
        print(f"suppression attack: {cells} withheld counts attacked, none recovered")
        # and the attacker wins where it should: show one of the two counts
        # withheld in a row, and the other is recovered
        args = ["--input", sample, "--by", "grade"]
        doc, plain = run(parity, args + ["--min-cell", str(MIN_CELL)]), run(parity, args)
        for row, true in zip(doc["groups"], plain["groups"]):
            hidden = [s for s in PARTS + ["total"] if row[s] is None]
            if len(hidden) == 2:
                row[hidden[0]] = true[hidden[0]]
                try:
                    attack(doc, "one count shown too many")
                except AssertionError as e:
                    print(f"control: {e}")
                    break
                raise SystemExit("the attacker did not recover a count left alone in its row")
        else:
            raise SystemExit("no row with two withheld counts to try the attacker on")


# ---- flows ------------------------------------------------------------------

FLOW = [("headcount_end", 1), ("headcount", -1), ("hires", -1), ("separations", 1),
        ("promotions", -1), ("promotions_out", 1), ("demotions", -1), ("demotions_out", 1),
        ("sex_change", -1), ("moves", 0), ("lateral_moves", 0)]
FSEX = ["female", "male", "other", "unknown"]


def run_flows(parity, args):
    out = subprocess.run([parity, "flows", *args, "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"parity flows {' '.join(args)}: exit {out.returncode}: {out.stderr}")
    return json.loads(out.stdout)


def attack_flows(doc, plain, label, closed):
    """The reader of a flows table knows, per row and sex, that the staff at
    the end are those at the start plus hires, less separations, plus
    promotions and demotions in, less those out, plus changes of recorded
    sex (DESIGN.md, "Flows") -- on every row when grouped by grade, on the
    total row when people may move between rows uncounted (departments) --
    and that the groups add up to the total row.
    Every withheld count must keep at least two possible values."""
    rows, prows = rows_of(doc), rows_of(plain)
    tiny = [r for r in prows[:-1] if max(sum(r["headcount"][s] for s in FSEX[:3]),
                                         sum(r["headcount_end"][s] for s in FSEX[:3])) < MIN_CELL]
    prows = [r for r in prows[:-1] if r not in tiny] + tiny + prows[-1:]
    var = {}
    for i in range(len(rows)):
        for m, _ in FLOW:
            for s in FSEX:
                var[(i, m, s)] = len(var)
    data, ri, ci, nrow = [], [], [], 0
    for i in range(len(rows)):
        if not closed and i < len(rows) - 1:
            continue  # one may move between departments uncounted: the total only
        for s in FSEX:
            for m, sign in FLOW:
                if sign:
                    data.append(sign), ri.append(nrow), ci.append(var[(i, m, s)])
            nrow += 1
    ng = len(rows) - 1
    for m, _ in FLOW:
        for s in FSEX:
            for i in range(ng):
                data.append(1), ri.append(nrow), ci.append(var[(i, m, s)])
            data.append(-1), ri.append(nrow), ci.append(var[(ng, m, s)])
            nrow += 1
    a_eq = csr_matrix((data, (ri, ci)), shape=(nrow, len(var)))
    b_eq = np.zeros(nrow)
    bounds = [(0, None)] * len(var)
    for i, (row, true) in enumerate(zip(rows, prows)):
        for m, sign in FLOW:
            for s in FSEX:
                v = row[m][s]
                if v is not None:
                    assert v == true[m][s], (label, "shown count differs", m, s, v, true[m][s])
                    assert not (0 < v < MIN_CELL), (label, "small count shown", row, m, s)
                    bounds[var[(i, m, s)]] = (v, v)
                elif m == "sex_change":  # signed: any whole number
                    bounds[var[(i, m, s)]] = (None, None)
    attacked = 0
    for i, row in enumerate(rows):
        for m, _ in FLOW:
            for s in FSEX:
                # a group too small to name shows no count, its zeros neither;
                # a zero may be plain from the totals: that gives no one away
                unnamed = "(withheld)" in row.values()
                if row[m][s] is not None or (prows[i][m][s] == 0 and unnamed):
                    continue
                c = np.zeros(len(var))
                c[var[(i, m, s)]] = 1
                lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
                hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
                assert lo.status in (0, 3) and hi.status in (0, 3), (label, m, s, lo.message)
                assert lo.status == 3 or hi.status == 3 or -hi.fun - lo.fun >= 1 - 1e-6, (
                    f"{label}: row {i} {m} {s} is {lo.fun:g} whatever is withheld: recoverable")
                attacked += 1
        # no rate or test of a withheld count
        for rate, ev in (("separation_rate", "separations"), ("promotion_rate", "promotions_out"),
                         ("move_rate", "moves")):
            for s in ("female", "male"):
                if row[ev][s] is None or row["headcount"][s] is None:
                    assert row.get(rate, {}).get(s) is None, (label, "rate of a withheld count", rate)
    return attacked


def two_years(path):
    """The 80 small departments of small_departments(), a year later: one in
    ten has left, one in twenty was promoted, newcomers came."""
    rnd = random.Random(11)
    grades = ["G3", "G4", "G5", "P2", "P3", "P4", "P5", "D1"]
    lines = ["snapshot_date,staff_id,sex,grade,department"]
    k = 0
    people = []
    for d in range(80):
        for _ in range(rnd.randint(3, 40)):
            people.append([f"s{k}", rnd.choices("FMXU", weights=[48, 48, 1, 3])[0],
                           rnd.choice(grades), f"Dept {d:03d}"])
            k += 1
    for p in people:
        lines.append("2023-12-31," + ",".join(p))
    for p in people:
        r = rnd.random()
        if r < 0.1:
            continue
        g = p[2]
        if r < 0.15 and grades.index(g) < len(grades) - 1:
            g = grades[grades.index(g) + 1]
        lines.append(f"2024-12-31,{p[0]},{p[1]},{g},{p[3]}")
    for d in range(80):
        for _ in range(rnd.randint(0, 3)):
            lines.append(f"2024-12-31,s{k},{rnd.choice('FM')},{rnd.choice(grades)},Dept {d:03d}")
            k += 1
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def flows_main(parity, root):
    sample = os.path.join(root, "data", "sample.csv")
    with tempfile.TemporaryDirectory() as tmp:
        org = os.path.join(tmp, "org2.csv")
        two_years(org)
        # (department x grade too: 7,983 more counts, none recovered, but
        # 6 minutes of linear programs -- run by hand)
        cases = [([sample], ["--by", "grade"]), ([sample], ["--by", "grade", "--from", "2020-12-31"]),
                 ([org], ["--by", "department"])]
        cells = 0
        for files, extra in cases:
            label = f"flows {os.path.basename(files[0])} {' '.join(extra)}"
            args = [a for f in files for a in ("--input", f)] + extra
            doc = run_flows(parity, args + ["--min-cell", str(MIN_CELL)])
            plain = run_flows(parity, args)
            n = attack_flows(doc, plain, label, "department" not in " ".join(extra))
            assert n > 0, (label, "nothing withheld: the test tests nothing")
            cells += n
            print(f"{label}: {n} withheld counts, each with at least two possible values")
        print(f"flows attack: {cells} withheld counts attacked, none recovered")


if __name__ == "__main__":
    main()
    flows_main(sys.argv[1], sys.argv[2])

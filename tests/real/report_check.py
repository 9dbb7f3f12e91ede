"""The annual report checked by a second route, attacked, and read back.

usage: report_check.py PARITY PROJECT_ROOT

1. Every count, share and rate of `parity report --min-cell 0` on the bundled
   sample (with department breakdowns) equals the same number computed in
   SQL by SQLite over the same rows (Python's sqlite3), written here from
   the definitions, not from the engine.
2. The protected report (the default --min-cell 5) is attacked: the reader
   knows what each published count adds up from -- staff by department x
   grade x (F, or M+X) at the report date, and for the reporting year the
   movements by grade, which add up along rows and columns and link the
   staff at the start to those at the end (hires and promotions in added,
   promotions out and separations taken away, the few demotions and changes
   of recorded sex known to the reader) -- and takes every number shown. For
   every withheld count a linear program (scipy) gives the smallest and
   largest value the published numbers allow: they must differ. No count
   from 1 to 4 is shown; what is shown equals the unprotected report.
3. The same command twice gives the same bytes; the xlsx workbook, read by
   openpyxl, holds the JSON's numbers.
"""
import filecmp
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import csv

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from suppression_attack import small_departments  # the same 80 departments

UN = ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "NOA", "NOB", "NOC", "NOD", "NOE",
      "P1", "P2", "P3", "P4", "P5", "D1", "D2", "ASG", "USG"]
RANK = {g: i for i, g in enumerate(UN)}


def category(g):
    if g in ("ASG", "USG"):
        return "Senior"
    if g.startswith("NO"):
        return "NO"
    return {"G": "GS", "P": "P", "D": "D"}[g[0]]


PROF = {"P", "D", "Senior"}
TOP = {"D1", "D2", "ASG", "USG"}
MIN_CELL = 5


def report(parity, args, out):
    r = subprocess.run([parity, "report", *args, "-o", out], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"parity report {' '.join(args)}: exit {r.returncode}: {r.stderr}")


def close(a, b, what):
    assert a is not None and abs(a - b) < 1e-9, (what, a, b)


def load(path):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE staff (d TEXT, id TEXT, sex TEXT, grade TEXT, dept TEXT, station TEXT)")
    with open(path, newline="") as f:
        rows = [(r["snapshot_date"], r["staff_id"], r["sex"], r["grade"], r["department"],
                 r.get("duty_station", "")) for r in csv.DictReader(f)]
    db.executemany("INSERT INTO staff VALUES (?,?,?,?,?,?)", rows)
    db.create_function("rank", 1, lambda g: RANK[g])
    db.create_function("cat", 1, category)
    return db


def stocks(db, d, key):
    """{(key value, 'F'|'N'): count} at date d; key a SQL expression."""
    out = {}
    for k, s, n in db.execute(
            f"SELECT {key}, CASE sex WHEN 'F' THEN 'F' ELSE 'N' END, COUNT(*) FROM staff "
            "WHERE d = ? AND sex IN ('F','M','X') GROUP BY 1, 2", (d,)):
        out[(k, s)] = n
    return out


def check_stock_rows(rows, truth, name, label):
    for row in rows:
        k = "*" if row.get("is_total") else row[name]
        f, n = truth.get((k, "F"), 0), truth.get((k, "N"), 0)
        assert (row["female"], row["male_other"], row["total"]) == (f, n, f + n), (label, row, f, n)
        if f + n:
            close(row["female_share"], f / (f + n), (label, k))


def movements(db, d0, d1, by_dept=False):
    """{(grade, event, 'F'|'N'): n} between snapshots d0 and d1, as DESIGN.md
    defines them: hires at the t1 grade, separations at the t0 grade,
    promotions into the t1 grade and out of the t0 grade, moves (duty station
    changed, neither blank) at the t0 grade; sex at t1 for the matched, at t0
    for separations and the staff at the start. by_dept: keyed by
    (department, grade), the department taken where the grade is."""
    sx = "CASE {}.sex WHEN 'F' THEN 'F' ELSE 'N' END"
    q = {
        "headcount": f"SELECT a.grade, {sx.format('a')}, COUNT(*) FROM staff a WHERE a.d = :d0 "
                     "AND a.sex IN ('F','M','X') GROUP BY 1, 2",
        "hires": f"SELECT b.grade, {sx.format('b')}, COUNT(*) FROM staff b WHERE b.d = :d1 AND "
                 "b.sex IN ('F','M','X') AND NOT EXISTS (SELECT 1 FROM staff a WHERE a.d = :d0 "
                 "AND a.id = b.id) GROUP BY 1, 2",
        "separations": f"SELECT a.grade, {sx.format('a')}, COUNT(*) FROM staff a WHERE a.d = :d0 "
                       "AND a.sex IN ('F','M','X') AND NOT EXISTS (SELECT 1 FROM staff b WHERE "
                       "b.d = :d1 AND b.id = a.id) GROUP BY 1, 2",
        "promotions": f"SELECT b.grade, {sx.format('b')}, COUNT(*) FROM staff a JOIN staff b ON "
                      "a.id = b.id WHERE a.d = :d0 AND b.d = :d1 AND b.sex IN ('F','M','X') AND "
                      "rank(b.grade) > rank(a.grade) GROUP BY 1, 2",
        "promotions_out": f"SELECT a.grade, {sx.format('b')}, COUNT(*) FROM staff a JOIN staff b "
                          "ON a.id = b.id WHERE a.d = :d0 AND b.d = :d1 AND b.sex IN ('F','M','X') "
                          "AND rank(b.grade) > rank(a.grade) GROUP BY 1, 2",
        "moves": f"SELECT a.grade, {sx.format('b')}, COUNT(*) FROM staff a JOIN staff b ON a.id = "
                 "b.id WHERE a.d = :d0 AND b.d = :d1 AND b.sex IN ('F','M','X') AND a.station <> "
                 "'' AND b.station <> '' AND a.station <> b.station GROUP BY 1, 2",
        "ends": f"SELECT b.grade, {sx.format('b')}, COUNT(*) FROM staff b WHERE b.d = :d1 "
                "AND b.sex IN ('F','M','X') GROUP BY 1, 2",
    }
    out = {}
    for ev, sql in q.items():
        if by_dept:
            sql = sql.replace("SELECT a.grade,", "SELECT a.dept || '|' || a.grade,")
            sql = sql.replace("SELECT b.grade,", "SELECT b.dept || '|' || b.grade,")
        for g, s, n in db.execute(sql, {"d0": d0, "d1": d1}):
            out[(tuple(g.split("|")) if by_dept else g, ev, s)] = n
    return out


EVENTS = ["headcount", "hires", "promotions", "promotions_out", "separations", "moves"]
RATE_OF = {"separation": "separations", "promotion": "promotions_out", "move": "moves"}


def pooled(db, dates):
    tot = {}
    for d0, d1 in zip(dates, dates[1:]):
        for k, v in movements(db, d0, d1).items():
            tot[k] = tot.get(k, 0) + v
    return tot


def check_movements(table, truth, label):
    for row in table["rows"]:
        g = row["grade"]
        for ev in EVENTS:
            for s, col in (("F", "female"), ("N", "male_other")):
                want = (sum(v for (gg, e, ss), v in truth.items() if e == ev and ss == s)
                        if row.get("is_total") else truth.get((g, ev, s), 0))
                assert row[f"{ev}_{col}"] == want, (label, g, ev, s, row[f"{ev}_{col}"], want)
        for test, ev in RATE_OF.items():
            for col in ("female", "male_other"):
                n = row[f"headcount_{col}"]
                if n:
                    close(row[f"{test}_rate_{col}"], row[f"{ev}_{col}"] / n, (label, g, test, col))


def second_route(parity, root, work):
    sample = os.path.join(root, "data", "sample.csv")
    cfg = os.path.join(work, "cfg.json")
    with open(cfg, "w") as f:
        json.dump({"report": {"breakdowns": ["department", "department,grade"]}}, f)
    out = os.path.join(work, "r0.json")
    report(parity, ["--input", sample, "--config", cfg, "--min-cell", "0", "--reproducible"], out)
    rep = json.load(open(out))
    db = load(sample)
    dates = [d for (d,) in db.execute("SELECT DISTINCT d FROM staff ORDER BY d")]
    d = dates[-1]
    assert rep["report_date"] == d
    t = rep["tables"]
    by_grade = stocks(db, d, "grade")
    by_grade.update({("*", s): v for s, v in stocks(db, d, "'*'").items() for s in [s[1]]})
    check_stock_rows(t["representation_by_grade"]["rows"], by_grade, "grade", "by grade")
    by_cat = stocks(db, d, "cat(grade)")
    by_cat.update(stocks(db, d, "CASE WHEN cat(grade) IN ('P','D','Senior') THEN "
                             "'Professional and higher' ELSE 'General Service and related' END"))
    by_cat.update(stocks(db, d, "'*'"))
    check_stock_rows(t["representation_by_category"]["rows"], by_cat, "category", "by category")
    head = stocks(db, d, "'all staff'")
    head.update(stocks(db, d, "CASE WHEN cat(grade) IN ('P','D','Senior') THEN "
                              "'Professional and higher (P1 and above)' END"))
    head.update(stocks(db, d, "CASE WHEN grade IN ('D1','D2','ASG','USG') THEN "
                              "'senior grades (D1 and above)' END"))
    check_stock_rows(t["headline"]["rows"], head, "population", "headline")
    dept = stocks(db, d, "dept")
    dept.update(stocks(db, d, "'*'"))
    check_stock_rows(t["by_department"]["rows"], dept, "department", "by department")
    for row in t["by_department_and_grade"]["rows"]:
        if row.get("is_total"):
            continue
        q = db.execute("SELECT SUM(sex = 'F'), SUM(sex IN ('M','X')) FROM staff WHERE d = ? AND "
                       "dept = ? AND grade = ?", (d, row["department"], row["grade"])).fetchone()
        assert (row["female"], row["male_other"]) == q, ("department x grade", row, q)
    # the shares of earlier snapshots beside
    for row in t["representation_by_grade"]["rows"]:
        for col, v in row.items():
            if not col.startswith("female_share_2") or v is None:
                continue
            dd = f"{col[13:17]}-{col[17:19]}-{col[19:21]}"
            where = "" if row.get("is_total") else "AND grade = :g"
            f, n = db.execute(f"SELECT SUM(sex = 'F'), SUM(sex IN ('F','M','X')) FROM staff WHERE "
                              f"d = :d {where}", {"d": dd, "g": row["grade"]}).fetchone()
            close(v, f / n, ("history", row["grade"], dd))
    check_movements(t["movements_year"], movements(db, dates[-2], d), "movements, year")
    check_movements(t["movements_pooled"], pooled(db, dates[-6:]), "movements, pooled")
    return rep, db, dates, cfg, sample


class System:
    """Linear equations over named unknowns, for the attacker."""

    def __init__(self):
        self.var, self.rows, self.rhs = {}, [], []

    def v(self, name):
        return self.var.setdefault(name, len(self.var))

    def eq(self, terms, rhs=0.0):
        self.rows.append([(self.v(n), c) for n, c in terms])
        self.rhs.append(rhs)


def attack(rep, plain, db, dates):
    d = rep["report_date"]
    sysm = System()
    depts = sorted({r[0] for r in db.execute("SELECT DISTINCT dept FROM staff WHERE d = ?", (d,))})
    grades = sorted({r[0] for r in db.execute("SELECT DISTINCT grade FROM staff WHERE d = ?", (d,))},
                    key=RANK.get)

    def atoms(pred):
        return [(("a", dp, g, s), 1) for dp in depts for g in grades for s in "FN" if pred(dp, g)]

    withheld = []  # (label, linear form)

    def publish(label, row, pred, cols=("female", "male_other", "total"), prow=None):
        for col in cols:
            sexes = {"female": "F", "male_other": "N", "total": "FN"}[col]
            form = [(n, c) for n, c in atoms(pred) if n[3] in sexes]
            if row[col] is None:
                # a group of fewer than 5 shows no count, its zeros neither;
                # such a zero may be plain from elsewhere (no woman in the
                # grade at all), which gives away no one: its other counts
                # are attacked
                if not (prow and prow[col] == 0 and 0 < prow["total"] < MIN_CELL):
                    withheld.append((f"{label} {col}", form))
            else:
                assert not (0 < row[col] < MIN_CELL), (label, col, "small count shown")
                assert prow is None or row[col] == prow[col], (label, col, row[col], prow[col])
                sysm.eq(form, row[col])

    t, p = rep["tables"], plain["tables"]
    names = {"representation_by_grade": ("grade", lambda v: lambda dp, g: g == v),
             "representation_by_category": ("category", None),
             "headline": ("population", None),
             "by_department": ("department", lambda v: lambda dp, g: dp == v)}
    cat_pred = {
        "Professional and higher": lambda dp, g: category(g) in PROF,
        "General Service and related": lambda dp, g: category(g) not in PROF,
        "all staff": lambda dp, g: True,
        "Professional and higher (P1 and above)": lambda dp, g: category(g) in PROF,
        "senior grades (D1 and above)": lambda dp, g: g in TOP,
    }
    def aligned(prows):
        """The unprotected rows in the protected table's order: the groups too
        small to be named come last, in order (the attacker is told which is
        which all the same)."""
        tiny = lambda r: not r.get("is_total") and 0 < r["total"] < MIN_CELL
        return ([r for r in prows if not tiny(r) and not r.get("is_total")] +
                [r for r in prows if tiny(r)] + [r for r in prows if r.get("is_total")])

    for name, (dim, mk) in names.items():
        for row, prow in zip(t[name]["rows"], aligned(p[name]["rows"])):
            if row[dim] == "(withheld)":
                assert all(row[c] is None for c in ("female", "male_other", "total")), row
                row = dict(prow, female=None, male_other=None, total=None)
            if row.get("is_total"):
                pred = lambda dp, g: True
            elif name == "representation_by_category" and row[dim] in ("GS", "NO", "P", "D", "Senior"):
                pred = (lambda c: lambda dp, g: category(g) == c)(row[dim])
            elif mk is None:
                pred = cat_pred[row[dim]]
            else:
                pred = mk(row[dim])
            publish(f"{name} {row[dim]}", row, pred, prow=prow)
    for row, prow in zip(t["by_department_and_grade"]["rows"], aligned(p["by_department_and_grade"]["rows"])):
        if row["department"] == "(withheld)":
            assert all(row[c] is None for c in ("female", "male_other", "total")), row
            row = dict(prow, female=None, male_other=None, total=None)
        pred = ((lambda dp, g: True) if row.get("is_total") else
                (lambda a, b: lambda dp, g: dp == a and g == b)(row["department"], row["grade"]))
        publish(f"dept x grade {row['department']} {row['grade']}", row, pred, prow=prow)
    if "movements_year" in t:
        movement_system(t, p, db, dates, d, sysm, withheld, atoms)
    return solve(sysm, withheld)


def movement_system(t, p, db, dates, d, sysm, withheld, atoms):
    """The reporting year's movements as the reader sees them."""
    year, pyear = t["movements_year"], p["movements_year"]
    truth = movements(db, dates[-2], d)
    rows = year["rows"]
    groups = [r for r in rows if not r.get("is_total")]
    for row, prow in zip(rows, pyear["rows"]):
        g = "*" if row.get("is_total") else row["grade"]
        for ev in EVENTS:
            for col, s in (("female", "F"), ("male_other", "N"), ("total", "T")):
                n = ("m", g, ev, s)
                v = row[f"{ev}_{col}"]
                if v is None:
                    withheld.append((f"year {g} {ev} {col}", [(n, 1)]))
                else:
                    assert not (0 < v < MIN_CELL), ("year", g, ev, col, "small count shown")
                    assert v == prow[f"{ev}_{col}"]
                    sysm.eq([(n, 1)], v)
            sysm.eq([(("m", g, ev, "T"), 1), (("m", g, ev, "F"), -1), (("m", g, ev, "N"), -1)])
        # staff at the end = start + hires + promotions in - out - separations + other (known)
        for s in "FN":
            end = atoms(lambda dp, gg: g == "*" or gg == g)
            end = [(n, c) for n, c in end if n[3] == s]
            if g == "*":
                keyf = lambda ev: sum(v for (gg, e, ss), v in truth.items() if e == ev and ss == s)
            else:
                keyf = lambda ev: truth.get((g, ev, s), 0)
            other = keyf("ends") - (keyf("headcount") + keyf("hires") + keyf("promotions")
                                    - keyf("promotions_out") - keyf("separations"))
            sysm.eq(end + [(("m", g, "headcount", s), -1), (("m", g, "hires", s), -1),
                           (("m", g, "promotions", s), -1), (("m", g, "promotions_out", s), 1),
                           (("m", g, "separations", s), 1)], other)
    for ev in EVENTS:
        for s in "FNT":
            sysm.eq([(("m", "*", ev, s), 1)] + [(("m", r["grade"], ev, s), -1) for r in groups])


def solve(sysm, withheld):
    """Bounds of every withheld count; the number attacked."""
    for _, form in withheld:
        for n, _ in form:
            sysm.v(n)
    nv = len(sysm.var)
    data, ri, ci = [], [], []
    for i, terms in enumerate(sysm.rows):
        for j, c in terms:
            data.append(c)
            ri.append(i)
            ci.append(j)
    a_eq = csr_matrix((data, (ri, ci)), shape=(len(sysm.rows), nv))
    b_eq = np.array(sysm.rhs)
    attacked = 0
    for label, form in withheld:
        c = np.zeros(nv)
        for n, k in form:
            c[sysm.var[n]] += k
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert lo.status == 0 and hi.status in (0, 3), (label, lo.message, hi.message)
        # unbounded above (3): the published numbers do not even bound it
        assert hi.status == 3 or -hi.fun - lo.fun > 1e-6, \
            f"{label}: {lo.fun:g} whatever is withheld: recoverable"
        attacked += 1
    return attacked


def many_small(parity, work, cfg):
    org = os.path.join(work, "org.csv")
    small_departments(org)
    args = ["--input", org, "--config", cfg, "--reproducible"]
    report(parity, args + ["--min-cell", "0"], os.path.join(work, "o0.json"))
    report(parity, args, os.path.join(work, "o5.json"))
    plain = json.load(open(os.path.join(work, "o0.json")))
    rep = json.load(open(os.path.join(work, "o5.json")))
    db = load(org)
    assert "movements_year" not in rep["tables"] and rep["sections_missing"], rep["sections_missing"]
    return attack(rep, plain, db, ["2024-12-31"])


def main():
    parity, root = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as work:
        plain, db, dates, cfg, sample = second_route(parity, root, work)
        out = os.path.join(work, "r5.json")
        args = ["--input", sample, "--config", cfg, "--reproducible"]
        report(parity, args, out)
        rep = json.load(open(out))
        assert rep["suppression"]["min_cell"] == MIN_CELL and rep["suppression"]["primary"] > 0
        n = attack(rep, plain, db, dates)
        again = os.path.join(work, "r5b.json")
        report(parity, args, again)
        assert filecmp.cmp(out, again, shallow=False), "two runs differ"
        xlsx = os.path.join(work, "r.xlsx")
        report(parity, args + ["--format", "xlsx"], xlsx)
        import openpyxl
        ws = openpyxl.load_workbook(xlsx)["representation_by_grade"]
        head = [c.value for c in ws[2]]
        first = [c.value for c in ws[3]]
        row = rep["tables"]["representation_by_grade"]["rows"][0]
        assert first[0] == row["grade"], (first, row)
        assert first[head.index("total")] == row["total"], (head, first, row)
        assert ws.freeze_panes == "B3", ws.freeze_panes
        m = many_small(parity, work, cfg)
        # what cannot be computed is said, and the rest is there: exit 0
        data = os.path.join(root, "tests", "data")
        for csvf, section, reason in (
                ("min_cell.csv", "movements", "no staff ids"),
                ("aggregated.csv", "movements", "aggregated counts"),
                ("trend.csv", "targets", "no targets")):
            o = os.path.join(work, "m.json")
            report(parity, ["--input", os.path.join(data, csvf), "--reproducible"], o)
            doc = json.load(open(o))
            why = {x["section"]: x["reason"] for x in doc["sections_missing"]}
            assert reason in why.get(section, ""), (csvf, doc["sections_missing"])
            assert "representation_by_grade" in doc["tables"], csvf
        o = os.path.join(work, "past.json")
        report(parity, ["--input", sample, "--at", "2020-06-30", "--reproducible"], o)
        past = json.load(open(o))
        assert past["report_date"] == "2019-12-31" and "2019-12-31" in past["notes"][0], past["notes"]
        assert max(s["date"] for s in past["snapshots"]) == "2019-12-31"
        print(f"report: every number equals SQLite's; {n} withheld counts attacked on the sample, "
              f"{m} on 80 small departments, none recovered; repeat identical; workbook read back")


if __name__ == "__main__":
    main()

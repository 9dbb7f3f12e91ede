"""The Python bindings against the CLI's JSON for the same inputs, cell for
cell; errors and their diagnostics; handles freed under a loop of 10,000
loads; two threads at once, and the GIL released during a long call.

Run: /usr/bin/python3 -m pytest bindings/python/tests (the build's CLI and
library found in build/, or named by PARITY_BIN and PARITY_LIBRARY)."""
import json
import math
import os
import subprocess
import threading
import time

import pandas as pd
import pytest

import parity

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.environ.get("PARITY_BIN", os.path.join(ROOT, "build", "parity"))
SAMPLE = os.path.join(ROOT, "data", "sample.csv")
DATA = os.path.join(ROOT, "tests", "data")


def cli(*args):
    out = subprocess.run([BIN, *args, "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def leaves(prefix, value):
    """(column name, value) of a JSON row as the contract flattens it."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(f"{prefix}_{k}" if prefix else k, v)
    elif isinstance(value, list) and len(value) == 2:
        yield f"{prefix}_low", value[0]
        yield f"{prefix}_high", value[1]
    else:
        yield prefix, value


def same_cell(got, want, where):
    if want is None:
        assert got is pd.NA or got is None or (isinstance(got, float) and math.isnan(got)), (where, got)
    elif isinstance(want, float):
        assert got is not pd.NA and abs(float(got) - want) <= 1e-12 * max(1, abs(want)), (where, got, want)
    else:
        assert got == want, (where, got, want)


def same_as_cli(df, doc):
    """Every cell of every group (and the total row) of the CLI's JSON is in
    the DataFrame, in order."""
    rows = list(doc["groups"]) + ([doc["total"]] if doc.get("total") is not None else [])
    assert len(df) == len(rows), (len(df), len(rows))
    n = 0
    for i, row in enumerate(rows):
        for col, want in leaves("", row):
            if col not in df.columns and want is None:
                continue  # an interval withheld everywhere
            got = df.iloc[i][col]
            same_cell(got, want, (i, col))
            n += 1
    if doc.get("total") is not None:
        assert bool(df.iloc[-1]["is_total"]) and not df["is_total"].iloc[:-1].any()
    return n


@pytest.fixture(scope="module")
def sample():
    with parity.load(SAMPLE) as t:
        yield t


@pytest.mark.parametrize("by,cli_by", [(None, "grade"), (["department", "grade"], "department,grade"),
                                       ("category", "category"), ([], "")])
def test_representation_equals_the_cli(sample, by, cli_by):
    df = sample.representation(by=by)
    doc = cli("representation", "--input", SAMPLE, "--by", cli_by)
    assert same_as_cli(df, doc) > 0
    assert df.attrs["parameters"] == doc["parameters"]
    assert df.attrs.get("glass_ceiling_index") == doc.get("glass_ceiling_index")


def test_dtypes_follow_the_contract(sample):
    df = sample.representation(by="grade")
    assert str(df["female"].dtype) == "Int64" and str(df["female_share"].dtype) == "Float64"
    assert isinstance(df["grade"].dtype, pd.CategoricalDtype) and df["grade"].cat.ordered
    # grades in scale order, as the engine orders them
    assert list(df["grade"].cat.categories[:3]) == ["G1", "G2", "G3"]
    assert str(df["status"].dtype) == "string" and str(df["is_total"].dtype) == "boolean"


def test_flows_equal_the_cli(sample):
    df = sample.flows(by="grade", start="2020-12-31", end="2025-12-31")
    doc = cli("flows", "--input", SAMPLE, "--by", "grade", "--from", "2020-12-31", "--to", "2025-12-31")
    assert same_as_cli(df, doc) > 1000


def test_projections_equal_the_cli(sample):
    df = sample.project(method="flow", horizon=2030, set={"hire_share:P4": 0.6})
    doc = cli("project", "--input", SAMPLE, "--method", "flow", "--horizon", "2030", "--set",
              "hire_share:P4=0.6")
    assert same_as_cli(df, doc) > 0
    df = sample.project(by="category", horizon=2030)
    doc = cli("project", "--input", SAMPLE, "--by", "category", "--horizon", "2030")
    assert same_as_cli(df, doc) > 0


def test_targets_equal_the_cli(sample):
    df = sample.targets(["grade=P4:0.5:2028", "category=D:0.5:2030"])
    doc = cli("targets", "--input", SAMPLE, "--target", "grade=P4:0.5:2028", "--target",
              "category=D:0.5:2030")
    assert same_as_cli(df, doc) > 0
    assert df["status"].tolist() == [g["status"] for g in doc["groups"]]


def test_report_equals_the_cli(sample, tmp_path):
    rep = sample.report()
    out = tmp_path / "r.json"
    subprocess.run([BIN, "report", "--input", SAMPLE, "-o", str(out)], check=True)
    doc = json.loads(out.read_text())
    assert list(rep) == list(doc["tables"])
    for name, t in doc["tables"].items():
        df = rep[name]
        assert len(df) == len(t["rows"]), name
        for i, row in enumerate(t["rows"]):
            for col, want in leaves("", row):
                if col not in df.columns and want is None:  # a withheld interval: both halves NA
                    assert df.iloc[i][f"{col}_low"] is pd.NA and df.iloc[i][f"{col}_high"] is pd.NA
                    continue
                same_cell(df.iloc[i][col], want, (name, i, col))
    assert rep.headline == doc["headline"]
    rep.to_xlsx(tmp_path / "r.xlsx")
    assert (tmp_path / "r.xlsx").stat().st_size > 1000


def test_from_pandas_and_open_store(tmp_path):
    df = pd.read_csv(SAMPLE)
    latest = df[df.snapshot_date == "2025-12-31"].drop(columns="snapshot_date")
    with parity.Table.from_pandas(latest, date="2025-12-31") as t:
        got = t.representation(by="grade")
    same_as_cli(got, cli("representation", "--input", SAMPLE, "--by", "grade"))
    db = tmp_path / "p.db"
    subprocess.run([BIN, "import", SAMPLE, "--db", str(db)], check=True, capture_output=True)
    with parity.open_store(str(db)) as t:
        assert len(t) == len(df) and t.snapshots[0] == ("2015-12-31", 1999)
        same_as_cli(t.flows(), cli("flows", "--input", SAMPLE))


def test_config_maps_columns_and_codes():
    cfg = parity.Config(columns={"sex": "Gender"}, sex_codes={"Woman": "F", "Man": "M"},
                        grade_order="none")
    csv = "snapshot_date,Gender,grade\n2024-12-31,Woman,A\n2024-12-31,Man,A\n2024-12-31,Woman,B\n"
    t = parity.Table(cfg).load_bytes(csv)
    df = t.representation()
    assert df[["grade", "female", "male"]].iloc[:2].astype(str).values.tolist() == [["A", "1", "1"],
                                                                                  ["B", "1", "0"]]


def test_errors_carry_status_and_diagnostics():
    with pytest.raises(parity.ParityError) as e:
        parity.load(os.path.join(DATA, "bad_sex.csv"))
    assert e.value.status == 3 and e.value.status_name == "PARITY_INVALID"
    assert e.value.diagnostics and e.value.diagnostics[0].startswith(os.path.join(DATA, "bad_sex.csv") + ":3:3:")
    with parity.load(SAMPLE) as t:
        with pytest.raises(parity.ParityError) as e:
            t.representation(by="no such column")
        assert e.value.status == 2 and "unknown dimension" in e.value.message
        with pytest.raises(parity.ParityError):
            t.project(method="flow", set={"no_such_knob": 1})
    with pytest.raises(parity.ParityError) as e:
        parity.Config(grade_order="sideways")
    assert e.value.status == 2
    with pytest.raises(parity.ParityError) as e:
        parity.open_store(os.path.join(DATA, "no such store.db"))


def test_closed_handles_refuse():
    t = parity.load(SAMPLE)
    t.close()
    t.close()  # twice is fine
    with pytest.raises(ValueError):
        t.representation()
    with parity.load(SAMPLE) as u:
        pass
    with pytest.raises(ValueError):
        len(u)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_no_leak_over_10000_loads():
    csv = open(os.path.join(DATA, "min_cell.csv"), "rb").read()
    for _ in range(500):  # warm: allocator pools, caches
        parity.Table().load_bytes(csv).close()
    before = rss()
    for i in range(10000):
        t = parity.Table().load_bytes(csv)
        if i % 100 == 0:
            t.representation()
        if i % 2:
            t.close()  # the others go with the garbage collector
    after = rss()
    assert after - before < 4 * 1024 * 1024, f"{(after - before) / 1e6:.1f} MB more after 10,000 loads"


def test_two_threads_and_the_gil(sample):
    want = sample.representation(by="grade")
    errors, loaded = [], []

    def loader():
        try:
            for _ in range(5):
                with parity.load(SAMPLE) as t:
                    loaded.append(len(t))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def analyst():
        try:
            for _ in range(50):
                pd.testing.assert_frame_equal(sample.representation(by="grade"), want)
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=loader), threading.Thread(target=analyst)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    assert loaded == [23173] * 5
    # a long call in C lets Python run meanwhile: the GIL is released
    ticks = []
    stop = threading.Event()

    def counter():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.0005)

    c = threading.Thread(target=counter)
    c.start()
    t0 = time.perf_counter()
    sample.project(method="flow", horizon=2040, simulations=3000, seed=7)
    spent = time.perf_counter() - t0
    stop.set()
    c.join()
    assert spent > 0.05, "the long call was too short to tell"
    assert len(ticks) > spent / 0.0005 * 0.2, (len(ticks), spent)

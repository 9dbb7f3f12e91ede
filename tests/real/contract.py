"""The output contract, for every command on the bundled sample and the test
files: JSON validates against docs/output.schema.json and is valid UTF-8
with no NaN or Infinity; CSV has one header and rows of the same width;
tables for people fit 100 columns of a terminal.

usage: contract.py PARITY_BINARY REPO_DIR
"""
import csv
import io
import json
import subprocess
import sys
import tempfile
import unicodedata

import jsonschema

bin_, repo = sys.argv[1], sys.argv[2]
sample = f"{repo}/data/sample.csv"
data = f"{repo}/tests/data"
schema = json.load(open(f"{repo}/docs/output.schema.json", encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)

commands = [
    ["representation", "--input", sample],
    ["representation", "--input", sample, "--by", "category,location_type"],
    ["representation", "--input", sample, "--by", "snapshot_date"],
    ["representation", "--input", sample, "--by", ""],
    ["representation", "--input", sample, "--by", "department,grade", "--min-cell", "5"],
    ["representation", "--input", f"{data}/latin1.csv", "--encoding", "cp1252", "--by", "department"],
    ["flows", "--input", sample],
    ["flows", "--input", sample, "--from", "2020-12-31", "--by", "category"],
    ["flows", "--input", sample, "--from", "2022-12-31", "--by", "period"],
    ["targets", "--input", sample, "--target", "grade=P4:0.5:2028", "--target", "grade=G3:0.5:2027",
     "--target", "category=D:0.5:2030", "--target", "grade=P4:0.5:2028:hires"],
    ["project", "--input", sample],
    ["project", "--input", sample, "--by", "category", "--horizon", "2040"],
    ["project", "--input", sample, "--method", "flow", "--horizon", "2032"],
    ["project", "--input", sample, "--method", "flow", "--horizon", "2030", "--simulations", "50"],
    ["project", "--input", f"{data}/trend.csv"],
]


def width(line):
    w = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


failed = 0
checked = 0


def fail(what, why):
    global failed
    failed += 1
    print(f"FAIL {what}: {why}")


def run(args):
    p = subprocess.run([bin_] + args, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p.stdout.decode("utf-8")  # raises on invalid UTF-8


for args in commands:
    what = " ".join(a if a else "''" for a in args[:1] + args[3:])
    try:
        doc = json.loads(run(args + ["--format", "json"]),
                         parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:3]:
            fail(what + " json", f"{'/'.join(map(str, e.path))}: {e.message[:200]}")
        rows = list(csv.reader(io.StringIO(run(args + ["--format", "csv"]))))
        if len({len(r) for r in rows}) != 1:
            fail(what + " csv", "rows of different widths")
        for line in run(args).splitlines():
            if width(line) > 100:
                fail(what + " table", f"{width(line)} columns: {line[:60]}...")
                break
        checked += 1
    except Exception as e:  # a failing command, invalid UTF-8, NaN
        fail(what, str(e)[:300])

# snapshots from a store
with tempfile.TemporaryDirectory() as tmp:
    db = f"{tmp}/p.db"
    run(["import", "--db", db, sample])
    doc = json.loads(run(["snapshots", "--db", db, "--format", "json"]))
    for e in list(validator.iter_errors(doc))[:3]:
        fail("snapshots json", e.message[:200])
    doc = json.loads(run(["representation", "--db", db, "--format", "json"]))
    if doc["inputs"]["store"] != db:
        fail("representation --db", "inputs.store does not name the store")
    checked += 1

print(f"contract: {checked} commands checked")
print(f"{checked - failed if failed < checked else 0} passed, {failed} failed")
sys.exit(1 if failed else 0)

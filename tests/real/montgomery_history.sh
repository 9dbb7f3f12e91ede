#!/usr/bin/env bash
# Montgomery County's yearly files (slices in tests/data, see SOURCE.md) as
# one store history in one command -- each file its own date, "Department
# Name" (2014-2020) and "Department_Name" (2023) one department dimension,
# no grade column before 2020 -- and the representation by
# snapshot_date,department from the store checked against counts made
# independently by Python's csv module from the same files.
# usage: montgomery_history.sh PARITY_BINARY TESTS_DIR
set -euo pipefail
bin=$1
data=$2/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$data"
"$bin" import --db "$tmp/m.db" --grade-order none --column sex=Gender \
    --column "department=Department Name" --column department=Department_Name \
    montgomery_2014_slice.csv --date 2014-12-31 montgomery_2016_slice.csv --date 2016-12-31 \
    montgomery_2017_slice.csv --date 2017-12-31 montgomery_2020_slice.csv --date 2020-12-31 \
    montgomery_2023_slice.csv --date 2023-12-31 > "$tmp/import.out"
grep -q "5 snapshots added" "$tmp/import.out"
"$bin" representation --db "$tmp/m.db" --grade-order none --by snapshot_date,department \
    --format csv > "$tmp/parity.csv"
/usr/bin/python3 - "$tmp/parity.csv" <<'PY'
import csv, sys
from collections import Counter
files = {"2014-12-31": "montgomery_2014_slice.csv", "2016-12-31": "montgomery_2016_slice.csv",
         "2017-12-31": "montgomery_2017_slice.csv", "2020-12-31": "montgomery_2020_slice.csv",
         "2023-12-31": "montgomery_2023_slice.csv"}
want = Counter()
for date, name in files.items():
    with open(name, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            dept = row.get("Department Name", row.get("Department_Name")).strip()
            want[(date, dept, row["Gender"].strip() or "U")] += 1
got = Counter()
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        for sex, col in (("F", "female"), ("M", "male"), ("U", "unknown")):
            n = int(row[col])
            if n:
                got[(row["snapshot_date"], row["department"], sex)] += n
        assert row["other"] == "0", row
if got != want:
    for k in sorted(set(got) | set(want)):
        if got[k] != want[k]:
            print("differs:", k, "parity", got[k], "python", want[k])
    sys.exit(1)
print(f"montgomery history: {len(want)} (date, department, sex) counts agree, {sum(want.values())} rows")
print("1 passed, 0 failed")
PY

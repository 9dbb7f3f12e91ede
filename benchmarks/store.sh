#!/usr/bin/env bash
# The store against DuckDB's database file, side by side in one run: the
# time to build each from the same CSV (whole processes: `parity import`
# into a new store; DuckDB's CREATE TABLE AS SELECT * FROM read_csv into a
# new file, benchmarks/peers/duckdb_file.mjs make) and the files' sizes;
# best of three. Also the import with --sql-rows (plain rows for SQL too).
#   benchmarks/store.sh [STAFF,...] [YEARS]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-50000,500000} years=${2:-20}
out=benchmarks/out
mkdir -p "$out"
. benchmarks/best.sh
bench_setup
for staff in ${sizes//,/ }; do
  csv=$out/report_$staff.csv
  [ -s "$csv" ] || build/parity-gen --staff "$staff" --years "$years" -o "$csv"
  rows=$(($(wc -l <"$csv") - 1))
  db=$out/store_$staff.db duck=$out/store_$staff.duckdb rdb=$out/store_rows_$staff.db
  p=$(best "rm -f $db $db-wal $db-shm" build/parity import "$csv" --db "$db")
  r=$(best "rm -f $rdb $rdb-wal $rdb-shm" build/parity import "$csv" --db "$rdb" --sql-rows)
  d=$(best "rm -f $duck $duck.wal" node benchmarks/peers/duckdb_file.mjs make "$csv" "$duck")
  sp=$(stat -c %s "$db") sr=$(stat -c %s "$rdb") sd=$(stat -c %s "$duck")
  printf '%s rows\n  parity import\t%s s\t%s MB\n  parity import --sql-rows\t%s s\t%s MB\n  DuckDB file\t%s s\t%s MB\n  import speed\t%.1fx DuckDB\n  size\t%.2fx DuckDB\n' \
    "$rows" "$p" "$((sp / 1000000))" "$r" "$((sr / 1000000))" "$d" "$((sd / 1000000))" \
    "$(echo "scale=3; $d / $p" | bc)" "$(echo "scale=3; $sp / $sd" | bc)"
done

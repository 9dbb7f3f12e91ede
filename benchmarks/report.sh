#!/usr/bin/env bash
# The whole annual report, side by side in one run: `parity report` (and
# `parity dashboard`, six reports in one page) from its
# store (a fresh process: read the store, every table, protection, the JSON
# written) against DuckDB computing the report's tables in SQL from its own
# database file (benchmarks/peers/duckdb_report.mjs, a fresh process too).
# Neither build (the import, DuckDB's CREATE TABLE) is timed; each timing is
# the best of three.
#
#   benchmarks/report.sh [STAFF] [YEARS] [THREADS] [CONFIG]
#
# CONFIG (a configuration file, e.g. with "report": {"breakdowns":
# ["department,grade"]}) times parity's report and dashboard with it too:
# the breakdowns and each unit's movements, protected with the rest.
#
# STAFF 500000 and YEARS 20 (the default) is about 11M staff-snapshot rows.
set -euo pipefail
cd "$(dirname "$0")/.."
staff=${1:-500000} years=${2:-20} threads=${3:-$(nproc)} config=${4:-}
out=benchmarks/out
mkdir -p "$out"
. benchmarks/best.sh
bench_setup
csv=$out/report_$staff.csv db=$out/report_$staff.db duck=$out/report_$staff.duckdb
[ -s "$csv" ] || build/parity-gen --staff "$staff" --years "$years" -o "$csv"
rows=$(($(wc -l <"$csv") - 1))
[ -s "$db" ] || build/parity import "$csv" --db "$db" >/dev/null
[ -s "$duck" ] || node benchmarks/peers/duckdb_file.mjs make "$csv" "$duck"

p=$(best "" build/parity report --db "$db" --reproducible -o "$out/report.json")
h=$(best "" build/parity dashboard --db "$db" -o "$out/dashboard.html")
d=$(best "" node benchmarks/peers/duckdb_report.mjs "$duck" "$threads")
printf 'rows\t%s\nparity report (from its store)\t%s s\nparity dashboard (the same, at six snapshots)\t%s s\nDuckDB, the report'"'"'s tables (from its file)\t%s s\nratio (report)\t%.1fx\n' \
  "$rows" "$p" "$h" "$d" "$(echo "scale=3; $d / $p" | bc)"
if [ -n "$config" ]; then
  pc=$(best "" build/parity report --db "$db" --config "$config" --reproducible -o "$out/report_config.json")
  hc=$(best "" build/parity dashboard --db "$db" --config "$config" -o "$out/dashboard_config.html")
  printf 'parity report with %s\t%s s\nparity dashboard with %s\t%s s\n' "$config" "$pc" "$config" "$hc"
fi

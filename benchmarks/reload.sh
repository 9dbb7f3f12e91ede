#!/usr/bin/env bash
# Store reload against CSV load, same rows, same process work after loading:
# `parity representation --by grade` once from the CSV (--input) and once
# from the store (--db), best of 3 wall-clock runs each; the computation after
# the load is the same and tiny, so the ratio is the load's.
# usage: benchmarks/reload.sh [STAFF] [YEARS]   (default 100000 staff, 19 -> 20 snapshots)
set -euo pipefail
cd "$(dirname "$0")/.."
staff=${1:-100000}
years=${2:-19}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x build/parity ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }
build/parity-gen --staff "$staff" --years "$years" -o "$work/h.csv"
rows=$(($(wc -l < "$work/h.csv") - 1))
start=$(date +%s.%N)
build/parity import "$work/h.csv" --db "$work/h.db" >/dev/null
import_s=$(echo "$(date +%s.%N) - $start" | bc)
best() { # best of 3 wall-clock seconds of a command
  local b=999999 s e t
  for _ in 1 2 3; do
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc); if (( $(echo "$t < $b" | bc) )); then b=$t; fi
  done
  echo "$b"
}
csv_s=$(best build/parity representation --input "$work/h.csv" --by grade)
db_s=$(best build/parity representation --db "$work/h.db" --by grade)
printf 'rows %d  csv %.1f MB  store %.1f MB  import %.2f s\n' "$rows" \
  "$(echo "$(stat -c %s "$work/h.csv") / 1000000" | bc -l)" \
  "$(echo "$(stat -c %s "$work/h.db") / 1000000" | bc -l)" "$import_s"
printf 'load from CSV   %.3f s  (%.0f rows/s)\n' "$csv_s" "$(echo "$rows / $csv_s" | bc -l)"
printf 'load from store %.3f s  (%.0f rows/s)\n' "$db_s" "$(echo "$rows / $db_s" | bc -l)"
printf 'store reload is %.1fx faster than the CSV load (bar: 5x)\n' "$(echo "$csv_s / $db_s" | bc -l)"

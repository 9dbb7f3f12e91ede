#!/usr/bin/env bash
# SQLite peer: the same kernels through the sqlite3 command-line shell, one
# shell per kernel on a database file in /tmp (the page cache keeps it in
# memory). SQLite runs queries on one thread.
# usage: sqlite.sh FILE.csv
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
file=$1
db=$(mktemp -u /tmp/parity-bench-XXXXXX.db)
trap 'rm -f "$db"' EXIT
now() { date +%s.%N; }
section() { awk -v k="$1" '/^-- @/{on = index($0, "-- @" k ":") == 1; next} on && !/^--/' "$here/queries.sql" |
  sed "s|{YEARS}|julianday(snapshot_date) / 365.2425|g"; }
start=$(now)
sqlite3 "$db" < "$here/rank.sql"
sqlite3 "$db" ".import --csv $file t"
sqlite3 "$db" "CREATE INDEX t_date ON t (snapshot_date, staff_id)"
loaded=$(now)
printf 'sqlite\tload_csv\t%s\t\n' "$(echo "$loaded - $start" | bc)"
for k in representation flows trend; do
  t0=$(now)
  section "$k" | sqlite3 "$db" > /dev/null
  printf 'sqlite\t%s\t%s\t\n' "$k" "$(echo "$(now) - $t0" | bc)"
done
printf 'sqlite\tend_to_end\t%s\t\n' "$(echo "$(now) - $start" | bc)"

#!/usr/bin/env bash
# Stores written by earlier releases (tests/data/store_v1.db, store_v2.db:
# markov.csv imported by the parity of schema versions 1 and 2) are read as
# they are, give the same numbers as the CSV, and become version 3 when
# opened for writing -- the settings table added, every snapshot kept --
# in one transaction: a store another connection holds stays as it was.
# Then the settings: a store imported with --grade-order none reads itself
# so, refuses files read otherwise (naming both), and takes them with
# --replace-settings.
# usage: store_versions.sh PARITY TESTS_DIR
set -euo pipefail
bin=$1 data=$2/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
strip() { grep -v -E '"(store|source|checksum|imported_at|rows)"' ; }
want=$("$bin" representation --input "$data/markov.csv" --format json | sed -n '/"groups"/,$p')
for v in 1 2; do
  cp "$data/store_v$v.db" "$tmp/s$v.db"
  chmod 600 "$tmp/s$v.db"
  [ "$(sqlite3 "$tmp/s$v.db" 'PRAGMA user_version')" = "$v" ] || fail "store_v$v.db is not version $v"
  got=$("$bin" representation --db "$tmp/s$v.db" --format json | sed -n '/"groups"/,$p')
  [ "$got" = "$want" ] || fail "version $v read: the numbers differ from the CSV's"
  [ "$(sqlite3 "$tmp/s$v.db" 'PRAGMA user_version')" = "$v" ] || fail "reading changed version $v"
  # a write lock held elsewhere: the upgrade waits, gives up, changes nothing
  /usr/bin/python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
time.sleep(12)' "$tmp/s$v.db" &
  sleep 1
  set +e
  "$bin" drop --date 1999-12-31 --db "$tmp/s$v.db" >/dev/null 2>"$tmp/err"
  set -e
  wait
  [ "$(sqlite3 "$tmp/s$v.db" 'PRAGMA user_version')" = "$v" ] || fail "a failed upgrade of version $v changed it"
  grep -q -E "busy|locked" "$tmp/err" || fail "version $v, store held: $(cat "$tmp/err")"
  # opened for writing: version 3, the settings table, the snapshots kept
  "$bin" import "$data/min_cell.csv" --date 2022-01-01 --db "$tmp/s$v.db" >/dev/null
  [ "$(sqlite3 "$tmp/s$v.db" 'PRAGMA user_version')" = 3 ] || fail "version $v not upgraded"
  [ "$(sqlite3 "$tmp/s$v.db" 'SELECT count(*) FROM snapshot')" = 3 ] || fail "version $v lost snapshots"
  [ "$(sqlite3 "$tmp/s$v.db" "SELECT value FROM setting WHERE key = 'grade_order'")" = un ] ||
    fail "version $v: the import's settings not kept"
  got=$("$bin" representation --db "$tmp/s$v.db" --at 2021-01-01 --format json | sed -n '/"groups"/,$p')
  [ "$got" = "$want" ] || fail "version $v after the upgrade: the numbers differ"
done
# settings
db=$tmp/none.db
printf 'snapshot_date,staff_id,sex,grade\n2024-12-31,a,F,Band 1\n2024-12-31,b,M,Band 2\n' >"$tmp/bands.csv"
printf 'snapshot_date,staff_id,sex,grade\n2025-12-31,a,F,P3\n2025-12-31,b,M,P4\n' >"$tmp/un.csv"
"$bin" import "$tmp/bands.csv" --grade-order none --db "$db" >/dev/null
"$bin" representation --db "$db" | grep -q '^Band 1 ' || fail "the store's grade order not read"
set +e
"$bin" import "$tmp/un.csv" --db "$db" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ $rc = 2 ] || fail "an import with another grade order: exit $rc"
grep -q -- "was imported with --grade-order \"none\"; these files are read with \"un\"" "$tmp/err" ||
  fail "the refusal does not name both: $(cat "$tmp/err")"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM snapshot')" = 1 ] || fail "a refused import changed the store"
"$bin" import "$tmp/un.csv" --db "$db" --replace-settings >/dev/null
[ "$(sqlite3 "$db" "SELECT value FROM setting WHERE key = 'grade_order'")" = un ] || fail "not replaced"
echo "store versions: 1 and 2 read as they are and upgraded to 3 atomically; settings kept, applied, guarded"

#!/usr/bin/env bash
# Stores written by earlier releases (tests/data/store_v1.db, store_v2.db:
# markov.csv imported by the parity of schema versions 1 and 2; store_v3.db:
# markov.csv and dated_slice.csv by that of version 3) are read as they are,
# give the same numbers as the CSV, and become version 4 when opened for
# writing -- the settings table added, the staff dictionary made the first
# chunk of table person with the same codes, every snapshot kept -- in one
# transaction: a store another connection holds stays as it was. The dates
# of version 3's rows, and of an import after the upgrade (kept by person),
# come back as the CSVs have them.
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
flows() { "$bin" flows "$@" --to 2021-01-01 --format json | sed -n '/"groups"/,$p'; }
for v in 1 2 3; do
  cp "$data/store_v$v.db" "$tmp/s$v.db"
  chmod 600 "$tmp/s$v.db"
  [ "$(sqlite3 "$tmp/s$v.db" 'PRAGMA user_version')" = "$v" ] || fail "store_v$v.db is not version $v"
  got=$("$bin" representation --db "$tmp/s$v.db" --at 2021-01-01 --format json | sed -n '/"groups"/,$p')
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
  # opened for writing (a drop of nothing): version 4, the people one
  # chunk, the same codes (flows follow people by them)
  people=$(sqlite3 "$tmp/s$v.db" 'SELECT group_concat(staff_id, ",") FROM (SELECT staff_id FROM staff_dict ORDER BY code)')
  "$bin" drop --date 1999-12-31 --db "$tmp/s$v.db" >/dev/null 2>&1 || true
  [ "$(sqlite3 "$tmp/s$v.db" 'PRAGMA user_version')" = 4 ] || fail "version $v not upgraded"
  sqlite3 "$tmp/s$v.db" "SELECT name FROM sqlite_master WHERE name = 'staff_dict'" | grep -q . &&
    fail "version $v upgraded keeps staff_dict"
  [ "$(/usr/bin/python3 -c 'import sqlite3, sys
print(",".join(b"".join(r[0] for r in sqlite3.connect(sys.argv[1]).execute(
    "SELECT ids FROM person ORDER BY first_code")).decode().split("\0")[:-1]))' "$tmp/s$v.db")" = "$people" ] ||
    fail "version $v: the people's codes changed in the upgrade"
  inputs=(--input "$data/markov.csv")
  [ $v = 3 ] && inputs+=(--input "$data/dated_slice.csv")
  [ "$(flows --db "$tmp/s$v.db")" = "$(flows "${inputs[@]}")" ] || fail "version $v upgraded: flows differ from the CSV's"
  n=$(sqlite3 "$tmp/s$v.db" 'SELECT count(*) FROM snapshot')
  printf 'snapshot_date,sex,grade\n2022-01-01,F,P3\n2022-01-01,M,P4\n' >"$tmp/2022.csv"
  "$bin" import "$tmp/2022.csv" --db "$tmp/s$v.db" >/dev/null
  [ "$(sqlite3 "$tmp/s$v.db" 'SELECT count(*) FROM snapshot')" = $((n + 1)) ] || fail "version $v lost snapshots"
  [ "$(sqlite3 "$tmp/s$v.db" "SELECT value FROM setting WHERE key = 'grade_order'")" = un ] ||
    fail "version $v: the import's settings not kept"
  got=$("$bin" representation --db "$tmp/s$v.db" --at 2021-01-01 --format json | sed -n '/"groups"/,$p')
  [ "$got" = "$want" ] || fail "version $v after the upgrade: the numbers differ"
done
# version 3's dates per row, then an import kept by person: one more year
# of the dated slice, S0002401's entry date corrected in it, and a newcomer
db=$tmp/s3.db
{ head -1 "$data/dated_slice.csv"
  grep '^2024-12-31' "$data/dated_slice.csv" | sed 's/^2024-12-31/2025-12-31/; /S0002401/s/,20[0-9][0-9]-[0-9][0-9]-[0-9][0-9],/,2001-02-03,/'
  echo '2025-12-31,S0009999,F,P2,Statistics,Vienna,field,fixed-term,2025-06-01,1990-01-01'
} >"$tmp/2025.csv"
grep -q '^2025-12-31,S0002401,.*,2001-02-03,' "$tmp/2025.csv" || fail "the corrected row was not made"
"$bin" import "$tmp/2025.csv" --db "$db" >/dev/null
[ "$(sqlite3 "$db" "SELECT kind FROM column_blob WHERE snapshot_date = '2025-12-31' AND name = 'entry_date'")" = person_date ] ||
  fail "the new import's dates are not kept by person"
# one row's entry date is not its person's: 8 bytes (row, day); birth dates none
[ "$(sqlite3 "$db" "SELECT group_concat(length(data)) FROM column_blob WHERE snapshot_date = '2025-12-31' AND name LIKE '%_date' ORDER BY name")" = 0,8 ] ||
  fail "the exceptions are not the one corrected date"
[ "$(sqlite3 "$db" "SELECT kind FROM column_blob WHERE snapshot_date = '2024-12-31' AND name = 'entry_date'")" = i32 ] ||
  fail "version 3's dates were rewritten"
"$bin" import --sql-rows --db "$db" >/dev/null
cols=snapshot_date,staff_id,sex,grade,department,duty_station,location_type,contract_type,entry_date,birth_date
sqlite3 -separator , "$db" "SELECT $cols FROM staff_row WHERE entry_date IS NOT NULL ORDER BY 1, 2" >"$tmp/got.csv"
{ tail -n +2 "$data/dated_slice.csv"; tail -n +2 "$tmp/2025.csv"; } | sort >"$tmp/want.csv"
cmp -s "$tmp/got.csv" "$tmp/want.csv" || fail "stored dates differ from the CSVs': $(diff "$tmp/got.csv" "$tmp/want.csv" | head -5)"
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
# the same settings, but grades none of which the store holds: another
# grade column (Montgomery's assignment categories, then its pay grades)
set +e
"$bin" import "$tmp/un.csv" --grade-order none --db "$db" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ $rc = 2 ] || fail "an import of grades none of which are stored: exit $rc"
grep -q 'holds the grades Band 1, Band 2; these files'"'"' grades are none of them (P3, P4)' "$tmp/err" ||
  fail "the grade refusal does not name both: $(cat "$tmp/err")"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM snapshot')" = 1 ] || fail "a refused import changed the store"
"$bin" import "$tmp/un.csv" --db "$db" --replace-settings >/dev/null
[ "$(sqlite3 "$db" "SELECT value FROM setting WHERE key = 'grade_order'")" = un ] || fail "not replaced"
# how each file was read is kept with its snapshot; sex codes are guarded
db=$tmp/sex.db
printf 'snapshot_date,staff_id,sex,Pay Grade\n2024-12-31,a,1,P3\n2024-12-31,b,2,P4\n' >"$tmp/s24.csv"
printf 'snapshot_date,staff_id,sex,Pay Grade\n2025-12-31,a,2,P3\n2025-12-31,b,1,P4\n' >"$tmp/s25.csv"
echo '{"columns": {"grade": "Pay Grade"}, "sex_codes": {"1": "F", "2": "M"}}' >"$tmp/c24.json"
echo '{"columns": {"grade": "Pay Grade"}, "sex_codes": {"1": "M", "2": "F"}}' >"$tmp/c25.json"
"$bin" import "$tmp/s24.csv" --config "$tmp/c24.json" --db "$db" >/dev/null
[ "$(sqlite3 "$db" "SELECT read_with FROM snapshot")" = '{"columns":{"grade":"Pay Grade"},"sex_codes":{"1":"F","2":"M"}}' ] ||
  fail "how the file was read is not kept: $(sqlite3 "$db" "SELECT read_with FROM snapshot")"
"$bin" snapshots --db "$db" --format json | grep -q '"read_with":' || fail "snapshots does not show how files were read"
set +e
"$bin" import "$tmp/s25.csv" --config "$tmp/c25.json" --db "$db" >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ $rc = 2 ] || fail "an import reading sex code 1 otherwise: exit $rc"
grep -q 'was imported with sex code "1" = F; these files are read with "1" = M' "$tmp/err" ||
  fail "the sex code refusal does not name both: $(cat "$tmp/err")"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM snapshot')" = 1 ] || fail "a refused import changed the store"
"$bin" import "$tmp/s25.csv" --config "$tmp/c25.json" --db "$db" --replace-settings >/dev/null
[ "$(sqlite3 "$db" "SELECT value FROM setting WHERE key = 'sex_codes'")" = '{"1":"M","2":"F"}' ] ||
  fail "sex codes not replaced"
echo "store versions: 1, 2 and 3 read as they are and upgraded to 4 atomically; dates kept; settings kept, applied, guarded; sex codes and grade columns guarded; how each file was read kept"

#!/usr/bin/env bash
# A pipe's import is checksummed in the same read as it is loaded: the same
# bytes piped again change nothing; other bytes for the same date are
# refused, then replace it with --replace (never "nothing changed").
# usage: stdin_import.sh PARITY_BINARY
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {
  local what=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $what"; fi
}
printf 'staff_id,sex,grade\n1,F,P4\n2,M,P4\n' > "$tmp/a.csv"
printf 'staff_id,sex,grade\n1,F,P4\n2,F,P4\n' > "$tmp/b.csv"
db="$tmp/s.db"
cat "$tmp/a.csv" | "$bin" import /dev/stdin --date 2024-12-31 --db "$db" > "$tmp/out1"
check "first import adds" grep -q "1 snapshot added" "$tmp/out1"
cat "$tmp/a.csv" | "$bin" import - --date 2024-12-31 --db "$db" > "$tmp/out2"
check "the same bytes: nothing changed" grep -q "nothing changed" "$tmp/out2"
cat "$tmp/b.csv" | "$bin" import /dev/stdin --date 2024-12-31 --db "$db" > "$tmp/out3" 2> "$tmp/err3"
check "other bytes: refused" test $? -ne 0
check "other bytes: said why" grep -q "with other content" "$tmp/err3"
cat "$tmp/b.csv" | "$bin" import /dev/stdin --date 2024-12-31 --db "$db" --replace > "$tmp/out4"
check "--replace: replaced" grep -q "1 replaced" "$tmp/out4"
"$bin" representation --db "$db" --by '' --format csv > "$tmp/rep"
check "b's two women are stored" grep -q "^2,0,0,0,2," "$tmp/rep"
echo "stdin import: $pass passed, $fail failed"
[ $fail -eq 0 ]

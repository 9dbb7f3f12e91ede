#!/usr/bin/env bash
# Golden CLI tests, one case per file in cases/*.t:
#
#   # what the case shows
#   args: representation --input messy.csv --by grade
#   exit: 0
#   --- stdout
#   ...expected standard output...
#   --- stderr
#   ...expected standard error...
#
# The command runs in tests/data, so file names in messages are stable. Each
# expectation was written by hand from the input files (see the comments in
# the cases), not pasted from a run.
# usage: run.sh PARITY_BINARY TESTS_DIR [CASE...]
set -u
bin=$1
dir=$2
shift 2
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=("$dir"/cli/cases/*.t)
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "${cases[@]}"; do
  name=$(basename "$t" .t)
  args=$(sed -n 's/^args: //p' "$t" | head -1)
  want_exit=$(sed -n 's/^exit: //p' "$t" | head -1)
  awk '/^--- stdout$/{s=1;next} /^--- stderr$/{s=0} s' "$t" > "$tmp/want_out"
  awk '/^--- stderr$/{s=1;next} s' "$t" > "$tmp/want_err"
  (cd "$dir/data" && eval "\"$bin\" $args") > "$tmp/out" 2> "$tmp/err"
  got_exit=$?
  ok=1
  if [ "$got_exit" != "$want_exit" ]; then
    echo "FAIL $name: exit $got_exit, expected $want_exit"; ok=0
  fi
  if ! diff -u "$tmp/want_out" "$tmp/out" > "$tmp/d1"; then
    echo "FAIL $name: stdout differs"; cat "$tmp/d1"; ok=0
  fi
  if ! diff -u "$tmp/want_err" "$tmp/err" > "$tmp/d2"; then
    echo "FAIL $name: stderr differs"; cat "$tmp/d2"; ok=0
  fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/usr/bin/env bash
# Writes the output of every command, in every format, on the bundled
# sample and the test files into DIR (one file per command), so that two
# builds can be compared byte for byte: a refactoring changes none of them.
# usage: outputs.sh PARITY_BINARY REPO_DIR OUT_DIR
set -u
bin=$1
repo=$2
out=$3
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$repo/tests/data"
sample=$repo/data/sample.csv
n=0
run() { # name, args...
  local name=$1; shift
  "$bin" "$@" > "$out/$name.out" 2> "$out/$name.err"
  echo "exit $?" >> "$out/$name.err"
  n=$((n + 1))
}
for fmt in table json csv md; do
  run repr_grade_$fmt representation --input "$sample" --format $fmt
  run repr_cat_loc_$fmt representation --input "$sample" --by category,location_type --at 2020-12-31 --format $fmt
  run repr_snap_$fmt representation --input "$sample" --by snapshot_date --format $fmt
  run repr_all_$fmt representation --input "$sample" --by '' --format $fmt
  run flows_$fmt flows --input "$sample" --format $fmt
  run flows_cat_$fmt flows --input "$sample" --from 2020-12-31 --by category --format $fmt
  run flows_period_$fmt flows --input "$sample" --from 2022-12-31 --by period,category --format $fmt
  run targets_$fmt targets --input "$sample" --target grade=P4:0.5:2028 --target grade=G3:0.5:2027 --target category=D:0.5:2030 --target grade=P4:0.5:2028:hires --target all:0.5:2030:promotions --format $fmt
  run trend_$fmt project --input "$sample" --format $fmt
  run trend_cat_$fmt project --input "$sample" --by category,location_type --horizon 2040 --format $fmt
  run flow_$fmt project --input "$sample" --method flow --horizon 2032 --format $fmt
  run flow_mc_$fmt project --input "$sample" --method flow --horizon 2030 --simulations 200 --seed 3 --format $fmt
  run flow_whatif_$fmt project --input "$sample" --method flow --horizon 2030 --set hire_share:P4=0.75 --set separation_rate.female:P5=0.05 --set promotion_rate:P3=0.1 --set growth=0.02 --format $fmt
  run messy_$fmt representation --input messy.csv --by duty_station --format $fmt
  run aggregated_$fmt project --input trend.csv --format $fmt
  run markov_$fmt project --input markov.csv --method flow --horizon 2025 --set hires=0 --format $fmt
done
for f in *.csv; do
  run "validate_$f" validate "$f"
  run "validate_date_$f" validate "$f" --date 2024-12-31
done
run montgomery representation --input montgomery_2016_slice.csv --date 2016-12-31 --column sex=Gender --column "department=Department Name" --grade-order none --by department
"$bin" import --db "$tmp/s.db" "$sample" > "$out/import.out" 2>&1
run store_repr representation --db "$tmp/s.db" --by grade,location_type --format json
run store_flows flows --db "$tmp/s.db" --format csv
sed -i "s#$tmp#TMP#g" "$out"/store_*.out "$out/import.out"
for c in representation flows targets project validate import snapshots drop; do
  run "help_$c" "$c" --help
done
run help --help
echo "outputs: $n commands written to $out"

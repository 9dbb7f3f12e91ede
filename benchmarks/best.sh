# best SETUP COMMAND...: the best wall time, in seconds, of three runs of
# COMMAND (its output discarded), SETUP evaluated before each (e.g. removing
# the file it builds; "" for none). Sourced by benchmarks/report.sh and
# benchmarks/store.sh; exits on a failed run.
best() {
  local b= setup=$1
  shift
  for _ in 1 2 3; do
    eval "$setup"
    local s e t
    s=$(date +%s%N)
    "$@" >/dev/null || { echo "benchmark: failed: $*" >&2; exit 1; }
    e=$(date +%s%N)
    t=$(echo "scale=3; ($e - $s) / 1000000000" | bc)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}

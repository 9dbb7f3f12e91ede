# What benchmarks/report.sh and benchmarks/store.sh share (sourced).
#
# bench_setup: what they need -- the Debian packages, a Release build, the
# DuckDB peer's node package.
bench_setup() {
  scripts/deps >/dev/null
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)" >/dev/null
  (cd benchmarks/peers && { [ -d node_modules/@duckdb/node-api ] || npm install --no-audit --no-fund --silent >/dev/null; })
}

# best SETUP COMMAND...: the best wall time, in seconds, of three runs of
# COMMAND (its output discarded), SETUP evaluated before each (e.g. removing
# the file it builds; "" for none); exits on a failed run.
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

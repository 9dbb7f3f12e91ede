#!/usr/bin/env bash
# Times a whole process from outside, for benchmarks/run's fresh-process
# kernels: runs the command (its output discarded) and prints the kernel line
# "ENGINE<TAB>KERNEL<TAB>seconds".
#   benchmarks/whole.sh ENGINE KERNEL COMMAND...
set -uo pipefail
engine=$1 kernel=$2
shift 2
start=$(date +%s%N)
"$@" >/dev/null || exit 1
end=$(date +%s%N)
printf '%s\t%s\t%s\t\t\n' "$engine" "$kernel" "$(echo "scale=6; ($end - $start) / 1000000000" | bc)"

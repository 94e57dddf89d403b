#!/usr/bin/env bash
# First JIT measurement: fib 30 and collatz to 10 000 under the JIT, the
# interpreter, python3 and gcc -O2, side by side. Whole-process times are
# wall clock of one run each (best of 3); in-process times and JIT compile
# time per function come from the `jit_bench` example.
# Usage: evals/bench/run.sh   (from the workspace root)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=evals/bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build -q --bin synoema --example jit_bench -p synoema-compiler -p synoema 2>/dev/null || cargo build -q
bin=target/debug/synoema
best() { # best wall time of 3 runs, in ms
  local b=999999999
  for _ in 1 2 3; do
    local s=$(date +%s%N); "$@" >/dev/null; local e=$(date +%s%N)
    local t=$(( (e - s) / 1000 )); (( t < b )) && b=$t
  done
  printf "%d.%03d" $((b / 1000)) $((b % 1000))
}
printf "%-10s %12s %12s %12s %12s  (whole process, ms)\n" bench gcc-O2 python3 jit interp
for b in fib collatz; do
  gcc -O2 -o "$tmp/$b" "$dir/$b.c"
  printf "%-10s %12s %12s %12s %12s\n" "$b" "$(best "$tmp/$b")" "$(best python3 "$dir/$b.py")" \
    "$(best $bin run --engine jit "$dir/$b.sno")" "$(best $bin run --engine interp "$dir/$b.sno")"
done
echo
target/debug/examples/jit_bench "$dir/fib.sno" "$dir/collatz.sno"

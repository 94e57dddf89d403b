#!/usr/bin/env bash
# The JIT benchmark suite, from the workspace root: builds the release
# `synoema` binary and the `jit_bench` example, then runs bench.py (see its
# docstring for what is measured and how). Options go to bench.py:
#   evals/bench/run.sh [--runs N] [--inproc-runs N] [--interp] [--only a,b]
#                      [--check] [--write-baseline]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet -p synoema --bin synoema
cargo build --release --quiet -p synoema-compiler --example jit_bench
exec python3 evals/bench/bench.py "$@"

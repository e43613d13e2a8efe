#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hook-firing cost in instructions (x86-64 host, callgrind), the runtime's counterpart of the
# paper's 109 and 1,750 Cortex-M4 cycles for an empty hook and one trivial container.
# Builds its own copy with -O2 (the release build's flags) so it needs no CMake target.
# usage: bench/hooks/run.sh [CC]   (CC defaults to cc)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${1:-cc}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v valgrind >/dev/null || { echo "run.sh: valgrind is needed (scripts/setup.sh installs it)"; exit 1; }
"$cc" -std=c11 -O2 -DNDEBUG -D_DEFAULT_SOURCE -I"$root/include" -I"$root/sdk/include" \
  "$root"/src/core/*.c "$root"/src/runtime/*.c "$root/src/port/null.c" \
  "$root/bench/hooks/hook_bench.c" -o "$out/hook_bench"
N=1000
for mode in empty trivial counter; do
  valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/cg.$mode" \
    "$out/hook_bench" "$mode" "$N" >/dev/null 2>"$out/log.$mode"
  total=$(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.$mode")
  per=$(( (total + N / 2) / N ))
  case $mode in
    empty)   label="fire, nothing attached" ;;
    trivial) label="fire, one trivial container (r0 = 0; exit)" ;;
    counter) label="fire, one thread-counter container (2 store helpers)" ;;
  esac
  printf '%-55s %6d instructions\n' "$label" "$per"
done

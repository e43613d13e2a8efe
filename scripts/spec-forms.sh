#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What each group of specialised forms buys, kernel by kernel: callgrind
# instructions per run of fc_vm_run on the 15 bench kernels, raw and
# specialised, with every group of forms and with one group left out
# (FC_SPEC_OFF=<group>, a build knob of src/core/specialise.c; the groups are
# FC_SPEC_GROUPS there). Prints a Markdown table (docs/vm.md's per-form
# table is this script's output) and the geometric means.
#   scripts/spec-forms.sh [build-dir-prefix]   (BENCH_RUNS=N runs per count, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
pre=${1:-build-spec}
N=${BENCH_RUNS:-5}
command -v valgrind >/dev/null || { echo "spec-forms: valgrind missing (scripts/setup.sh)"; exit 1; }
groups=$(sed -n '/^#define FC_SPEC_GROUPS(X)/,/^$/p' src/core/specialise.c | grep -o 'X([A-Z0-9_]*' | sed 's/X(//')
[ -n "$groups" ] || { echo "spec-forms: no FC_SPEC_GROUPS in src/core/specialise.c"; exit 1; }

build() { # dir extra-cflags
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$2" >/dev/null
  cmake --build "$1" -j2 --target fc_bench >/dev/null
}
count() { # bench-binary image-dir kernel mode
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=fc_vm_run \
    "$1" measure "$2" "$3" "$4" "$N" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' |
    awk -v n="$N" '{ print int($1 / n) }'
}

build "$pre-all" ""
B="$pre-all/bin/fc_bench"; IMG="$pre-all/bench"
kernels=$("$B" list)
tmp=$(mktemp -d)
for k in $kernels; do
  echo "$k $(count "$B" "$IMG" "$k" vm) $(count "$B" "$IMG" "$k" fast)" >>"$tmp/all"
done
for g in $groups; do
  build "$pre-off" "-DFC_SPEC_OFF=FC_SPEC_G_$g"
  for k in $kernels; do
    echo "$k $(count "$pre-off/bin/fc_bench" "$pre-off/bench" "$k" fast)" >>"$tmp/$g"
  done
done

gm() { awk '{ l += log($1); n++ } END { printf "%.4f", exp(l / n) }'; }
echo "| group | $(echo $kernels | sed 's/ / | /g') | geomean | kernels it pays on (>= 1%) |"
echo "|---$(for k in $kernels; do printf '|---:'; done)|---:|---|"
# a cell: instructions without the group / with every group (above 1.00: the group pays there)
for g in $groups; do
  join <(sort "$tmp/all") <(sort "$tmp/$g") >"$tmp/j"
  row=""; pays=0
  for k in $kernels; do
    r=$(awk -v k="$k" '$1 == k { printf "%.3f", $4 / $3 }' "$tmp/j")
    row="$row | $r"
    pays=$((pays + $(awk -v r="$r" 'BEGIN { print (r >= 1.01) ? 1 : 0 }')))
  done
  echo "| $g$row | $(awk '{ print $4 / $3 }' "$tmp/j" | gm) | $pays |"
done
echo
awk '{ lv += log($2); lf += log($3); n++ } END { printf "raw / specialised, geometric mean over %d kernels: %.3f (callgrind instructions of fc_vm_run)\n", n, exp((lv - lf) / n) }' "$tmp/all"
rm -rf "$tmp"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Machine-checked guarantees for the core (docs/proofs.md), with Frama-C:
#  1. WP proves the ACSL contracts of the address translation
#     (fc_mem_xlate, fc_mem_xlate_insn, fc_vm_translate, fc_vm_translate_span,
#     and the compact interpreter's region_of);
#  2. EVA analyses the verifier (compact and fast builds) over every input up
#     to the harness sizes (proofs/eva_*.c), and the image parser, whose
#     contracts (include/fc/image.h, src/core/image.c) WP proves for every
#     input in the same session;
#  3. EVA analyses the compact interpreter after the verifier over every
#     program up to the harness size.
# Every property EVA leaves unproven must be listed in proofs/expected/<run>.txt
# (with the reason); a new one, an invalid one or an unproven WP goal fails.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
OUT=${PROVE_OUT:-build-prove}
mkdir -p "$OUT"
fail=0

if ! command -v frama-c >/dev/null || ! command -v why3 >/dev/null; then
  echo "prove: frama-c or why3 missing (scripts/setup.sh installs frama-c-base why3 z3 cvc4)"; exit 1
fi
# WP reaches z3 and cvc4 through why3, which must have detected them once.
if ! why3 config list-provers 2>/dev/null | grep -q "^Z3" ||
   ! why3 config list-provers 2>/dev/null | grep -q "^CVC4"; then
  why3 config detect >"$OUT/why3-detect.log" 2>&1 || { cat "$OUT/why3-detect.log"; exit 1; }
fi
echo "prove: $(frama-c -version), $(why3 config list-provers | grep -E '^(Z3|CVC4) [0-9.]+$' | tr '\n' ' ')"

# What the sources need under Frama-C: C11, the builtins as the libc calls
# Frama-C models, no SSE2 vector path, the switch dispatch.
FC=(frama-c -c11 -machdep x86_64
    -cpp-extra-args=-Iinclude -cpp-extra-args=-Isrc/core
    -cpp-extra-args=-D__builtin_memcpy=memcpy -cpp-extra-args=-D__builtin_memset=memset
    -cpp-extra-args=-U__SSE2__
    -cpp-extra-args=-DFC_COMPUTED_GOTO=0)

wp() { # name files... -- functions
  local name=$1; shift
  local files=() fns
  while [ "$1" != "--" ]; do files+=("$1"); shift; done
  fns=$2
  "${FC[@]}" "${files[@]}" -wp -wp-rte -wp-model typed+cast -wp-prover z3,cvc4 \
    -wp-par "$JOBS" -wp-timeout 10 -wp-fct "$fns" -wp-session "$OUT/wp-$name" \
    >"$OUT/wp-$name.log" 2>&1
  local line; line=$(grep -E "Proved goals: +[0-9]+ / [0-9]+" "$OUT/wp-$name.log" | tail -1)
  if [ -z "$line" ]; then
    echo "prove: WP $name did not run"; tail -20 "$OUT/wp-$name.log"; fail=1; return
  fi
  local p t
  p=$(echo "$line" | sed -E 's/.*: +([0-9]+) \/ ([0-9]+).*/\1/')
  t=$(echo "$line" | sed -E 's/.*: +([0-9]+) \/ ([0-9]+).*/\2/')
  echo "prove: WP $name ($fns): $p / $t goals proved"
  if [ "$p" != "$t" ] || [ "$t" -eq 0 ]; then
    grep -E "\[(Failed|Timeout|Unknown)\]|Goal .*: (Unknown|Timeout|Failed)" "$OUT/wp-$name.log" | head -20
    fail=1
  fi
}

eva() { # name defines files... [-- WP functions]: EVA, then WP in the same session
  local name=$1 defs=$2; shift 2
  local csv="$OUT/eva-$name.csv" got="$OUT/eva-$name.got" exp="proofs/expected/$name.txt"
  local files=() wpargs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do files+=("$1"); shift; done
  if [ $# -gt 0 ]; then
    # WP proves the functions' contracts and, with them, the alarms EVA raised there;
    # the report then shows those alarms proven (consolidated statuses)
    wpargs=(-then -wp -wp-rte -wp-model typed+cast -wp-prover z3,cvc4 -wp-par "$JOBS"
            -wp-timeout 10 -wp-fct "$2" -wp-session "$OUT/wp-$name")
  fi
  # shellcheck disable=SC2086
  "${FC[@]}" $defs "${files[@]}" -eva -eva-precision 2 -eva-no-print -eva-msg-key=-summary \
    -eva-split-return auto "${wpargs[@]}" -then -metrics -metrics-eva-cover \
    -then -report-csv "$csv" -report-no-proven >"$OUT/eva-$name.log" 2>&1
  if [ ${#wpargs[@]} -gt 0 ]; then
    local line p t
    line=$(grep -E "Proved goals: +[0-9]+ / [0-9]+" "$OUT/eva-$name.log" | tail -1)
    p=$(echo "$line" | sed -E 's/.*: +([0-9]+) \/ ([0-9]+).*/\1/')
    t=$(echo "$line" | sed -E 's/.*: +([0-9]+) \/ ([0-9]+).*/\2/')
    echo "prove: WP $name ($2): ${p:-0} / ${t:-?} goals proved"
    if [ -z "$line" ] || [ "$p" != "$t" ]; then
      grep -E "\[(Failed|Timeout|Unknown)\]" "$OUT/eva-$name.log" | head -20; fail=1
    fi
  fi
  if [ ! -s "$csv" ] || grep -qE "Frama-C aborted|User Error" "$OUT/eva-$name.log"; then
    echo "prove: EVA $name did not complete"; tail -20 "$OUT/eva-$name.log"; fail=1; return
  fi
  # one key per property, without line numbers (they move with every edit):
  # file, function (Frama-C's _N copies of static inlines folded), kind, text
  tail -n +2 "$csv" | awk -F'\t' '{ f = $4; sub(/_[0-9]+$/, "", f); print $2 " | " f " | " $5 " | " $6 " | " $7 }' |
    sort -u >"$got.all"
  # the contracts of the translation functions are WP's (step 1): EVA cannot
  # evaluate their predicates; what callers must establish stays listed
  grep -vE "^((vm\.h|vm_internal\.h) \| (fc_mem_xlate|fc_mem_xlate_insn|fc_vm_translate|fc_vm_translate_span)|interp_compact\.c \| region_of) \| (pre|post)condition \|" \
    "$got.all" >"$got"
  # a harness that stopped reaching the code would prove nothing: EVA must reach
  # at least 90% of the statements of the functions it analyses
  local cover; cover=$(grep -E "stmts in analyzed functions, [0-9]+ stmts analyzed" "$OUT/eva-$name.log" |
    sed -E 's/.*\(([0-9]+)\.[0-9]%\).*/\1/')
  echo "prove: EVA $name: $(grep -oE "[0-9]+ stmts in analyzed functions, [0-9]+ stmts analyzed \([0-9.]+%\)" "$OUT/eva-$name.log")"
  if [ -z "$cover" ] || [ "$cover" -lt 90 ]; then echo "prove: EVA $name: coverage below 90%"; fail=1; fi
  local invalid; invalid=$(grep -c " | Invalid" "$got")
  local unknown; unknown=$(grep -vc " | Invalid" "$got")
  local new; new=$(grep -v '^#' "$exp" 2>/dev/null | grep -v '^$' | sort -u | comm -13 - "$got")
  local gone; gone=$(grep -v '^#' "$exp" 2>/dev/null | grep -v '^$' | sort -u | comm -23 - "$got")
  local listed; listed=$(grep -v '^#' "$exp" 2>/dev/null | grep -vc '^$')
  echo "prove: EVA $name: $unknown unproven properties, $listed listed in $exp, $invalid invalid"
  if [ -n "$new" ]; then
    echo "prove: EVA $name: NEW (not in $exp):"; echo "$new" | sed 's/^/    /'; fail=1
  fi
  if [ "$invalid" -ne 0 ]; then fail=1; fi
  if [ -n "$gone" ]; then
    echo "prove: EVA $name: listed but no longer raised (remove from $exp):"; echo "$gone" | sed 's/^/    /'
  fi
}

start=$SECONDS
wp translate src/core/vm.c -- fc_mem_xlate,fc_vm_translate,fc_vm_translate_span
wp translate-insn proofs/wp_xlate.c -- fc_mem_xlate_insn
# the compact interpreter's translation, and its use in xlate (restated there for EVA)
wp translate-compact -cpp-extra-args=-DFC_COMPACT=1 src/core/interp_compact.c -- region_of
wp translate-compact-use -cpp-extra-args=-DFC_COMPACT=1 -wp-prop=fc_region_of src/core/interp_compact.c -- xlate
# harness sizes (docs/proofs.md): the largest each analysis keeps free of imprecision
# (proofs/err_model.c: the compact verifier's reason is fc_strerror() of the error)
eva verify-compact "-cpp-extra-args=-DFC_COMPACT=1 -cpp-extra-args=-DFC_PROOF_SLOTS=1024" \
  src/core/vm.c src/core/verify.c proofs/err_model.c proofs/eva_verify.c
eva verify-fast "-cpp-extra-args=-DFC_COMPACT=0 -cpp-extra-args=-DFC_PROOF_SLOTS=16" src/core/vm.c src/core/verify.c proofs/eva_verify.c
eva image "" src/core/image.c proofs/eva_image.c -- \
  rd16,rd32,word,fc_image_checksum,place,is_ident,check_name,name_cmp,check_tables,check_lines,parse,fc_image_parse,fc_image_entry_at,fc_image_helper_at,fc_image_ram_size
eva interp-compact "-cpp-extra-args=-DFC_COMPACT=1 -cpp-extra-args=-DFC_PROOF_SLOTS=256" src/core/vm.c src/core/verify.c proofs/err_model.c \
  src/core/interp_compact.c proofs/eva_interp.c
echo "prove: $((SECONDS - start)) s"
if [ "$fail" -ne 0 ]; then echo "prove: FAILED"; exit 1; fi
echo "prove: all goals proved, no alarm outside proofs/expected/"

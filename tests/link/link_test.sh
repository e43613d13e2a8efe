#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# femto build + femto run end to end: ordinary C gives the native result;
# what cannot be linked is refused with the symbol named.
# usage: link_test.sh FEMTO SRCDIR
set -u
femto=$1; src=$2; tmp=$(mktemp -d); pass=0; fail=0
trap 'rm -rf "$tmp"' EXIT
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

cc -DNATIVE -O2 -o "$tmp/native" "$src/ordinary.c" && want=$("$tmp/native")
check "ordinary C builds" '"$femto" build "$src/ordinary.c" -o "$tmp/o.img"'
got=$("$femto" run "$tmp/o.img" --entry main_entry | tail -1)
check "ordinary C gives the native result ($want)" '[ "${got%% (*}" = "$want" ]'
# the image runs again from scratch with the same result (globals reset per load)
got2=$("$femto" run "$tmp/o.img" --entry main_entry | tail -1)
check "second run agrees" '[ "$got2" = "$got" ]'
# two objects linked together: entries from both
check "link of two objects" '"$femto" build "$src/ordinary.c" "$src/../../bench/kernels/fletcher32.c" -I "$src/../../bench/kernels" -o "$tmp/two.img"'
# undefined function: refused, named
out=$("$femto" build "$src/bad_undefined.c" -o "$tmp/bad.img" 2>&1); rc=$?
check "undefined function refused (rc=$rc)" '[ $rc -eq 1 ] && echo "$out" | grep -q not_defined_anywhere'
check "no image left behind for a failed link" '[ ! -e "$tmp/bad.img" ]'
# not an ELF object
echo garbage > "$tmp/x.o"
out=$("$femto" link "$tmp/x.o" -o "$tmp/x.img" 2>&1); rc=$?
check "garbage object refused (rc=$rc)" '[ $rc -eq 1 ] && echo "$out" | grep -q "not an ELF"'
# usage errors
"$femto" link >/dev/null 2>&1; rc=$?
check "link without arguments is a usage error" '[ $rc -eq 2 ]'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# femto run as a debugger, end to end: --sensor, --store, --mem-out, the budget
# used (checked against --budget: the figure is exact), the default budget being
# the runtime's FC_HOOK_BUDGET_DEFAULT, and a fault mapped to its C line through
# the line table of an image built with femto build -g.
# usage: run_test.sh FEMTO SOURCE_DIR SHARED_DIR
set -u
femto=$1
src=$2
shared=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

"$femto" run --help >"$tmp/help" || fail "--help"
for o in --sensor --store --mem-out --budget; do
  grep -q -- "$o" "$tmp/help" || fail "--help does not describe $o"
done
ok

# --- a fault names its C line (femto build -g), and only then ---------------------
"$femto" build "$here/fault.c" -o "$tmp/fault.img" -g >/dev/null || fail "build -g fault.c"
"$femto" build "$here/fault.c" -o "$tmp/fault0.img" >/dev/null || fail "build fault.c"
line=$(grep -n "FAULT:" "$here/fault.c" | cut -d: -f1)
printf 'abcd' >"$tmp/four"
"$femto" run "$tmp/fault.img" --mem "$tmp/four" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "fault exit code $rc"
grep -q "memory access out of bounds" "$tmp/err" || fail "fault cause: $(cat "$tmp/err")"
grep -q "at $here/fault.c:$line " "$tmp/err" || fail "fault line (want fault.c:$line): $(cat "$tmp/err")"
# the loop over the 4 bytes went back 3 times before the fault
grep -q "^budget: [1-9][0-9]* of [0-9]* used before the fault$" "$tmp/out" || fail "budget before the fault: $(cat "$tmp/out")"
grep -q "r0 =" "$tmp/out" && fail "a fault printed a result"
ok
"$femto" run "$tmp/fault0.img" --mem "$tmp/four" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "fault (no -g) exit code $rc"
grep -q "fault.c:" "$tmp/err" && fail "an image without a line table named a line"
"$femto" info "$tmp/fault.img" | grep -q "^    lines .* rows, 1 files; debug info)$" || fail "info: lines"
"$femto" info "$tmp/fault0.img" | grep -q "^    lines" && fail "info: lines without -g"
# the line table costs bytes in the image, nothing in the code
s1=$(stat -c %s "$tmp/fault.img"); s0=$(stat -c %s "$tmp/fault0.img")
[ "$s1" -gt "$s0" ] || fail "line table size: $s1 vs $s0"
"$femto" disasm "$tmp/fault.img" >"$tmp/d1" && "$femto" disasm "$tmp/fault0.img" >"$tmp/d0" ||
  fail "disasm"
diff <(tail -n +3 "$tmp/d0") <(tail -n +3 "$tmp/d1") >/dev/null || fail "-g changed the code"
ok

# two C files in one image: the second file's code maps to its own lines
"$femto" build "$here/bump.c" "$here/fault.c" -o "$tmp/two.img" -g >/dev/null || fail "build two files -g"
"$femto" run "$tmp/two.img" --entry peek --mem "$tmp/four" >/dev/null 2>"$tmp/err"
grep -q "at $here/fault.c:$line " "$tmp/err" || fail "second file's line: $(cat "$tmp/err")"
ok
# femto link -g of the object gives the same line; femto link without -g none
"$femto" build "$here/fault.c" -o "$tmp/k.img" --keep-obj >/dev/null || fail "build --keep-obj"
"$femto" link "$tmp/k.img.0.o" -o "$tmp/kl.img" -g || fail "link -g"
"$femto" run "$tmp/kl.img" --mem "$tmp/four" >/dev/null 2>"$tmp/err"
grep -q "at $here/fault.c:$line " "$tmp/err" || fail "link -g line: $(cat "$tmp/err")"
"$femto" run "$tmp/k.img" --mem "$tmp/four" >/dev/null 2>"$tmp/err"
grep -q "fault.c:" "$tmp/err" && fail "link without -g named a line"
ok

# femto verify and femto run of a -g image name the rejected line too
"$femto" build "$here/badcall.c" -o "$tmp/bad.img" -g --no-verify >/dev/null || fail "build badcall"
bl=$(grep -n "REJECTED" "$here/badcall.c" | cut -d: -f1)
"$femto" verify "$tmp/bad.img" >"$tmp/out" 2>&1 && fail "verify accepted an unknown helper"
grep -q "at $here/badcall.c:$bl " "$tmp/out" || fail "verify line (badcall.c:$bl): $(cat "$tmp/out")"
"$femto" run "$tmp/bad.img" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "run of a rejected image: exit $rc"
grep -q "at $here/badcall.c:$bl " "$tmp/err" || fail "run rejection line: $(cat "$tmp/err")"
ok

# --- --sensor -------------------------------------------------------------------
"$femto" build "$src/examples/sensor_alarm/sensor_alarm.c" -o "$tmp/sa.img" >/dev/null || fail "build sensor_alarm"
out=$("$femto" run "$tmp/sa.img" --sensor temp=30.5) || fail "run temp=30.5"
[ "$(last "$out")" = "r0 = 0x1 (1)" ] || fail "30.5 C is above the 30.0 threshold: $out"
out=$("$femto" run "$tmp/sa.img" --sensor temp=29.9) || fail "run temp=29.9"
[ "$(last "$out")" = "r0 = 0x0 (0)" ] || fail "29.9 C is below: $out"
# the alarm looks for the first temperature sensor: index 1 here, scale 0
out=$("$femto" run "$tmp/sa.img" --sensor light=500 --sensor temp=31) || fail "run two sensors"
[ "$(last "$out")" = "r0 = 0x1 (1)" ] || fail "second sensor: $out"
out=$("$femto" run "$tmp/sa.img" --sensor humidity=99) || fail "run humidity"
[ "$(last "$out")" = "r0 = 0xffffffff (4294967295)" ] || fail "no temperature sensor: $out"
for bad in nope=1 temp=abc temp= temp=1.2.3 temp=12345678901 temp; do
  "$femto" run "$tmp/sa.img" --sensor "$bad" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] || fail "--sensor $bad: exit $rc"
  grep -q "bad --sensor" "$tmp/err" || fail "--sensor $bad message: $(cat "$tmp/err")"
done
ok

# --- --store: preload, run, write back ----------------------------------------------
"$femto" build "$src/examples/thread_counter/thread_counter.c" -o "$tmp/tc.img" >/dev/null || fail "build tc"
printf '\001\000\000\000\003\000\000\000' >"$tmp/ctx3"
for i in 1 2 3; do
  out=$("$femto" run "$tmp/tc.img" --mem "$tmp/ctx3" --store "$tmp/store") || fail "tc run $i"
  [ "$(last "$out")" = "r0 = 0x0 (0)" ] || fail "tc result $i: $out"
done
[ "$(cat "$tmp/store")" = "tenant 3 3" ] || fail "three switches into thread 3: $(cat "$tmp/store")"
printf '# a comment\nglobal 7 0x10\ntenant 3 41\nlocal 2 9\n' >"$tmp/store"
"$femto" run "$tmp/tc.img" --mem "$tmp/ctx3" --store "$tmp/store" >/dev/null || fail "tc preloaded"
printf 'global 7 16\ntenant 3 42\nlocal 2 9\n' >"$tmp/want"
diff "$tmp/want" "$tmp/store" >/dev/null || fail "store written back: $(cat "$tmp/store")"
ok
for bad in 'tenant 3' 'bogus 1 2' 'tenant x 1' 'tenant 4294967296 1' 'tenant 1 -2' 'tenant 1 2 3'; do
  printf '%s\n' "$bad" >"$tmp/bad"
  "$femto" run "$tmp/tc.img" --mem "$tmp/ctx3" --store "$tmp/bad" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 3 ] || fail "store line '$bad': exit $rc"
  grep -q "bad:1: expected" "$tmp/err" || fail "store line '$bad' message: $(cat "$tmp/err")"
done
ok

# --- --mem-out: the context written back ------------------------------------------
"$femto" build "$here/bump.c" -o "$tmp/bump.img" >/dev/null || fail "build bump"
printf '\001\001\001\001\001' >"$tmp/five"
out=$("$femto" run "$tmp/bump.img" --mem "$tmp/five" --mem-out "$tmp/five.out") || fail "bump run"
[ "$(last "$out")" = "r0 = 0x5 (5)" ] || fail "bump result: $out"
[ "$(od -An -tx1 "$tmp/five.out" | tr -s ' ')" = " 01 02 03 04 05" ] ||
  fail "context written back: $(od -An -tx1 "$tmp/five.out")"
cmp -s "$tmp/five" <(printf '\001\001\001\001\001') || fail "--mem-out changed the input file"
# also after a fault: what the container wrote before it
"$femto" run "$tmp/fault.img" --mem "$tmp/four" --mem-out "$tmp/four.out" >/dev/null 2>&1
cmp -s "$tmp/four" "$tmp/four.out" || fail "context after a fault"
ok

# --- the budget used is exact: the run completes with it and not with one less -----
input=$shared/bench/fletcher32-input.txt
"$femto" build "$src/examples/fletcher32/fletcher32.c" -o "$tmp/f.img" >/dev/null || fail "build fletcher32"
out=$("$femto" run "$tmp/f.img" --mem "$input") || fail "fletcher32 run"
[ "$(last "$out")" = "r0 = 0x8a49b4c2 (2320086210)" ] || fail "fletcher32: $out"
default=$(sed -n 's/^#define FC_HOOK_BUDGET_DEFAULT \([0-9]*\)u.*/\1/p' "$src/include/fc/runtime.h")
[ -n "$default" ] || fail "FC_HOOK_BUDGET_DEFAULT not found"
used=$(sed -n "s/^budget: \([0-9]*\) of $default used$/\1/p" <<<"$out")
[ -n "$used" ] && [ "$used" -gt 0 ] || fail "budget line (default $default): $out"
slots=$("$femto" info "$tmp/f.img" | sed -n 's/^    text .*(\([0-9]*\) slots)$/\1/p')
# the exact count (tests/runtime/femto_run.sh checks it by construction) is within the engines'
# bound: at most the budget used + the code's slots
cout=$("$femto" run "$tmp/f.img" --mem "$input" --count) || fail "fletcher32 --count run"
grep -q "^budget: $used of $default used$" <<<"$cout" || fail "--count charges the same budget: $cout"
insns=$(sed -n 's/^instructions: \([0-9]*\) executed$/\1/p' <<<"$cout")
[ -n "$insns" ] && [ "$insns" -gt 0 ] && [ "$insns" -le $((used + slots)) ] ||
  fail "instruction count $insns not in (0, $used + $slots slots]: $out"
out=$("$femto" run "$tmp/f.img" --mem "$input" --budget "$used") || fail "run with budget $used"
grep -q "^budget: $used of $used used$" <<<"$out" || fail "budget $used: $out"
"$femto" run "$tmp/f.img" --mem "$input" --budget $((used - 1)) >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "budget $((used - 1)) should run out (exit $rc)"
grep -q "instruction budget exhausted" "$tmp/err" || fail "budget cause: $(cat "$tmp/err")"
grep -q "^budget: all $((used - 1)) used (exhausted)$" "$tmp/out" || fail "exhausted line: $(cat "$tmp/out")"
ok
echo "femto run: $n groups of checks passed (budget of fletcher32: $used)"

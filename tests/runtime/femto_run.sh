#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end test of `femto run`: usage, results on the last line, --mem, --budget, faults,
# limits before memory, the exact instruction count.
# usage: femto_run.sh FEMTO BUILD_DIR (holding the example images and fc_mkimg's bin dir)
set -u
femto=$1
dir=$2
mkimg=$(dirname "$femto")/fc_mkimg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$femto" run --help >"$tmp/help" || fail "--help exit code"
grep -q -- "--mem FILE" "$tmp/help" || fail "--help does not describe --mem"
"$femto" run >/dev/null 2>&1; [ $? -eq 2 ] || fail "no image is a usage error"
"$femto" run "$tmp/none.img" >/dev/null 2>&1; [ $? -eq 3 ] || fail "missing file is an I/O error"

# thread counter with the context {previous 1, next 3}: counts and returns 0
printf '\001\000\000\000\003\000\000\000' >"$tmp/ctx"
out=$("$femto" run "$dir/thread_counter.img" --mem "$tmp/ctx") || fail "thread_counter run"
[ "$(tail -n1 <<<"$out")" = "r0 = 0x0 (0)" ] || fail "thread_counter result: $out"
# a 4-byte context is too short: the program returns -1 (an int, so zero-extended)
printf '\001\000\000\000' >"$tmp/short"
out=$("$femto" run "$dir/thread_counter.img" --mem "$tmp/short" --entry thread_counter) || fail "short ctx"
[ "$(tail -n1 <<<"$out")" = "r0 = 0xffffffff (4294967295)" ] || fail "short ctx result: $out"
"$femto" run "$dir/thread_counter.img" --entry nope >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown entry"

# sensor alarm: the POSIX port of femto run has no sensors
out=$("$femto" run "$dir/sensor_alarm.img") || fail "sensor_alarm run"
[ "$(tail -n1 <<<"$out")" = "r0 = 0xffffffff (4294967295)" ] || fail "sensor_alarm result: $out"

# a NULL load at pc 1: exit 1, pc, instruction and cause on stderr
printf '\267\001\000\000\000\000\000\000\171\020\000\000\000\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/fault.bin"
"$mkimg" "$tmp/fault.bin" main "$tmp/fault.img" || fail "mkimg"
"$femto" run "$tmp/fault.img" >"$tmp/out" 2>"$tmp/err"; [ $? -eq 1 ] || fail "fault exit code"
grep -q "pc 1" "$tmp/err" || fail "fault pc: $(cat "$tmp/err")"
grep -q "memory access out of bounds" "$tmp/err" || fail "fault cause: $(cat "$tmp/err")"
grep -q "r0 =" "$tmp/out" && fail "a fault printed a result"

# an endless loop stops at the budget
printf '\005\000\377\377\000\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/loop.bin"
"$mkimg" "$tmp/loop.bin" main "$tmp/loop.img" || fail "mkimg loop"
"$femto" run "$tmp/loop.img" --budget 100 >/dev/null 2>"$tmp/err"; [ $? -eq 1 ] || fail "budget exit"
grep -qi "budget" "$tmp/err" || fail "budget cause: $(cat "$tmp/err")"
"$femto" run "$tmp/loop.img" --budget x >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad budget"
# limits before memory: an image declaring a 4 GiB - 8 .bss is refused before anything is
# allocated (under a 256 MiB address-space limit, so an allocation could not hide it), and
# one declaring 1 MiB runs (r0 = 0: exit at once)
printf '\267\000\000\000\000\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/ret0.bin"
"$mkimg" "$tmp/ret0.bin" main "$tmp/huge.img" 0xfffffff8 || fail "mkimg huge"
lim="ulimit -v 262144"
(ulimit -v 262144; "$femto" run --help) >/dev/null 2>&1 || lim=true # ASan reserves more than that
($lim; "$femto" run "$tmp/huge.img" >/dev/null 2>"$tmp/err"); [ $? -eq 1 ] || fail "huge .bss exit code"
grep -q "more RAM (.data + .bss + stack) than the 64 MiB limit" "$tmp/err" || fail "huge .bss cause: $(cat "$tmp/err")"
# the same for a declared stack of 4 GiB - 16
"$mkimg" "$tmp/ret0.bin" main "$tmp/hugestack.img" 0 0xfffffff0 || fail "mkimg huge stack"
($lim; "$femto" run "$tmp/hugestack.img" >/dev/null 2>"$tmp/err"); [ $? -eq 1 ] || fail "huge stack exit code"
grep -q "more RAM (.data + .bss + stack) than the 64 MiB limit" "$tmp/err" || fail "huge stack cause: $(cat "$tmp/err")"
"$mkimg" "$tmp/ret0.bin" main "$tmp/mib.img" 0x100000 || fail "mkimg 1 MiB"
out=$("$femto" run "$tmp/mib.img") || fail "1 MiB .bss run"
[ "$(tail -n1 <<<"$out")" = "r0 = 0x0 (0)" ] || fail "1 MiB .bss result: $out"
# the exact instruction count, against a program whose count is known by construction:
# 2 + 3 per round x 1000 rounds + lddw (one instruction, two slots) + a taken goto (the
# instruction it skips not counted) + a local call + the callee's 2 + exit = 3008
cat >"$tmp/count.s" <<'EOF'
    r0 = 0
    r1 = 1000
loop:
    r0 += r1
    r1 -= 1
    if r1 != 0 goto loop
    r2 = 0x1122334455667788 ll
    goto skip
    r0 = 7
skip:
    call f
    exit
f:
    r3 = 1
    exit
EOF
"$femto" asm -o "$tmp/count.bin" "$tmp/count.s" || fail "asm count"
"$mkimg" "$tmp/count.bin" main "$tmp/count.img" || fail "mkimg count"
out=$("$femto" run "$tmp/count.img" --count) || fail "count run: $out"
[ "$(tail -n1 <<<"$out")" = "r0 = 0x7a314 (500500)" ] || fail "count result: $out"
grep -qx "instructions: 3008 executed" <<<"$out" || fail "instruction count: $out"
# the same with a budget that runs out at the 4th backward jump (3 units each, 10 given):
# 2 + 4 rounds of 3, the faulting jump counted
out=$("$femto" run "$tmp/count.img" --count --budget 10 2>/dev/null); [ $? -eq 1 ] || fail "count budget exit"
grep -qx "instructions: 14 executed before the fault (the faulting one included)" <<<"$out" ||
  fail "count before the budget fault: $out"
# rounds scale the count exactly: 10 rounds, 2 + 30 + 6
sed 's/r1 = 1000/r1 = 10/' "$tmp/count.s" >"$tmp/count10.s"
"$femto" asm -o "$tmp/count10.bin" "$tmp/count10.s" && "$mkimg" "$tmp/count10.bin" main "$tmp/count10.img" ||
  fail "count10 image"
out=$("$femto" run "$tmp/count10.img" --count) || fail "count10 run"
grep -qx "instructions: 38 executed" <<<"$out" || fail "instruction count of 10 rounds: $out"
# without --count: the device's engine (this build's JIT on x86-64), no count, the same result
out=$("$femto" run "$tmp/count.img") || fail "run on the default engine: $out"
[ "$(tail -n1 <<<"$out")" = "r0 = 0x7a314 (500500)" ] || fail "default engine result: $out"
if [ "$(uname -m)" = x86_64 ]; then
  grep -qx "engine: jit" <<<"$out" || fail "x86-64 femto run should run the JIT: $out"
fi
grep -q "^instructions:" <<<"$out" && fail "instruction count without --count: $out"
grep -qx "engine: interpreter (counting, raw code)" <<<"$("$femto" run "$tmp/count.img" --count)" ||
  fail "--count engine line"
echo "femto run: all checks passed"

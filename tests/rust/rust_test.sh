#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Rust containers end to end: femto build CRATE_DIR (Debian's rustc/cargo/llvm-22,
# offline), the Rust examples run with their results asserted, the generated
# helper bindings against the helper list, a panic faulting at once, a fault and
# the stores in the crate's own code.
# usage: rust_test.sh FEMTO SOURCE_DIR SHARED_DIR CACHE_DIR
set -u
femto=$1
src=$2
shared=$3
export FEMTO_CACHE=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../run/lib.sh"
build() { # crate image [flags]
  "$femto" build "$1" -o "$2" "${@:3}" >"$tmp/build.out" 2>&1 || fail "femto build $1: $(cat "$tmp/build.out")"
}

# --- Fletcher32 in Rust: the C example's answer -------------------------------------
build "$src/examples/rust/fletcher32" "$tmp/f.img" -g
out=$("$femto" run "$tmp/f.img" --mem "$shared/bench/fletcher32-input.txt") || fail "run fletcher32: $out"
[ "$(last "$out")" = "r0 = 0x8a49b4c2 (2320086210)" ] || fail "Rust fletcher32: $out"
# an odd length counts a zero high byte (the C version reads past the end and faults)
printf '\001\002\003' >"$tmp/odd"
out=$("$femto" run "$tmp/f.img" --mem "$tmp/odd") || fail "run fletcher32 odd"
[ "$(last "$out")" = "r0 = 0x4050204 (67437060)" ] || fail "fletcher32 of 01 02 03: $out"
# the SDK's memcpy/memset are for the compiler, not entries
"$femto" info "$tmp/f.img" >"$tmp/info" || fail "info"
grep -q "^  entries    1$" "$tmp/info" || fail "one entry: $(cat "$tmp/info")"
grep -q "checksum  *slot 0" "$tmp/info" || fail "entry checksum: $(cat "$tmp/info")"
"$femto" verify "$tmp/f.img" >/dev/null || fail "verify fletcher32"
ok

# --- the thread counter counts exactly ------------------------------------------------
build "$src/examples/rust/thread_counter" "$tmp/tc.img"
printf '\001\000\000\000\007\000\000\000' >"$tmp/to7"
printf '\007\000\000\000\011\000\000\000' >"$tmp/to9"
for ctx in to7 to9 to7 to7 to9 to7 to7; do
  out=$("$femto" run "$tmp/tc.img" --mem "$tmp/$ctx" --store "$tmp/store") || fail "tc $ctx: $out"
  [ "$(last "$out")" = "r0 = 0x0 (0)" ] || fail "tc result: $out"
done
printf 'tenant 7 5\ntenant 9 2\n' | diff - "$tmp/store" >/dev/null || fail "counts: $(cat "$tmp/store")"
printf '\001\000\000\000' >"$tmp/short"
out=$("$femto" run "$tmp/tc.img" --mem "$tmp/short") || fail "tc short"
[ "$(last "$out")" = "r0 = 0xffffffffffffffff (-1)" ] || fail "short context: $out"
ok

# --- the bindings are generated from the helper list, every helper with its id ---------
rs=$(ls "$FEMTO_CACHE"/rust-*/helpers.rs | head -n1)
[ -f "$rs" ] || fail "no generated helpers.rs in $FEMTO_CACHE"
ids=$(sed -n 's/^ *X(\([a-z0-9_]*\), \([A-Z0-9_]*\), \([0-9]*\),.*/\2 \3/p' "$src/include/fc/helper_ids.h")
[ "$(wc -l <<<"$ids")" -ge 16 ] || fail "helper list not read: $ids"
while read -r name id; do
  grep -q "^pub const ID_$name: u32 = $id;$" "$rs" || fail "binding of $name ($id) missing"
done <<<"$ids"
[ "$(grep -c '^pub unsafe fn ' "$rs")" -eq "$(wc -l <<<"$ids")" ] || fail "one function per helper"
ok

# --- a panic faults at once, in the SDK's panic handler --------------------------------
build "$here/panic" "$tmp/p.img" -g
printf 'abcd' >"$tmp/four"
"$femto" run "$tmp/p.img" --mem "$tmp/four" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "panic exit $rc: $(cat "$tmp/err")"
grep -q "^len 4$" "$tmp/out" || fail "log! before the panic: $(cat "$tmp/out")"
# the SDK's panic-log feature names where it panicked (the fault can only name the handler)
il=$(grep -n 'ctx\[at\]' "$here/panic/src/lib.rs" | cut -d: -f1)
grep -q "^panic at src/lib.rs:$il$" "$tmp/out" || fail "panic location (src/lib.rs:$il): $(cat "$tmp/out")"
grep -q "memory access out of bounds" "$tmp/err" || fail "panic cause: $(cat "$tmp/err")"
# at once: a few budget units, not the whole budget
pu=$(sed -n 's/^budget: \([0-9]*\) of [0-9]* used before the fault$/\1/p' "$tmp/out")
[ -n "$pu" ] && [ "$pu" -lt 20 ] || fail "a panic spent the budget: $(cat "$tmp/out" "$tmp/err")"
# the handler's load of region 0xfc, not an instruction after it
grep -q "= \*(u8 \*)(r1 + 0" "$tmp/err" || fail "panic instruction: $(cat "$tmp/err")"
ok

# --- a fault in the crate's code names its line; stores and struct copies work -----------
build "$here/fault" "$tmp/x.img" -g
# the local call is one level deep, not a recursion (entries' sections go first)
grep -q "call depth 1$" "$tmp/build.out" || fail "fault crate's call depth: $(cat "$tmp/build.out")"
fl=$(grep -n "// FAULT" "$here/fault/src/lib.rs" | cut -d: -f1)
"$femto" run "$tmp/x.img" --entry peek --mem "$tmp/four" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "fault exit $rc"
grep -q "at $here/fault/src/lib.rs:$fl " "$tmp/err" || fail "fault line (lib.rs:$fl): $(cat "$tmp/err")"
rm -f "$tmp/store"
out=$("$femto" run "$tmp/x.img" --entry stores --mem "$tmp/four" --store "$tmp/store") || fail "stores: $out"
# seed = len + 1 = 5: sum of 5 * (1..24) = 1500; global 1 = 100 + 5 * 24; local 2 = 1
[ "$(last "$out")" = "r0 = 0x5dc (1500)" ] || fail "stores result: $out"
printf 'global 1 220\nlocal 2 1\n' | diff - "$tmp/store" >/dev/null || fail "stores: $(cat "$tmp/store")"
out=$("$femto" run "$tmp/x.img" --entry stores --store "$tmp/store") || fail "stores again: $out"
[ "$(last "$out")" = "r0 = 0x12c (300)" ] || fail "stores without context: $out"
printf 'global 1 244\nlocal 2 2\n' | diff - "$tmp/store" >/dev/null || fail "stores 2: $(cat "$tmp/store")"
# slice copies of a run-time length: LLVM's BPF backend refuses those intrinsics, femto build
# makes them calls of the checked memcpy helper
printf 'abcdefgh' >"$tmp/eight"
out=$("$femto" run "$tmp/x.img" --entry copy --mem "$tmp/eight" --mem-out "$tmp/eight.out") || fail "copy: $out"
[ "$(last "$out")" = "r0 = 0x18a (394)" ] || fail "copy result (a+b+c+d): $out"
[ "$(cat "$tmp/eight.out")" = "abcdabcd" ] || fail "copy_within: $(cat "$tmp/eight.out")"
"$femto" disasm "$tmp/x.img" | grep -q "call 0xa$" || fail "no memcpy helper call"
ok

# --- a crate that does not compile: cargo's error, then ours --------------------------------
mkdir -p "$tmp/bad/src"
printf '[package]\nname = "bad"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nfemto = { path = "%s/sdk/rust" }\n' \
  "$src" >"$tmp/bad/Cargo.toml"
printf '#![no_std]\nfemto::entry!(f, |c: &mut [u8]| c.len() +);\n' >"$tmp/bad/src/lib.rs"
"$femto" build "$tmp/bad" -o "$tmp/bad.img" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "bad crate exit $rc"
grep -q "cargo could not build" "$tmp/out" || fail "bad crate message: $(cat "$tmp/out")"
[ -e "$tmp/bad.img" ] && fail "bad crate wrote an image"
ok
echo "rust containers: $n groups of checks passed"

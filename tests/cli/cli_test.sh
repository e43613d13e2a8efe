#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# femto verify and femto info as a user runs them: verdicts, the C line of a
# rejection, malformed input, exit codes; --help of every command.
set -u
FEMTO=$1 HERE=$2 ROOT=$3 CONF=$4
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0 n=0
ok()   { n=$((n + 1)); echo "ok   $1"; }
bad()  { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }
expect_rc() { # want name cmd...
  local want=$1 name=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -eq "$want" ]; then ok "$name (exit $rc)"; else bad "$name: exit $rc, want $want"; cat "$T/out" "$T/err"; fi
}
has() { # name file pattern
  if grep -qE -- "$3" "$2"; then ok "$1"; else bad "$1: no '$3' in:"; cat "$2"; fi
}

# an accepted image: verdict and description
expect_rc 0 "build thread_counter" "$FEMTO" build "$ROOT/examples/thread_counter/thread_counter.c" -o "$T/tc.img"
expect_rc 0 "verify accepts thread_counter" "$FEMTO" verify "$T/tc.img"
has "verify lists entry and helpers" "$T/out" "tc.img: ok: [0-9]+ slots, entries thread_counter@0, helpers store_get_tenant\(3\), store_put_tenant\(4\), stack [0-9]+ B \(frame [0-9]+ B x 1 level\), call depth 0"
expect_rc 0 "info thread_counter" "$FEMTO" info "$T/tc.img"
has "info: version" "$T/out" "format version 1"
has "info: entry" "$T/out" "thread_counter +slot 0"
has "info: helper capability" "$T/out" "4 +store_put_tenant +capability store-tenant"
has "info: needs" "$T/out" "needs +stack [0-9]+ B"
has "info: verified stack and depth" "$T/out" "verified +stack [0-9]+ B \(frame [0-9]+ B x 1 level\), call depth 0"
# femto build records what the verifier measured: info's two figures agree
need=$(sed -n 's/^  needs *stack \([0-9]*\) B.*/\1/p' "$T/out")
meas=$(sed -n 's/^  verified *stack \([0-9]*\) B.*/\1/p' "$T/out")
[ -n "$need" ] && [ "$need" = "$meas" ] && ok "build records the measured stack ($need B)" || bad "image stack '$need' vs measured '$meas'"
text_bytes=$(grep -E "^ +text " "$T/out" | awk '{print $3}')
slots=$(grep -E "^ +text " "$T/out" | sed -E 's/.*\(([0-9]+) slots\).*/\1/')
[ -n "$text_bytes" ] && [ "$text_bytes" -eq $((slots * 8)) ] && ok "info: text bytes = 8 x slots" || bad "info: text $text_bytes B vs $slots slots"

# a rejected program: slot, reason, instruction and the C line
line=$(grep -n BAD_LINE "$HERE/bad_helper.c" | cut -d: -f1)
expect_rc 1 "build verifies by default: bad_helper refused" "$FEMTO" build "$HERE/bad_helper.c" -o "$T/bad.img"
has "build's rejection gives the C line" "$T/err" "at .*bad_helper\.c:$line "
expect_rc 0 "build bad_helper --no-verify (links)" "$FEMTO" build "$HERE/bad_helper.c" -o "$T/bad.img" --keep-obj --no-verify
expect_rc 2 "build --helper below the firmware range" "$FEMTO" build "$HERE/bad_helper.c" -o "$T/x.img" --helper 999
# a firmware helper: refused by the standard device, built with --helper
cat >"$T/fw.c" <<'EOF_C'
#include <femto/femto.h>
static long (*const led)(uint32_t on) = (void *)0x1000;
FC_ENTRY(blink) uint64_t blink(void) { return (uint64_t)led(1); }
EOF_C
expect_rc 1 "build refuses an unknown firmware helper" "$FEMTO" build "$T/fw.c" -o "$T/fw.img"
expect_rc 0 "build --helper 0x1000 accepts it" "$FEMTO" build "$T/fw.c" -o "$T/fw.img" --helper 0x1000
has "build prints the measured stack" "$T/out" "fw.img: [0-9]+ slots, stack [0-9]+ B"
expect_rc 1 "verify rejects the image" "$FEMTO" verify "$T/bad.img"
has "image rejection names the reason" "$T/out" "rejected at slot [0-9]+: call of an unknown helper"
has "image rejection shows the instruction" "$T/out" "call 0x3e7"
expect_rc 1 "verify rejects the object" "$FEMTO" verify "$T/bad.img.0.o"
has "object rejection gives the C line" "$T/out" "at .*bad_helper\.c:$line "
expect_rc 1 "femto run refuses it too" "$FEMTO" run "$T/bad.img"
has "run names the instruction" "$T/err" "call 0x3e7"

# without debug info: the section and slot, and how to get the line
clang-19 -target bpf -O2 -mcpu=v4 -ffreestanding -nostdlibinc -I"$ROOT/sdk/include" -c "$HERE/bad_helper.c" -o "$T/nodebug.o"
expect_rc 1 "verify object without -g" "$FEMTO" verify "$T/nodebug.o"
has "no -g: section and slot instead" "$T/out" "in .*nodebug\.o, section \.text, slot [0-9]+ \(no line"

# a firmware helper offered by --helper
printf '\x85\x00\x00\x00\x00\x20\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' >"$T/fw.bin"
expect_rc 1 "firmware helper refused by default" "$FEMTO" verify "$T/fw.bin"
expect_rc 0 "firmware helper accepted with --helper" "$FEMTO" verify --helper 0x2000 "$T/fw.bin"
expect_rc 2 "--helper below the firmware range" "$FEMTO" verify --helper 5 "$T/fw.bin"

# raw bytecode: a conformance program, and hostile ones
prog=$(grep '^program' "$CONF/add.test" | cut -d' ' -f2- | tr -d ' ')
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))" "$prog" >"$T/add.bin"
expect_rc 0 "verify raw conformance add" "$FEMTO" verify --raw "$T/add.bin"
printf '\xb7\x0a\x00\x00\x01\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' >"$T/r10.bin"
expect_rc 1 "write to r10 refused" "$FEMTO" verify "$T/r10.bin"
has "r10 reason" "$T/out" "rejected at slot 0: .*r10"
printf '\xb7\x00\x00\x00\x00\x00\x00\x00' >"$T/falloff.bin"
expect_rc 1 "falling off the end refused" "$FEMTO" verify "$T/falloff.bin"
printf '\xb7\x00\x00\x00' >"$T/ragged.bin"
expect_rc 1 "ragged raw code refused" "$FEMTO" verify "$T/ragged.bin"

# malformed images: a clear error, never a crash
head -c 100 "$T/tc.img" >"$T/trunc.img"
expect_rc 1 "info on a truncated image" "$FEMTO" info "$T/trunc.img"
has "truncated: says so" "$T/err" "not a valid image: image truncated"
expect_rc 1 "verify on a truncated image" "$FEMTO" verify "$T/trunc.img"
cp "$T/tc.img" "$T/flip.img"; printf '\xff' | dd of="$T/flip.img" bs=1 seek=120 conv=notrunc 2>/dev/null
expect_rc 1 "info on a corrupted image" "$FEMTO" info "$T/flip.img"
has "corrupted: checksum" "$T/err" "checksum"
expect_rc 3 "info on a missing file" "$FEMTO" info "$T/none.img"
expect_rc 3 "verify on a missing file" "$FEMTO" verify "$T/none.img"

# malformed ELF objects: refused with the reason, quickly (libelf trusts sizes and alignments)
clang-19 -target bpf -O2 -mcpu=v4 -g -ffreestanding -nostdlibinc -I"$ROOT/sdk/include" -c "$ROOT/tests/link/ordinary.c" -o "$T/ok.o"
corrupt() { # out section field value: patch one field of one section header
  python3 - "$T/ok.o" "$@" <<'PY'
import struct, sys
src, out, name, field, value = sys.argv[1:6]
b = bytearray(open(src, "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28); shnum, shstrndx = struct.unpack_from("<HH", b, 0x3c)
hdr = lambda i: shoff + 64 * i
stroff, = struct.unpack_from("<Q", b, hdr(shstrndx) + 24)
fields = {"size": 32, "align": 48, "entsize": 56}
for i in range(shnum):
    nm, = struct.unpack_from("<I", b, hdr(i))
    if b[stroff + nm:].split(b"\0")[0].decode() == name:
        struct.pack_into("<Q", b, hdr(i) + fields[field], int(value, 0))
open(out, "wb").write(b)
PY
}
corrupt "$T/bigsym.o" .symtab size 0xb300000300
corrupt "$T/align.o" .rodata.str1.1 align 2281701377
corrupt "$T/relent.o" .rel.text entsize 3
head -c 700 "$T/ok.o" >"$T/short.o"
for o in bigsym align relent short; do
  for c in "link $T/$o.o -o $T/$o.img" "verify $T/$o.o" "disasm $T/$o.o"; do
    expect_rc 1 "$o.o: femto ${c%% *} refuses it" timeout 20 "$FEMTO" $c
  done
done
has "a section past the end is named" "$T/err" "malformed ELF|not an ELF"
timeout 20 "$FEMTO" link "$T/align.o" -o "$T/x.img" 2>"$T/err"
has "a bad alignment is named" "$T/err" "aligned to other than a power of two"

# every command documents itself; usage errors exit 2
for c in build link asm disasm verify run info plugin keygen sign push; do
  expect_rc 0 "femto $c --help" "$FEMTO" "$c" --help
  has "femto $c --help prints usage" "$T/out" "usage: femto $c"
done
expect_rc 0 "femto --help" "$FEMTO" --help
expect_rc 2 "femto without a command" "$FEMTO"
expect_rc 2 "femto unknown command" "$FEMTO" frobnicate
expect_rc 2 "femto info without a file" "$FEMTO" info
expect_rc 2 "femto verify bad option" "$FEMTO" verify --nope x

echo "$((n - fails))/$n checks passed"
[ "$fails" -eq 0 ]

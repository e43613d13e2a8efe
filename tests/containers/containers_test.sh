#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The container corpus: each ordinary container here built with one `femto build`
# (clang-19, cpu v4, no --stack), verified, run with `femto run` on several inputs
# and compared with the same source compiled natively (native_main.c); the stack
# femto build recorded checked against what the program's call chain needs; each
# refused construct in refused/ checked to give exactly one error line naming
# its file and line (the line marked "refused-here") and no LLVM crash output.
# usage: containers_test.sh FEMTO CC WORKDIR; exit 77 (skipped) without clang-19.
set -u
FEMTO=$1 CC=$2 T=$3
HERE=$(cd "$(dirname "$0")" && pwd)
SDK=$(cd "$HERE/../../sdk/include" && pwd)
CLANG=${CLANG:-clang-19}
command -v "$CLANG" >/dev/null || { echo "$CLANG not found: skipped"; exit 77; }
CXX=$(command -v c++ || command -v g++ || command -v clang++-19 || command -v clang++)
mkdir -p "$T"
pass=0 failed=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

# inputs: pseudo-random bytes (fixed seeds, two lengths) and a protocol text
python3 - "$T" <<'PY'
import random, sys
d = sys.argv[1]
for name, seed, n in (("rand256", 11, 256), ("rand61", 12, 61), ("rand1000", 13, 1000)):
    r = random.Random(seed)
    open(f"{d}/{name}.bin", "wb").write(bytes(r.randrange(256) for _ in range(n)))
open(f"{d}/text.bin", "wb").write(b"SET 1 40\nADD 1 20\nGET 1\nSET 2 -70\nADD 2 -5\nGET 2\n"
                                 b"BAD 3\nSET 7 99999\nADD 7 -123456\nGET 7\nGET 9\nSET 1 -80\n")
PY
INPUTS="rand256 rand61 rand1000 text"

# one image: build (extra flags after the source), verify, run against native;
# ENTRY names the entry (default run), MORE lists further source files
check_one() { # SRC TAG [femto build flags...]
  local src=$1 tag=$2 entry=${ENTRY:-run}; shift 2
  local img="$T/$tag.img" nat="$T/$tag.native"
  local more=(${MORE:-})
  if ! "$FEMTO" build "$src" "${more[@]}" -o "$img" "$@" >"$T/$tag.build" 2>&1; then
    bad "$tag: femto build: $(cat "$T/$tag.build")"; return
  fi
  ok
  local nflags=() prev=
  for a in "$@"; do
    case $prev in -I|-D) nflags+=("$prev$a");; esac
    case $a in -D?*|-I?*) nflags+=("$a");; esac
    prev=$a
  done
  case $src in
    *.cpp) "$CXX" -O1 -w -fno-exceptions -fno-rtti -idirafter "$SDK" "${nflags[@]}" \
             -DFC_CONTAINER="\"$src\"" -DFC_TEST_ENTRY="$entry" -x c++ "$HERE/native_main.c" -o "$nat" 2>"$T/$tag.ncc" ;;
    *) "$CC" -O1 -w -idirafter "$SDK" "${nflags[@]}" -DFC_CONTAINER="\"$src\"" \
             -DFC_TEST_ENTRY="$entry" "$HERE/native_main.c" "${more[@]}" -o "$nat" 2>"$T/$tag.ncc" ;;
  esac || { bad "$tag: native build: $(cat "$T/$tag.ncc")"; return; }
  if ! "$FEMTO" verify "$img" >"$T/$tag.verify" 2>&1; then
    bad "$tag: femto verify: $(cat "$T/$tag.verify")"; return
  fi
  ok
  for in in $INPUTS; do
    local want got
    want=$("$nat" "$T/$in.bin" | tail -1)
    got=$("$FEMTO" run "$img" --entry "$entry" --budget 10000000 --mem "$T/$in.bin" 2>&1 | tail -1)
    if [ "$got" = "$want" ] && [ -n "$want" ]; then ok; else bad "$tag on $in: femto run '$got', native '$want'"; fi
  done
}

for src in "$HERE"/*.c "$HERE"/*.cpp; do
  [ "$(basename "$src")" = native_main.c ] && continue
  check_one "$src" "$(basename "$src" | tr . _)"
done
# -O/-Os and -D/-I pass through (the native side gets the same -D/-I)
check_one "$HERE/strings.c" strings_O0 -O0
check_one "$HERE/structs.c" structs_Os -Os
check_one "$HERE/sha256.c" sha256_O1 -O1
check_one "$HERE/options/options.c" options -DSCALE=7 -I "$HERE/options/inc"
# two files calling each other (one module through llvm-link)
MORE="$HERE/multi/util.c" check_one "$HERE/multi/main.c" multi
# the examples that need no helpers, as authors build them
# (fletcher32 sums 16-bit words: even lengths only, as its doc says)
ENTRY=checksum INPUTS="rand256 rand1000" check_one "$HERE/../../examples/fletcher32/fletcher32.c" fletcher32

# the stack: what femto build recorded is what the deepest call chain needs
stack_of() { "$FEMTO" info "$1" | sed -n 's/.*needs *stack \([0-9]*\) B.*/\1/p'; }
verify_field() { sed -n "s/.*$2 \([0-9]*\).*/\1/p" "$1"; }
for tag in deep_calls_c sha256_c recursion_c; do
  [ -f "$T/$tag.img" ] || continue
  s=$(stack_of "$T/$tag.img")
  v=$(sed -n 's/.*, stack \([0-9]*\) B.*/\1/p' "$T/$tag.verify")
  [ -n "$s" ] && [ "$s" = "$v" ] && ok || bad "$tag: image stack '$s' != verified need '$v'"
done
s=$(stack_of "$T/deep_calls_c.img"); d=$(verify_field "$T/deep_calls_c.verify" "call depth")
[ "${s:-0}" -gt 800 ] && [ "${d:-0}" -eq 4 ] && ok || bad "deep_calls: stack ${s:-?} B (want > 800, four 200-byte frames), depth ${d:-?} (want 4)"
s=$(stack_of "$T/sha256_c.img")
[ "${s:-0}" -gt 256 ] && ok || bad "sha256: stack ${s:-?} B (the schedule alone is 256 B)"
grep -q "call depth unbounded (recursive)" "$T/recursion_c.verify" && ok || bad "recursion: verify does not say recursive: $(cat "$T/recursion_c.verify")"
s=$(stack_of "$T/builtins_c.img")
[ "${s:-999}" -lt 512 ] && ok || bad "builtins: stack ${s:-?} B (a leaf function needs less than 512 B)"
# a --stack below the need is refused
if "$FEMTO" build "$HERE/deep_calls.c" -o "$T/small.img" --stack 512 >"$T/small.out" 2>&1; then
  bad "deep_calls --stack 512: built"
else
  grep -q "is less than the" "$T/small.out" && ok || bad "deep_calls --stack 512: $(cat "$T/small.out")"
fi

# every SDK header alone is valid C (c99, c11, gnu17) and C++ (c++11, c++17) for BPF, warning-free
for h in femto/femto.h femto/helpers.h string.h stdint.h stddef.h stdbool.h limits.h; do
  for std in "c -std=c99" "c -std=c11" "c -std=gnu17" "c++ -std=c++11" "c++ -std=c++17"; do
    set -- $std
    if printf '#include <%s>\nint femto_header_check;\n' "$h" | "$CLANG" -target bpf -mcpu=v4 -ffreestanding -nostdlibinc \
         -I"$SDK" -Wall -Wextra -Wpedantic -Wno-gnu-zero-variadic-macro-arguments -Werror \
         -fsyntax-only -x "$1" "$2" - 2>"$T/hdr.out"; then
      ok
    else
      bad "<$h> as $std: $(head -3 "$T/hdr.out")"
    fi
  done
done

# refused constructs: one line, FILE:LINE of the marked line, the reason, no crash dump
for src in "$HERE"/refused/*.c "$HERE"/refused/*.cpp; do
  name=$(basename "$src")
  want=$(sed -n 's|^/\* expect: \(.*\) \*/$|\1|p' "$src")
  line=$(grep -n "refused-here" "$src" | cut -d: -f1)
  if "$FEMTO" build "$src" -o "$T/refused.img" >"$T/refused.out" 2>&1; then
    bad "refused/$name: built"; continue
  fi
  n=$(wc -l <"$T/refused.out")
  if [ "$n" -eq 1 ] && grep -q "$name:$line: " "$T/refused.out" && grep -qF "$want" "$T/refused.out" &&
     ! grep -q "PLEASE submit\|Stack dump\|backend" "$T/refused.out"; then
    ok
  else
    bad "refused/$name: want one line '$name:$line: ...$want...', got: $(cat "$T/refused.out")"
  fi
done

# a crash of clang with no line of its own: one line naming the function and LLVM's reason;
# clang 14 at cpu v3 crashes on signed division: the line says what compiles it
if "$FEMTO" build "$HERE/crc16.c" -o "$T/crash.img" --cc "$HERE/crash_clang.sh" >"$T/crash.out" 2>&1; then
  bad "crash: built"
elif [ "$(wc -l <"$T/crash.out")" -eq 1 ] && grep -q "crc16.c: clang's BPF backend crashed on function 'mix': cannot select vaend: a construct in it is not supported" "$T/crash.out" &&
     ! grep -q "PLEASE\|Stack dump" "$T/crash.out"; then
  ok
else
  bad "crash: want one line naming function 'mix', got: $(cat "$T/crash.out")"
fi
if command -v clang-14 >/dev/null; then
  if "$FEMTO" build "$HERE/sdiv.c" -o "$T/old.img" --cc clang-14 --mcpu v3 >"$T/old.out" 2>&1; then
    bad "clang-14 -mcpu=v3: signed division built"
  elif [ "$(wc -l <"$T/old.out")" -eq 1 ] && grep -q "sdiv.c: .*need clang-19 with -mcpu=v4" "$T/old.out"; then
    ok
  else
    bad "clang-14 signed division: $(cat "$T/old.out")"
  fi
fi
# a compiler that is not there: said so, with what to install
if CLANG=no-such-clang "$FEMTO" build "$HERE/crc16.c" -o "$T/none.img" >"$T/none.out" 2>&1; then
  bad "missing compiler: built"
else
  grep -q "cannot run no-such-clang: install clang-19" "$T/none.out" && ok || bad "missing compiler: $(cat "$T/none.out")"
fi

echo "containers: $pass passed, $failed failed"
[ "$failed" -eq 0 ]

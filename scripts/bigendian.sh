#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The core's tests on a big-endian host: built with Debian's
# gcc-powerpc-linux-gnu (32-bit PowerPC, big-endian), run under qemu-user
# (qemu-ppc): the conformance suite through the three interpreter builds,
# the hostile programs, and the fuzz corpora replayed through the VM and the
# image parser. cmocka has no PowerPC build in Debian, so the hostile suite
# uses tests/package/be/cmocka.h, the subset of cmocka it needs.
# Exits non-zero if anything fails. Prints "big-endian: N suites passed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${FC_SHARED_DIR:-$ROOT/../shared}
CC=${BE_CC:-powerpc-linux-gnu-gcc}
QEMU=${BE_QEMU:-qemu-ppc}
OUT=${BE_OUT:-$ROOT/build-bigendian}

for tool in "$CC" "$QEMU"; do
  command -v "$tool" >/dev/null || { echo "bigendian: $tool missing (scripts/setup.sh installs it)"; exit 1; }
done
mkdir -p "$OUT/include/fc"

# the version header as CMake generates it, so the public headers compile
sed -e 's/@PROJECT_VERSION_MAJOR@/0/; s/@PROJECT_VERSION_MINOR@/0/; s/@PROJECT_VERSION_PATCH@/0/' \
    -e 's/@PROJECT_VERSION@/0.0.0/' cmake/version.h.in > "$OUT/include/fc/version.h"

macros=$("$CC" -dM -E - </dev/null)
echo "$macros" | grep -q "__BYTE_ORDER__ __ORDER_BIG_ENDIAN__" || { echo "bigendian: $CC does not target a big-endian machine"; exit 1; }

warn=(-Wall -Wextra -Wshadow -Wundef -Wconversion -Wsign-conversion -Wstrict-prototypes
      -Wmissing-prototypes -Wvla -Werror)
core=(src/core/err.c src/core/vm.c src/core/verify.c src/core/interp.c src/core/interp_compact.c
      src/core/specialise.c src/core/image.c src/conformance/conformance.c)
# _FILE_OFFSET_BITS=64: 32-bit readdir() under qemu-user on a 64-bit host fails with
# EOVERFLOW on ext4/overlay directory offsets, so the runners would see no files.
build() { # name defines... -- sources...
  local name=$1; shift
  local defs=() srcs=()
  while [ "$1" != "--" ]; do defs+=("$1"); shift; done; shift
  srcs=("$@")
  if ! "$CC" -std=c11 -O2 -static -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 "${warn[@]}" "${defs[@]}" \
       -Iinclude -I"$OUT/include" "${core[@]}" "${srcs[@]}" -o "$OUT/$name" 2>"$OUT/$name.log"; then
    cat "$OUT/$name.log"; echo "bigendian: building $name failed"; exit 1
  fi
}
build conformance_goto -- tests/conformance/runner.c
build conformance_switch -DFC_COMPUTED_GOTO=0 -- tests/conformance/runner.c
build conformance_compact -DFC_COMPACT=1 -- tests/conformance/runner.c
build hostile -Itests/package/be -Wno-unused-function -- tests/hostile/hostile.c
build hostile_compact -DFC_COMPACT=1 -Itests/package/be -Wno-unused-function -- tests/hostile/hostile.c
build fuzz_vm -- tests/fuzz/fuzz_vm.c tests/fuzz/replay.c
build fuzz_image -- tests/fuzz/fuzz_image.c tests/fuzz/replay.c

pass=0; fail=0
run() { # label expected-regex command...
  local label=$1 want=$2; shift 2
  local out rc
  out=$("$QEMU" "$@" 2>&1); rc=$?
  if [ $rc -eq 0 ] && echo "$out" | grep -qE "$want"; then
    echo "ok   $label: $(echo "$out" | grep -E "$want" | tail -1)"; pass=$((pass + 1))
  else
    echo "FAIL $label (exit $rc)"; echo "$out" | tail -15; fail=$((fail + 1))
  fi
}
run "conformance, computed goto" "passed" "$OUT/conformance_goto" "$SHARED/conformance/tests"
run "conformance, switch" "passed" "$OUT/conformance_switch" "$SHARED/conformance/tests"
run "conformance, compact" "passed" "$OUT/conformance_compact" "$SHARED/conformance/tests"
run "hostile programs" "tests, 0 failed" "$OUT/hostile"
run "hostile programs, compact" "tests, 0 failed" "$OUT/hostile_compact"
run "fuzz corpus replay, VM" "." "$OUT/fuzz_vm" tests/fuzz/corpus/vm
run "fuzz corpus replay, image parser" "." "$OUT/fuzz_image" tests/fuzz/corpus/image
echo "big-endian: $pass suites passed, $fail failed"
[ "$fail" -eq 0 ]

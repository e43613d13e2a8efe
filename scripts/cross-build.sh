#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Cross-compiles the portable core (and the runtime, when present) for
# Cortex-M4 (arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os), RV32IMAC
# (riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -Os) and Xtensa lx106
# (xtensa-lx106-elf-gcc -Os, the ESP8266's core), warnings as
# errors, in both interpreter builds (FC_COMPACT=1 and the default), checks
# that no object needs anything but memcpy/memset/memmove/memcmp and
# libgcc's arithmetic helpers, and prints a size report per object, the
# interpreter + verifier total against the 4 KiB target, sizeof(fc_vm_t)
# and the interpreter's C stack (-fstack-usage).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${CROSS_OUT:-build-cross}
rm -rf "$out"; mkdir -p "$out"
# every figure of the report also goes to $out/figures.txt ("key value" a line,
# keys in docs/packaging.md) for scripts/check-figures.sh
figs="$out/figures.txt"; : >"$figs"
warn=(-Wall -Wextra -Wshadow -Wundef -Wconversion -Wsign-conversion -Wstrict-prototypes
      -Wmissing-prototypes -Wvla -Werror)
# what a freestanding object may leave undefined: the four memory functions
# and libgcc's helpers for 64-bit arithmetic on a 32-bit core (and, on the
# lx106, which has no divider, for 32-bit division: the firmware supplies them)
allowed='^(memcpy|memset|memmove|memcmp|__aeabi_[a-z0-9]+|__(u?(div|mod)[sd]i3|mulsi3|ashldi3|ashrdi3|lshrdi3|muldi3|bswapdi2|bswapsi2|clzdi2|clzsi2|ctzdi2|ctzsi2|popcountdi2|popcountsi2))$'
core=(src/core/err.c src/core/vm.c src/core/verify.c src/core/interp.c src/core/interp_compact.c
      src/core/specialise.c)
[ -f src/core/image.c ] && core+=(src/core/image.c)
runtime=()
[ -d src/runtime ] && runtime=(src/runtime/*.c)
fail=0

build() { # target-name cc size flags...
  local name=$1 cc=$2 size=$3; shift 3
  for variant in compact fast; do
    local dir="$out/$name-$variant" def=-DFC_COMPACT=0
    [ "$variant" = compact ] && def=-DFC_COMPACT=1
    mkdir -p "$dir"
    for src in "${core[@]}" "${runtime[@]}"; do
      local obj="$dir/$(basename "${src%.c}").o"
      if ! "$cc" "$@" -Os -ffreestanding -ffunction-sections -fdata-sections -fstack-usage \
            "${warn[@]}" "$def" -Iinclude -c "$src" -o "$obj"; then
        echo "FAIL: $name $variant: $src does not compile"; fail=1; continue
      fi
      local bad
      bad=$("${cc%gcc}nm" -u "$obj" | awk 'NF == 2 {print $2}' | grep -Ev "$allowed" | grep -Ev '^fc_' || true)
      if [ -n "$bad" ]; then
        echo "FAIL: $name $variant: $(basename "$obj") needs: $bad"; fail=1
      fi
    done
    # fc_-prefixed undefined symbols must be defined by another object of the set
    local undef
    undef=$(comm -23 <("${cc%gcc}nm" -u "$dir"/*.o | awk 'NF == 2 {print $2}' | grep '^fc_' | sort -u) \
                     <("${cc%gcc}nm" --defined-only "$dir"/*.o | awk 'NF == 3 {print $3}' | sort -u))
    if [ -n "$undef" ]; then echo "FAIL: $name $variant: unresolved $undef"; fail=1; fi
    echo
    echo "== $name, $variant interpreter (FC_COMPACT=$([ $variant = compact ] && echo 1 || echo 0)), -Os"
    "$size" "$dir"/*.o | awk 'NR == 1 { printf "%8s %6s %6s  %s\n", "text", "data", "bss", "object"; next }
                              { n = split($6, p, "/"); printf "%8d %6d %6d  %s\n", $1, $2, $3, p[n] }'
    "$size" "$dir"/*.o | awk -v k="$name.$variant" 'NR > 1 { n = split($6, p, "/"); sub(/\.o$/, "", p[n]); print k ".obj." p[n] " " $1 }' >>"$figs"
    local interp=interp.o; [ "$variant" = compact ] && interp=interp_compact.o
    # .text only (with Xtensa's literal pools, which Arm keeps inside .text), and .text +
    # .rodata (what "text" above counts), for interpreter + verifier
    local t r
    t=0
    for h in $("${cc%gcc}objdump" -h "$dir/$interp" "$dir/verify.o" | awk '$2 ~ /^\.(text|literal)/ {print $3}'); do
      t=$((t + 16#$h))
    done
    r=$("$size" "$dir/$interp" "$dir/verify.o" | awk 'NR > 1 { s += $1 } END { print s }')
    echo "   interpreter + verifier: .text $t B, with .rodata $r B (target: 3072 B with .rodata on Cortex-M4, issue #17)"
    echo "$name.$variant.iv.text $t" >>"$figs"; echo "$name.$variant.iv.total $r" >>"$figs"
    local su
    su=$(grep -h "fc_vm_run" "$dir"/*.su | awk '{print $2}' | head -1)
    echo "   C stack of fc_vm_run: ${su:-?} B (-fstack-usage)"
    echo "$name.$variant.stack.fc_vm_run ${su:-?}" >>"$figs"
  done
  # sizeof(fc_vm_t) and of a container on this target
  printf '#include "fc/vm.h"\nchar fc_sizeof_vm[sizeof(fc_vm_t)];\n' > "$out/sz.c"
  if [ -f include/fc/runtime.h ]; then
    printf '#include "fc/runtime.h"\nchar fc_sizeof_container[sizeof(fc_container_t)];\n' >> "$out/sz.c"
  fi
  printf '#include "fc/image.h"\nchar fc_sizeof_image[sizeof(fc_image_t)];\n' >> "$out/sz.c"
  "$cc" "$@" -Iinclude -c "$out/sz.c" -o "$out/sz-$name.o"
  "${cc%gcc}nm" -S "$out/sz-$name.o" | while read -r _ sz _ sym; do
    echo "   $sym: $((16#$sz)) B"; echo "$name.sizeof.${sym#fc_sizeof_} $((16#$sz))" >>"$figs"
  done
}

build cortex-m4 arm-none-eabi-gcc arm-none-eabi-size -mcpu=cortex-m4 -mthumb
build rv32imac riscv64-unknown-elf-gcc riscv64-unknown-elf-size --specs=picolibc.specs -march=rv32imac -mabi=ilp32
# Debian installs lx106's picolibc specs outside gcc's search path: named in full
build xtensa-lx106 xtensa-lx106-elf-gcc xtensa-lx106-elf-size --specs=/usr/lib/xtensa-lx106-elf/picolibc.specs

# The core must also build as a plain `cc -c src/core/*.c -Iinclude` (Make-based OSes).
if ! (cd "$out" && cc -c "$root"/src/core/*.c -I"$root"/include -Werror -Wall -Wextra); then
  echo "FAIL: plain cc -c src/core/*.c"; fail=1
fi
[ $fail -eq 0 ] && echo "cross-build: ok" || echo "cross-build: FAILED"
exit $fail

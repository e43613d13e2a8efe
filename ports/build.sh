#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the bare-metal firmwares for QEMU mps2-an386 (Cortex-M4), virt rv32
# (RV32IMAC) and sim lx106 (Xtensa) into $PORTS_OUT (default build-ports/):
#   <target>/fw-tests-{compact,fast}.elf     the on-target tests (fw_tests.c)
#   <target>/fw-size-base.elf                 the application without the runtime
#   <target>/fw-size-rt-{compact,fast}.elf    the same application hosting the runtime
#   <target>/fw-{tests,size-rt}-fast-o2.elf   the fast interpreter's core and runtime at -O2
#                                             (speed for flash; the rest stays -Os)
#   <target>/fw-fault.elf                     an illegal instruction: the board's fault path
#   cortex-m4/fw-jit.elf                      the Thumb-2 JIT against the interpreter (fw_jit.c)
#   xtensa-lx106/fw-libgcc.elf                the libgcc stand-ins against host-computed digests
# Flags as scripts/cross-build.sh: -Os, -ffreestanding, warnings as errors;
# plus -ffunction-sections/-fdata-sections and --gc-sections at link time.
# Needs a host `femto` tool for the images: $FEMTO, else build/bin/femto,
# else one is built in build-ports-host/.
# Usage: ports/build.sh [cortex-m4] [rv32] [xtensa-lx106]   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${PORTS_OUT:-$root/build-ports}
shared=${FC_SHARED_DIR:-$root/../shared}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(cortex-m4 rv32 xtensa-lx106)
mkdir -p "$out"

# ---- host side: the femto tool, the images and the generated C data ----
femto=${FEMTO:-}
if [ -z "$femto" ]; then
  if [ -x build/bin/femto ]; then femto=$root/build/bin/femto
  else
    if [ ! -x build-ports-host/bin/femto ]; then
      echo "ports: building the host femto tool in build-ports-host/"
      cmake -S . -B build-ports-host -DCMAKE_BUILD_TYPE=Release >"$out/host-configure.log" 2>&1 ||
        { cat "$out/host-configure.log"; exit 1; }
      cmake --build build-ports-host -j"${JOBS:-2}" --target femto >"$out/host-build.log" 2>&1 ||
        { tail -30 "$out/host-build.log"; exit 1; }
    fi
    femto=$root/build-ports-host/bin/femto
  fi
fi
gen=$out/gen
mkdir -p "$gen"
"$femto" build bench/kernels/fletcher32.c -o "$gen/fletcher32.img"
"$femto" build examples/thread_counter/thread_counter.c -o "$gen/thread_counter.img"
python3 ports/common/gen_data.py conformance "$shared/conformance/tests" "$gen/conformance_data.c"
python3 ports/common/gen_data.py blob fw_img_fletcher32 "$gen/fletcher32.img" \
  fw_img_thread_counter "$gen/thread_counter.img" \
  fw_fletcher_input "$shared/bench/fletcher32-input.txt" "$gen/blobs.c"
# the bench input is 360 bytes of text: the blob must be exactly that
[ "$(wc -c <"$shared/bench/fletcher32-input.txt")" -eq 360 ] || { echo "ports: bench input is not 360 bytes"; exit 1; }

# ---- cross side ----
warn=(-Wall -Wextra -Wshadow -Wundef -Wconversion -Wsign-conversion -Wstrict-prototypes
      -Wmissing-prototypes -Wvla -Werror)
# every core and runtime source: --gc-sections drops what a firmware does not call
core=(src/core/*.c)
runtime=(src/runtime/*.c)
common=(ports/common/out.c ports/common/port_board.c "$gen/blobs.c")

target_setup() { # sets cc, arch, board, ldflags, extra for target $1
  case $1 in
    cortex-m4)
      cc=arm-none-eabi-gcc; arch=(-mcpu=cortex-m4 -mthumb); board=ports/mps2-an386
      ldflags=(--specs=nano.specs -nostartfiles -T "$board/link.ld"); extra=("$board/board.c") ;;
    rv32)
      cc=riscv64-unknown-elf-gcc; arch=(--specs=picolibc.specs -march=rv32imac -mabi=ilp32)
      board=ports/riscv32-virt
      ldflags=(-nostartfiles -T "$board/link.ld"); extra=("$board/start.S" "$board/board.c") ;;
    xtensa-lx106)
      # Debian installs the specs beside lib/, outside gcc's search path: named in full
      cc=xtensa-lx106-elf-gcc; arch=(--specs=/usr/lib/xtensa-lx106-elf/picolibc.specs); board=ports/xtensa-lx106
      ldflags=(-nostartfiles -T "$board/link.ld")
      extra=("$board/start.S" "$board/board.c" "$board/libgcc.c") ;;
    *) echo "ports: unknown target $1"; exit 2 ;;
  esac
}

compile() { # objdir defs... -- sources...   (objects in OBJS)
  local dir=$1; shift
  local defs=()
  while [ "$1" != -- ]; do defs+=("$1"); shift; done; shift
  mkdir -p "$dir"
  OBJS=()
  # up to $JOBS compilers at a time; any failure stops the build once they are all done
  local pids=() bad=0
  for src in "$@"; do
    local name; name=$(basename "$src"); name=${name%.*}
    local w=("${warn[@]}")
    # the generated data is plain tables; the board's .S has no C warnings to speak of
    case $src in *.S) w=() ;; esac
    "$cc" "${arch[@]}" "${OPT:--Os}" -g -ffreestanding -ffunction-sections -fdata-sections -fstack-usage \
      "${w[@]}" "${defs[@]}" -Iinclude -Iports/common -c "$src" -o "$dir/$name.o" &
    pids+=($!)
    OBJS+=("$dir/$name.o")
    if [ ${#pids[@]} -ge "${JOBS:-2}" ]; then wait "${pids[0]}" || bad=1; pids=("${pids[@]:1}"); fi
  done
  for p in "${pids[@]}"; do wait "$p" || bad=1; done
  [ $bad -eq 0 ] || { echo "ports: compiling for $cc failed"; exit 1; }
}

link() { # elf objs...
  local elf=$1; shift
  "$cc" "${arch[@]}" "${ldflags[@]}" -Wl,--gc-sections -Wl,-Map="${elf%.elf}.map" -o "$elf" "$@" \
    -lc -lgcc
}

for t in "${targets[@]}"; do
  target_setup "$t"
  d=$out/$t
  rm -rf "$d"; mkdir -p "$d"
  # the application part, the same in every firmware of the target
  compile "$d/app" -- "${common[@]}" "${extra[@]}"; app=("${OBJS[@]}")
  compile "$d/native" -DBENCH_NATIVE -- bench/kernels/fletcher32.c; native=("${OBJS[@]}")
  compile "$d/base" -DFW_RUNTIME=0 -- ports/common/fw_size.c; base=("${OBJS[@]}")
  compile "$d/data" -- "$gen/conformance_data.c"; cdata=("${OBJS[@]}")
  link "$d/fw-size-base.elf" "${base[@]}" "${app[@]}" "${native[@]}"
  compile "$d/fault" -- ports/common/fw_fault.c
  link "$d/fw-fault.elf" "${OBJS[@]}" "${app[@]}"
  for v in compact fast fast-o2; do
    c=0; [ $v = compact ] && c=1
    opt=-Os; [ $v = fast-o2 ] && opt=-O2
    OPT=$opt compile "$d/$v/lib" -DFC_COMPACT=$c -- "${core[@]}" "${runtime[@]}"; lib=("${OBJS[@]}")
    compile "$d/$v/conf" -DFC_COMPACT=$c -- src/conformance/conformance.c; conf=("${OBJS[@]}" "${cdata[@]}")
    compile "$d/$v/tests" -DFC_COMPACT=$c -- ports/common/fw_tests.c ports/common/fw_hostile.c; tests=("${OBJS[@]}")
    compile "$d/$v/size" -DFC_COMPACT=$c -DFW_RUNTIME=1 -- ports/common/fw_size.c; rt=("${OBJS[@]}")
    link "$d/fw-tests-$v.elf" "${tests[@]}" "${conf[@]}" "${lib[@]}" "${app[@]}" "${native[@]}"
    link "$d/fw-size-rt-$v.elf" "${rt[@]}" "${lib[@]}" "${app[@]}" "${native[@]}"
  done
  if [ "$t" = cortex-m4 ]; then
    # the Thumb-2 JIT firmware (ports/common/fw_jit.c): every container run goes through the JIT
    compile "$d/jit/lib" -DFC_JIT_THUMB2=1 -- "${core[@]}" "${runtime[@]}" src/jit/jit.c src/jit/jit_thumb2.c; lib=("${OBJS[@]}")
    compile "$d/jit/conf" -DFC_JIT_THUMB2=1 -- src/conformance/conformance.c; conf=("${OBJS[@]}" "${cdata[@]}")
    compile "$d/jit/tests" -DFC_JIT_THUMB2=1 -- ports/common/fw_jit.c ports/common/fw_hostile.c; tests=("${OBJS[@]}")
    link "$d/fw-jit.elf" -Wl,--wrap=fc_container_run "${tests[@]}" "${conf[@]}" "${lib[@]}" "${app[@]}" "${native[@]}"
  fi
  if [ "$t" = xtensa-lx106 ]; then
    # the libgcc stand-ins: checked on the host against its own operators (renamed, so the
    # host's libgcc stays in charge), and on target by the same digests (qemu-tests.sh)
    "${HOSTCC:-cc}" -O2 -fsanitize=undefined -fno-sanitize-recover=all "${warn[@]}" -DFW_HOST '-DFW_LIBGCC(n)=fwt_##n' -I"$board" \
      "$board/libgcc.c" "$board/libgcc_check.c" -o "$d/libgcc-check-host"
    compile "$d/libgcc" -- "$board/libgcc_check.c"
    link "$d/fw-libgcc.elf" "${OBJS[@]}" "${app[@]}"
  fi
  echo "ports: built $t in $d"
done

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the bare-metal firmwares (ports/build.sh) for QEMU mps2-an386
# (Cortex-M4), virt rv32 (RV32IMAC) and sim lx106 (Xtensa), runs each under
# QEMU with -icount shift=0,sleep=off (repeatable counts) and a timeout,
# checks exit status and pass lines (and each board's fault path, and on
# Xtensa the libgcc stand-ins against the host), and prints the
# measurements: flash and RAM of the runtime (size of a firmware with it
# minus one without), interpreter + verifier flash, the interpreter's C
# stack, per-instance RAM, Fletcher32 guest instructions native vs in the VM.
# Every figure also goes to $PORTS_OUT/figures.txt ("target.key value", one
# a line); with --write-docs the tables of docs/embedded.md are rewritten
# from it (ports/common/figures.py). Exits non-zero if any check fails.
# Environment: PORTS_OUT (build dir, default build-ports), FEMTO (host tool).
# Usage: scripts/qemu-tests.sh [--write-docs]
set -uo pipefail
cd "$(dirname "$0")/.."
out=${PORTS_OUT:-$PWD/build-ports}
export PORTS_OUT=$out
logs=$out/logs
fail=0
write_docs=0
case ${1:-} in
  "") ;;
  --write-docs) write_docs=1 ;;
  *) echo "usage: scripts/qemu-tests.sh [--write-docs]" >&2; exit 2 ;;
esac
targets=(cortex-m4 rv32 xtensa-lx106)

for tool in arm-none-eabi-gcc riscv64-unknown-elf-gcc xtensa-lx106-elf-gcc qemu-system-arm \
            qemu-system-riscv32 qemu-system-xtensa python3; do
  command -v "$tool" >/dev/null || { bash scripts/setup.sh || exit 1; break; }
done

if ! bash ports/build.sh; then echo "qemu-tests: firmware build FAILED"; exit 1; fi
mkdir -p "$logs"

qemu_cmd() { # target elf -> the QEMU command line
  case $1 in
    cortex-m4) echo qemu-system-arm -M mps2-an386 -nographic -monitor none -serial stdio \
                 -semihosting-config enable=on,target=native -icount shift=0,sleep=off -kernel "$2" ;;
    rv32)      echo qemu-system-riscv32 -M virt -bios none -nographic -monitor none -serial stdio \
                 -icount shift=0,sleep=off -kernel "$2" ;;
    # the console is semihosting's write(1, ...) to QEMU's stdout
    xtensa-lx106) echo qemu-system-xtensa -M sim -cpu lx106 -semihosting -nographic -monitor none \
                 -icount shift=0,sleep=off -kernel "$2" ;;
  esac
}

run() { # target elf log -> 0 when QEMU exited 0
  local rc
  # shellcheck disable=SC2046
  timeout 120 $(qemu_cmd "$1" "$2") </dev/null >"$3" 2>&1
  rc=$?
  [ $rc -eq 124 ] && echo "TIMEOUT after 120 s" >>"$3"
  return $rc
}

ntests=$(find "${FC_SHARED_DIR:-../shared}/conformance/tests" -name '*.test' | wc -l)
for t in "${targets[@]}"; do
  for v in compact fast fast-o2; do
    log=$logs/$t-tests-$v.log
    run $t "$out/$t/fw-tests-$v.elf" "$log"; rc=$?
    # the instruction counter: a loop of known length must be counted within 0.5%
    cal=$(sed -n 's/^calibration: \([0-9]*\) instructions executed, counted \([0-9]*\)$/\1 \2/p' "$log")
    calok=$(echo "$cal" | awk 'NF == 2 && $1 > 0 { d = $2 - $1; if (d < 0) d = -d; print (d * 200 <= $1) }')
    if [ $rc -eq 0 ] && grep -q "^RESULT: PASS" "$log" && [ "$calok" = 1 ] &&
       grep -q "^conformance: $ntests/$ntests passed" "$log" && ! grep -q "^FAIL" "$log"; then
      echo "ok   $t $v interpreter: $(grep '^conformance:' "$log"), $(grep '^checks:' "$log"), instruction count calibrated ($cal)"
    else
      echo "FAIL $t $v interpreter (exit $rc), log $log:"; grep -E "^(FAIL|RESULT|conformance|calibration|TIMEOUT)" "$log"
      fail=1
    fi
  done
  for fw in size-base size-rt-compact size-rt-fast size-rt-fast-o2; do
    log=$logs/$t-$fw.log
    if run $t "$out/$t/fw-$fw.elf" "$log" && grep -q ": 0x8a49b4c2" "$log"; then
      echo "ok   $t fw-$fw runs: $(tail -1 "$log")"
    else
      echo "FAIL $t fw-$fw"; cat "$log"; fail=1
    fi
  done
done

# each board's fault path: an illegal instruction must end in its handler's line and exit 3
for t in "${targets[@]}"; do
  log=$logs/$t-fault.log
  run $t "$out/$t/fw-fault.elf" "$log"; rc=$?
  if [ $rc -eq 3 ] && grep -qE "^FAIL: (fault|trap|exception)" "$log" && ! grep -q "still running" "$log"; then
    echo "ok   $t fault path: $(grep -m1 '^FAIL: ' "$log" | sed 's/^FAIL: //'), exit 3"
  else
    echo "FAIL $t fault path (exit $rc, want 3), log $log:"; cat "$log"; fail=1
  fi
done

# the Thumb-2 JIT firmware (ports/common/fw_jit.c): the conformance programs JIT against the
# interpreter (also under short budgets), the hostile containers through the JIT, Fletcher32
log=$logs/cortex-m4-jit.log
run cortex-m4 "$out/cortex-m4/fw-jit.elf" "$log"; rc=$?
if [ $rc -eq 0 ] && grep -q "^RESULT: PASS" "$log" && grep -q "^conformance: $ntests/$ntests passed" "$log" &&
   ! grep -q "^FAIL" "$log"; then
  echo "ok   cortex-m4 JIT: $(grep '^conformance:' "$log") (JIT = interpreter), $(grep -c '^ok   hostile p_' "$log") hostile containers, $(grep '^checks:' "$log")"
else
  echo "FAIL cortex-m4 JIT (exit $rc), log $log:"; grep -E "^(FAIL|RESULT|conformance|TIMEOUT)" "$log"; fail=1
fi

# the lx106's libgcc stand-ins: the host compares them with its own operators and prints one
# digest per function of the right answers; the firmware prints the same digests of its own
d=$out/xtensa-lx106
if "$d/libgcc-check-host" >"$logs/libgcc-host.log" 2>&1 &&
   run xtensa-lx106 "$d/fw-libgcc.elf" "$logs/xtensa-lx106-libgcc.log" &&
   [ "$(grep -c '^libgcc: ' "$logs/xtensa-lx106-libgcc.log")" -eq 9 ] &&
   diff <(grep '^libgcc: ' "$logs/libgcc-host.log") <(grep '^libgcc: ' "$logs/xtensa-lx106-libgcc.log") >/dev/null; then
  echo "ok   xtensa-lx106 libgcc stand-ins: $(sed -n 's/^libgcc: \([0-9]*\) pairs$/\1/p' "$logs/libgcc-host.log") pairs x 8 functions, same as the host's operators"
else
  echo "FAIL xtensa-lx106 libgcc stand-ins, logs $logs/libgcc-host.log and $logs/xtensa-lx106-libgcc.log:"
  grep -E '^(FAIL|libgcc)' "$logs/libgcc-host.log" | head -20
  grep '^libgcc' "$logs/xtensa-lx106-libgcc.log"
  fail=1
fi

# ---- measurements ----
sec() { # size-tool elf section-regex -> total bytes
  "$1" -A "$2" | awk -v re="$3" '$1 ~ re { s += $2 } END { print s + 0 }'
}
# bytes per category (flash = text+rodata, ram = data+bss) of the objects matching a regex, from
# the map; Xtensa's literal pools (.literal.*) count as code, as Arm's do inside .text
mapsum() { # map obj-regex flash|text|ram
  awk -v re="$2" -v kind="$3" '
    function hex(x,   i, v) { v = 0; x = tolower(substr(x, 3))
      for (i = 1; i <= length(x); i++) v = v * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
      return v }
    /^Linker script and memory map/ { m = 1; next }
    !m { next }
    /^ [.A-Z]/ {
      s = $1
      if (NF >= 4) { size = $3; obj = $4 }
      else if (NF == 1) { getline; size = $2; obj = $3 }
      else next
      n = split(obj, p, "/"); obj = p[n]
      if (obj !~ re) next
      code = (s ~ /^\.(text|literal)/)
      f = code || (s ~ /^\.(rodata|srodata)/); r = (s ~ /^(\.(data|sdata|bss|sbss)|COMMON)/)
      if ((kind == "flash" && f) || (kind == "ram" && r) || (kind == "text" && code))
        t += hex(size)
    }
    END { print t + 0 }' "$1"
}
# the first number after the first colon that follows the label
val() { grep -m1 "^$2" "$1" | sed "s/^$2[^:]*: *//" | grep -oE '[0-9]+' | head -1; }
su() { awk -v f="$2" '$1 ~ ":"f"$" { print $2; exit }' "$1"; }
# every frame of an object added: a bound on its deepest call chain (the core has no recursion)
su_all() { awk '{ s += $2 } END { print s + 0 }' "$1"; }
figures=$out/figures.txt
: >"$figures"
fig() { echo "$1.$2 ${3:-?}" >>"$figures"; } # target key value

echo
echo "=== measurements (gcc 12, -Os, --gc-sections; QEMU -icount shift=0,sleep=off)"
for t in "${targets[@]}"; do
  case $t in
    cortex-m4) sz=arm-none-eabi-size ;;
    rv32) sz=riscv64-unknown-elf-size ;;
    xtensa-lx106) sz=xtensa-lx106-elf-size ;;
  esac
  fig "$t" gcc "$("${sz%size}gcc" -dumpversion)"
  d=$out/$t
  bf=$(( $(sec $sz "$d/fw-size-base.elf" '^\.(text|rodata|srodata)') ))
  br=$(( $(sec $sz "$d/fw-size-base.elf" '^\.(data|sdata|bss|sbss)') ))
  fig "$t" app.flash "$bf"; fig "$t" app.ram "$br"
  echo
  echo "== $t"
  printf '%-44s %8s %8s\n' "firmware" "flash" "RAM"
  printf '%-44s %8d %8d\n' "application without the runtime" "$bf" "$br"
  for v in compact fast fast-o2; do
    e=$d/fw-size-rt-$v.elf
    f=$(sec $sz "$e" '^\.(text|rodata|srodata)'); r=$(sec $sz "$e" '^\.(data|sdata|bss|sbss)')
    printf '%-44s %8d %8d\n' "with the runtime, $v interpreter" "$f" "$r"
    printf '%-44s %8d %8d\n' "  runtime's cost (difference)" "$((f - bf))" "$((r - br))"
    fig "$t" "$v.fw.flash" "$f"; fig "$t" "$v.fw.ram" "$r"
    fig "$t" "$v.cost.flash" "$((f - bf))"; fig "$t" "$v.cost.ram" "$((r - br))"
  done
  echo "   (RAM of the size firmware includes one container's 512 B stack, 64 B data and an 8-entry store)"
  for v in compact fast fast-o2; do
    map=$d/fw-size-rt-$v.map
    interp='^interp_compact\.o$'; [ $v != compact ] && interp='^(interp|specialise)\.o$'
    i=$(mapsum "$map" "$interp" flash); vf=$(mapsum "$map" '^verify\.o$' flash)
    vm=$(mapsum "$map" '^vm\.o$' flash)
    it=$(mapsum "$map" "$interp" text); vt=$(mapsum "$map" '^verify\.o$' text)
    core=$(mapsum "$map" '^(err|vm|verify|interp|interp_compact|specialise|image)\.o$' flash)
    rtm=$(mapsum "$map" '^(runtime|hook|store|helpers|port_board)\.o$' flash)
    fig "$t" "$v.interp" "$i"; fig "$t" "$v.verify" "$vf"; fig "$t" "$v.iv.text" "$((it + vt))"
    echo "   $v: interpreter $i B + verifier $vf B = $((i + vf)) B flash" \
         "($((it + vt)) B of it code; target 4096 on Cortex-M4);" \
         "with vm.o (init, translate) $((i + vf + vm)) B; core total $core B, runtime + port $rtm B"
    # where the runtime's flash goes, object by object (the rest is libc/libgcc it pulls in)
    e=$d/fw-size-rt-$v.elf
    cost=$(( $(sec $sz "$e" '^\.(text|rodata|srodata)') - bf ))
    line="   $v: runtime's flash by object:"; sum=0
    for o in interp_compact interp specialise verify vm image err runtime hook store helpers port_board; do
      b=$(mapsum "$map" "^$o\\.o\$" flash); fig "$t" "$v.obj.$o" "$b"
      [ "$b" -eq 0 ] && continue
      line+=" $o $b,"; sum=$((sum + b))
    done
    # on the lx106 the libgcc stand-ins are the firmware's: they count with libc/libgcc
    b=$(mapsum "$map" '^libgcc\.o$' flash); fig "$t" "$v.obj.libgcc_standins" "$b"
    fig "$t" "$v.obj.rest" "$((cost - sum))"
    echo "$line libc/libgcc and glue $((cost - sum))"
    isu=interp_compact.su; [ $v != compact ] && isu=interp.su
    log=$logs/$t-tests-$v.log
    s1=$(su "$d/$v/lib/$isu" fc_vm_run); s2=$(su_all "$d/$v/lib/verify.su")
    s3=$(val "$log" 'stack: C stack of fc_container_run'); s4=$(val "$log" 'stack: C stack of fc_hook_fire')
    fig "$t" "$v.stack.vm_run" "$s1"; fig "$t" "$v.stack.verify" "$s2"
    fig "$t" "$v.stack.container_run" "$s3"; fig "$t" "$v.stack.hook_fire" "$s4"
    echo "   $v: C stack (-fstack-usage): fc_vm_run $s1 B, fc_vm_verify $s2 B;" \
         "measured on target (painted): fc_container_run $s3 B, fc_hook_fire with store helpers $s4 B"
  done
  log=$logs/$t-tests-compact.log
  for k in fc_container_t fc_vm_t fc_rt_t fc_tenant_t fc_hook_t; do fig "$t" "sizeof.$k" "$(val "$log" "sizeof $k")"; done
  fig "$t" instance_ram "$(val "$log" 'per-instance RAM')"
  fig "$t" calibration.executed "$(val "$log" 'calibration')"
  fig "$t" calibration.counted "$(sed -n 's/^calibration: .* counted \([0-9]*\)$/\1/p' "$log")"
  echo "   per-instance RAM: sizeof(fc_container_t) $(val "$log" 'sizeof fc_container_t') B + 512 B stack =" \
       "$(val "$log" 'per-instance RAM') B (target 600; plus the image's .data/.bss, 0 for fletcher32)"
  for v in compact fast fast-o2; do
    log=$logs/$t-tests-$v.log
    n=$(val "$log" 'insns: fletcher32 native'); m=$(val "$log" 'insns: fletcher32 vm')
    fig "$t" "$v.insns.native" "$n"; fig "$t" "$v.insns.vm" "$m"
    line="   fletcher32 guest instructions, $v: native $n, VM $m"
    [ -n "$n" ] && [ -n "$m" ] && line+=" ($(awk -v a="$m" -v b="$n" 'BEGIN { printf "%.1f", a / b }')x)"
    s=$(val "$log" 'insns: fletcher32 vm-specialised')
    [ -n "$s" ] && fig "$t" "$v.insns.specialised" "$s"
    [ -n "$s" ] && line+=", specialised $s ($(awk -v a="$s" -v b="$n" 'BEGIN { printf "%.1f", a / b }')x)"
    echo "$line (target 20x)"
  done
  # where the instructions go: one instruction per translation block, each logged with its
  # function (the last field); the size firmware loads, verifies and runs Fletcher32 once
  prof=$logs/$t-exec.log
  # shellcheck disable=SC2046
  timeout 120 $(qemu_cmd "$t" "$d/fw-size-rt-compact.elf") -singlestep -d nochain,exec -D "$prof" \
    </dev/null >/dev/null 2>&1
  awk '{ n[$NF]++ } END { for (f in n) print n[f], f }' "$prof" | sort -rn >"$logs/$t-profile.txt"
  rm -f "$prof"
  line="   instructions by function, fw-size-rt-compact:"
  # the verifier's row counts every function of verify.o (its static ones, with gcc's suffixes)
  vfns=$(sed -E 's/.*:[0-9]+:[0-9]+:([A-Za-z_0-9.]+)\t.*/\1/' "$d/compact/lib/verify.su" | tr '\n' ' ')
  for fn in fc_vm_run alu shr xlate fc_vm_verify fc_image_checksum fc_image_parse native_fletcher32; do
    if [ "$fn" = fc_vm_verify ]; then
      c=$(awk -v fs="$vfns" 'BEGIN { n = split(fs, a, " "); for (i = 1; i <= n; i++) v[a[i]] = 1 }
                             { f = $2; sub(/\.[0-9]+$/, "", f); if (f in v) s += $1 } END { print s + 0 }' "$logs/$t-profile.txt")
    else
      c=$(awk -v f="$fn" '$2 == f { print $1 }' "$logs/$t-profile.txt")
    fi
    fig "$t" "profile.$fn" "$c"; line+=" $fn ${c:-?},"
  done
  echo "${line%,} (all: $logs/$t-profile.txt)"
done
# the Thumb-2 JIT (fw-jit.elf): flash of the backend and the front end, code and compile cost, Fletcher32
log=$logs/cortex-m4-jit.log; map=$out/cortex-m4/fw-jit.map
jb=$(mapsum "$map" '^jit_thumb2\.o$' flash); jf=$(mapsum "$map" '^jit\.o$' flash)
fig cortex-m4 jit.flash.backend "$jb"; fig cortex-m4 jit.flash.front "$jf"
fig cortex-m4 jit.conformance "$(val "$log" 'conformance')"
for kv in budget_runs:'jit: short-budget runs' conf.slots:'jit: conformance slots' conf.bytes:'jit: conformance code bytes' \
          conf.bytes_x100:'jit: conformance code bytes per slot x100' conf.worst:'jit: conformance worst' \
          conf.compile_per_slot:'jit: conformance compile' insns.native:'jit: fletcher32 native' \
          insns.jit:'jit: fletcher32 jit instructions' fletcher.slots:'jit: fletcher32 slots' \
          fletcher.bytes:'jit: fletcher32 code bytes' fletcher.compile:'jit: fletcher32 compile instructions' \
          fletcher.compile_per_slot:'jit: fletcher32 compile instructions per slot' hostile:'jit: hostile runs' \
          half_runs:'jit: half-context runs' mem_faults:'jit: of which out of bounds' at_load:'jit: container runs whose' \
          random:'jit: random programs verified' random_faults:'jit: random programs that faulted' \
          empty:'jit: empty program' random_entries:'jit: random programs also run from another slot' \
          random_pairs:'jit: of which from the second slot'; do
  fig cortex-m4 "jit.${kv%%:*}" "$(val "$log" "${kv#*:}")"
done
n=$(val "$log" 'jit: fletcher32 native'); m=$(val "$log" 'jit: fletcher32 jit instructions')
echo "   JIT (Thumb-2): compiler flash $jb B backend + $jf B front end = $((jb + jf)) B (target 8192);" \
     "Fletcher32 native $n, JIT $m ($(awk -v a="$m" -v b="$n" 'BEGIN { if (b > 0) printf "%.2f", a / b }')x; target 4x);" \
     "code $(val "$log" 'jit: conformance code bytes per slot x100') B/100 per slot over the conformance programs" \
     "(worst $(val "$log" 'jit: conformance worst') B), compile $(val "$log" 'jit: conformance compile') instructions per slot"
fig xtensa-lx106 libgcc.pairs "$(sed -n 's/^libgcc: \([0-9]*\) pairs$/\1/p' "$logs/libgcc-host.log")"
echo "qemu.version $(qemu-system-arm --version | head -1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -1)" >>"$figures"
echo "measured.date $(date -u +%Y-%m-%d)" >>"$figures"
echo
echo "figures: $figures"
if [ $write_docs -eq 1 ]; then
  if [ $fail -eq 0 ]; then
    python3 ports/common/figures.py "$figures" docs/embedded.md || fail=1
  else
    echo "qemu-tests: a check failed, docs/embedded.md left as it was"
  fi
fi
echo
[ $fail -eq 0 ] && echo "qemu-tests: ok" || echo "qemu-tests: FAILED"
exit $fail

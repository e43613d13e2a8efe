#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole test suite, as CI runs it: installs what it needs, builds twice
# (gcc release, clang with ASan+UBSan), runs ctest in both, cross-compiles
# the core for Cortex-M4 and RV32 with a size report, runs the firmwares
# under QEMU. Exits non-zero if anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
total_pass=0; total_fail=0; failed_stages=()

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

ctest_stage() { # name builddir cmake-args...
  local name=$1 dir=$2; shift 2
  echo "=== $name: configure and build ($dir)"
  if ! cmake -S . -B "$dir" "$@" >"$dir.configure.log" 2>&1; then
    cat "$dir.configure.log"; failed_stages+=("$name (configure)"); total_fail=$((total_fail + 1)); return
  fi
  if ! cmake --build "$dir" -j"$JOBS" >"$dir.build.log" 2>&1; then
    grep -E "error|Error" "$dir.build.log" | head -40
    failed_stages+=("$name (build)"); total_fail=$((total_fail + 1)); return
  fi
  echo "=== $name: ctest"
  (cd "$dir" && ctest -j"$JOBS" --output-on-failure --timeout 600) 2>&1 | tee "$dir.ctest.log" | grep -vE "^ *Start |^[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed"
  local line p f
  line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$dir.ctest.log" | tail -1)
  if [ -z "$line" ]; then failed_stages+=("$name (ctest)"); total_fail=$((total_fail + 1)); return; fi
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
  p=$(( $(echo "$line" | sed -E 's/.* out of ([0-9]+).*/\1/') - f ))
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  [ "$f" -eq 0 ] || failed_stages+=("$name")
}

script_stage() { # name script
  local name=$1 script=$2
  [ -f "$script" ] || return 0
  echo "=== $name"
  if bash "$script"; then total_pass=$((total_pass + 1));
  else total_fail=$((total_fail + 1)); failed_stages+=("$name"); fi
}

ctest_stage "release build (gcc, computed-goto and switch)" build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc -DFC_WERROR=ON
ctest_stage "sanitizer build (clang, ASan+UBSan)" build-san -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DFC_SANITIZE=ON -DFC_WERROR=ON
script_stage "cross-compile and size report (Cortex-M4, RV32, Xtensa lx106)" scripts/cross-build.sh
script_stage "firmware under QEMU (Cortex-M4, RV32, Xtensa lx106)" scripts/qemu-tests.sh
script_stage "RIOT package (native64, hifive1, microbit) and size report" scripts/riot-tests.sh
script_stage "big-endian core tests (PowerPC under qemu-user)" scripts/bigendian.sh
script_stage "proofs: WP contracts, EVA verifier/image/compact interpreter (Frama-C)" scripts/prove.sh
script_stage "distribution builds: C-compiler-only core, Release gcc/clang, dpkg-buildflags; install + consume" scripts/package-tests.sh
script_stage "docs figures against the measurements (cross-build, QEMU, bench)" scripts/check-figures.sh

echo
echo "=== summary"
if [ ${#failed_stages[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failed_stages[@]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
